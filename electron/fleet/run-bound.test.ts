import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PartitionProblem } from './linear-partition.js';
import { runBoundS } from './run-bound.js';
import { exhaustiveOptimumS, smallProblems } from './test-helpers/partition.js';

describe('runBoundS', () => {
  it('counts the way to a run that must begin far from every machine', () => {
    // Both machines stand at the head of a line of six equal items (the way grows 20 s an item):
    // one run must begin half way along, 60 s away, and the fluid split cannot hide it.
    const p: PartitionProblem = {
      work: new Array<number>(6).fill(100),
      rates: [1, 1],
      preloadS: [0, 0],
      startS: (_m, i) => 20 * i,
    };
    // Runs of 3 + 3: 300 s, the second 60 s later; 4 + 2 or 2 + 4: 400 s at least.
    expect(runBoundS(p)).toBeCloseTo(360, 2);
    expect(exhaustiveOptimumS(p)).toBeCloseTo(360, 4);
  });

  it('is zero where the machines stand is unknown', () => {
    expect(runBoundS({ work: [100], rates: [1], preloadS: [0] })).toBe(0);
  });

  it('is never above the best cut over every machine order (property)', () => {
    fc.assert(
      fc.property(smallProblems, (p) => {
        expect(runBoundS(p)).toBeLessThanOrEqual(exhaustiveOptimumS(p) * (1 + 1e-6));
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
