import { describe, expect, it } from 'vitest';
import { pointInRing, ringSignedArea, type XY } from './index.js';

/**
 * A 4 × 3 rectangle with a notch cut into its top edge, counter-clockwise, open, away from the
 * origin (so the edge that closes it adds to the shoelace sum: a sum that skips it is wrong).
 */
const shift = (x: number, y: number): XY => [x + 10, y + 5];
const OPEN: XY[] = [
  shift(0, 0),
  shift(4, 0),
  shift(4, 3),
  shift(3, 3),
  shift(2, 1),
  shift(1, 3),
  shift(0, 3),
];
const CLOSED: XY[] = [...OPEN, shift(0, 0)];
/** Notch: triangle (3,3) (2,1) (1,3) of area 2. */
const AREA = 12 - 2;

describe('ring geometry', () => {
  it('gives the same area for an open ring and the closed form of it', () => {
    expect(ringSignedArea(OPEN)).toBeCloseTo(AREA, 12);
    expect(ringSignedArea(CLOSED)).toBeCloseTo(AREA, 12);
  });

  it('signs the area by orientation: negative clockwise, whether open or closed', () => {
    expect(ringSignedArea([...OPEN].reverse())).toBeCloseTo(-AREA, 12);
    expect(ringSignedArea([...CLOSED].reverse())).toBeCloseTo(-AREA, 12);
  });

  it('has no area for fewer than three vertices', () => {
    expect(ringSignedArea([])).toBe(0);
    expect(ringSignedArea([[1, 1]])).toBe(0);
    expect(
      ringSignedArea([
        [0, 0],
        [5, 5],
      ]),
    ).toBe(0);
  });

  it('finds points inside and outside, the notch outside, for open and closed rings alike', () => {
    const cases: [XY, boolean][] = [
      [shift(0.5, 2.5), true],
      [shift(3.5, 2.5), true],
      [shift(2, 0.5), true],
      [shift(2, 2.5), false],
      [shift(5, 1), false],
      [shift(-1, 1), false],
      [shift(2, 4), false],
    ];
    for (const [p, inside] of cases) {
      expect(pointInRing(p, OPEN)).toBe(inside);
      expect(pointInRing(p, CLOSED)).toBe(inside);
      expect(pointInRing(p, [...CLOSED].reverse())).toBe(inside);
    }
  });

  it('finds nothing inside a ring of fewer than three vertices', () => {
    expect(pointInRing([0, 0], [])).toBe(false);
    expect(
      pointInRing(
        [0.5, 0],
        [
          [0, 0],
          [1, 0],
        ],
      ),
    ).toBe(false);
  });
});
