import { describe, expect, it } from 'vitest';
import { dubinsLength, type PlanePose } from './dubins.js';

const east = (x: number, y: number): PlanePose => ({ x, y, theta: 0 });
const west = (x: number, y: number): PlanePose => ({ x, y, theta: Math.PI });

describe('Dubins path length', () => {
  it('is the straight distance between poses on one line, heading along it', () => {
    expect(dubinsLength(east(0, 0), east(25, 0), 6)).toBeCloseTo(25, 9);
  });

  it('turns into the adjacent swath over a semicircle when the swaths are 2r apart', () => {
    expect(dubinsLength(east(0, 0), west(0, 12), 6)).toBeCloseTo(Math.PI * 6, 6);
  });

  it('adds the straight between two quarter circles when the swaths are wider than 2r', () => {
    for (const w of [12.5, 18, 36])
      expect(dubinsLength(east(0, 0), west(0, w), 6)).toBeCloseTo(Math.PI * 6 + (w - 12), 6);
  });

  it('drives a bulb turn (arc out, loop, arc back) when the swaths are closer than 2r', () => {
    // Circles of the two right arcs are w + 2r apart; the loop between them touches both, so the
    // whole turn is r·(3π − 4·asin((w + 2r) / 4r)): πr at w = 2r, 7πr/3 at w = 0.
    const r = 6;
    for (const w of [0.001, 3, 6, 9, 11.9]) {
      const expected = r * (3 * Math.PI - 4 * Math.asin((w + 2 * r) / (4 * r)));
      expect(dubinsLength(east(0, 0), west(0, w), r)).toBeCloseTo(expected, 4);
    }
    expect(dubinsLength(east(0, 0), west(0, 6), r)).toBeGreaterThan(Math.PI * r);
  });

  it('is the same either way round for a mirrored turn and never shorter than the straight line', () => {
    const left = dubinsLength(east(0, 0), west(0, 9), 5);
    const right = dubinsLength(east(0, 0), west(0, -9), 5);
    expect(left).toBeCloseTo(right, 9);
    const from: PlanePose = { x: 3, y: -4, theta: 1 };
    const to: PlanePose = { x: 40, y: 17, theta: -2 };
    expect(dubinsLength(from, to, 6)).toBeGreaterThanOrEqual(Math.hypot(37, 21));
  });
});
