import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgePairCrossing, findCrossing, withoutRepeats } from './self-intersection.js';
import type { XY } from './types.js';

/** Every pair of edges: the quadratic answer the sweep must give. */
function anyPairCrosses(given: readonly XY[][]): boolean {
  const rings = given.map(withoutRepeats);
  const edges = rings.flatMap((ring, r) => ring.map((_, i) => [r, i] as const));
  for (let x = 0; x < edges.length; x++)
    for (let y = x + 1; y < edges.length; y++)
      if (edgePairCrossing(rings, edges[x]!, edges[y]!)) return true;
  return false;
}

/** A comb: a spine on the left and `teeth` long teeth to the right (4 points a tooth). */
function comb(teeth: number, lengthM = 2_000, heightM = 2_000): XY[] {
  const h = heightM / (2 * teeth);
  const ring: XY[] = [[0, 0]];
  for (let i = 0; i < teeth; i++) {
    const y0 = 2 * i * h;
    ring.push([lengthM, y0], [lengthM, y0 + h], [50, y0 + h], [50, y0 + 2 * h]);
  }
  ring.push([0, heightM]);
  return ring;
}

describe('findCrossing (Shamos–Hoey sweep)', () => {
  it('agrees with checking every pair, on small rings full of shared points, verticals and collinear edges', () => {
    const point = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }));
    const ring = fc.array(point, { minLength: 3, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(ring, { minLength: 1, maxLength: 3 }), (rings) => {
        expect(findCrossing(rings) !== undefined).toBe(anyPairCrosses(rings));
      }),
      { numRuns: 3_000, seed: 17 },
    );
  });

  it('agrees with checking every pair on random rings in millimetres', () => {
    // Local metres as a field has them (no denormals, where no float predicate is exact).
    const mm = fc.integer({ min: -100_000, max: 100_000 }).map((v) => v / 1_000);
    const point = fc.tuple(mm, mm);
    fc.assert(
      fc.property(
        fc.array(fc.array(point, { minLength: 3, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        (rings) => {
          expect(findCrossing(rings) !== undefined).toBe(anyPairCrosses(rings));
        },
      ),
      { numRuns: 1_000, seed: 18 },
    );
  });

  it('finds a serpentine of 40,000 points simple, and a crossing added to it', () => {
    const serpentine = comb(10_000);
    expect(serpentine.length).toBe(40_002);
    expect(findCrossing([serpentine])).toBeUndefined();
    // One tooth reaching past the spine crosses it.
    const crossed = serpentine.map((p, i): XY => (i === 20_003 ? [-10, p[1]] : p));
    expect(findCrossing([crossed])).toBeDefined();
  });
});
