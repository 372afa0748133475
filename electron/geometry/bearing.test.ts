import { describe, expect, it } from 'vitest';
import { bearingDeg, headingDeg } from './bearing.js';

describe('bearingDeg and headingDeg', () => {
  const origin = { x: 0, y: 0 };

  it('reads clockwise from north, as a compass does', () => {
    expect(bearingDeg(origin, { x: 0, y: 5 })).toBeCloseTo(0);
    expect(bearingDeg(origin, { x: 5, y: 0 })).toBeCloseTo(90);
    expect(bearingDeg(origin, { x: 0, y: -5 })).toBeCloseTo(180);
    expect(bearingDeg(origin, { x: -5, y: 0 })).toBeCloseTo(-90);
  });

  it('gives headings in [0, 360)', () => {
    expect(headingDeg(origin, { x: -5, y: 0 })).toBeCloseTo(270);
    expect(headingDeg(origin, { x: -1, y: 1 })).toBeCloseTo(315);
    expect(headingDeg({ x: 3, y: 3 }, { x: 4, y: 4 })).toBeCloseTo(45);
  });
});
