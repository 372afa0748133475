import { describe, expect, it } from 'vitest';
import { EDGE_BAND_PX, MAX_STEP_PX, edgeScrollStep } from './edge-scroll.js';

describe('scrolling a list by itself near its edges during a drag', () => {
  it('scrolls up near the top and down near the bottom, faster closer to the edge', () => {
    expect(edgeScrollStep(100, 100, 400)).toBe(-MAX_STEP_PX);
    expect(edgeScrollStep(400, 100, 400)).toBe(MAX_STEP_PX);
    const near = edgeScrollStep(100 + EDGE_BAND_PX / 4, 100, 400);
    const farther = edgeScrollStep(100 + (EDGE_BAND_PX * 3) / 4, 100, 400);
    expect(near).toBeLessThan(0);
    expect(farther).toBeLessThan(0);
    expect(Math.abs(near)).toBeGreaterThan(Math.abs(farther));
  });

  it('stays still in the middle and outside the list', () => {
    expect(edgeScrollStep(250, 100, 400)).toBe(0);
    expect(edgeScrollStep(90, 100, 400)).toBe(0);
    expect(edgeScrollStep(410, 100, 400)).toBe(0);
  });

  it('keeps a middle band still in a short list', () => {
    expect(edgeScrollStep(130, 100, 160)).toBe(0);
    expect(edgeScrollStep(101, 100, 160)).toBeLessThan(0);
  });
});
