import { describe, expect, it } from 'vitest';
import { MIN_UNWORKED_PIECE_M2, unworkedGround } from './unworked-ground.js';
import type { LocalPolygon } from '../fleet/index.js';

const rect = (x0: number, y0: number, x1: number, y1: number): LocalPolygon => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ],
];

describe('unworked ground', () => {
  it('is the section less its passes, without the seams between passes that meet', () => {
    // Two 10 m passes edge to edge over the lower two thirds of a 100 × 30 m section, the second
    // a hair (1e-9 m) short of the first's edge: a seam, not ground left.
    const ground = unworkedGround(rect(0, 0, 100, 30), [
      rect(0, 0, 100, 10),
      rect(0, 10 + 1e-9, 100, 20),
    ]);
    expect(ground?.pieces).toHaveLength(1);
    expect(ground?.m2).toBeCloseTo(1000, 3);
  });

  it('keeps a corner a pass did not reach and counts every piece', () => {
    const ground = unworkedGround(rect(0, 0, 100, 20), [rect(0, 0, 95, 10), rect(0, 10, 100, 20)]);
    expect(ground?.m2).toBeCloseTo(50, 6);
    expect(ground!.m2).toBeGreaterThan(MIN_UNWORKED_PIECE_M2);
  });

  it('is nothing on a section worked whole, and the whole section when nobody worked it', () => {
    expect(unworkedGround(rect(0, 0, 50, 20), [rect(-1, -1, 51, 21)])?.m2).toBe(0);
    expect(unworkedGround(rect(0, 0, 50, 20), [])?.m2).toBeCloseTo(1000, 6);
  });
});
