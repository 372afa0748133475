import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fluidBoundS } from './fluid-bound.js';
import type { PartitionProblem } from './linear-partition.js';
import { exhaustiveOptimumS, smallProblems } from './test-helpers/partition.js';

describe('fluidBoundS', () => {
  it('counts the way each machine must drive before it can work any item, like a preload', () => {
    // Two equal machines, 100 s of work each at best; each stands at least 30 s from every item.
    const p: PartitionProblem = {
      work: [100, 100, 100, 100],
      rates: [2, 2],
      preloadS: [0, 0],
      travelS: [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
      startS: (m, i) => 30 + 10 * Math.abs(i - 3 * m),
    };
    expect(fluidBoundS(p)).toBeCloseTo(130, 4);
  });

  it('charges a run only the turns inside its first item when the way to it is shorter than the link on the path', () => {
    // Item 2 sits behind a 60 s transit on the path; machine 1 stands at its door (2 s).
    const p: PartitionProblem = {
      work: [100, 100, 100],
      rates: [1, 1],
      preloadS: [0, 0],
      travelS: [
        [0, 0, 65],
        [0, 0, 65],
      ],
      withinS: [
        [0, 0, 5],
        [0, 0, 5],
      ],
      startS: (m, i) => (m === 1 && i === 2 ? 7 : 40),
    };
    // Charged the turns inside only (5 s for item 2, 305 s in all), machine 0 leads by 35 s and
    // machine 1 by 2 s; charged the whole link, each would lead by less than nothing.
    expect(fluidBoundS(p)).toBeCloseTo((305 + 35 + 2) / 2, 4);
  });

  it('takes the bound over the driven items alone too: a machine could do only the others', () => {
    const p: PartitionProblem = {
      work: [100, 20],
      rates: [1, 1],
      preloadS: [0, 0],
      driven: [true, false],
      startS: (_m, i) => (i === 0 ? 50 : 0),
    };
    // Over both items no machine leads (item 1 needs no way to it): 120 s over two machines.
    // Over the driven item alone: 100 s of work after a 50 s way, whichever machine.
    expect(fluidBoundS(p)).toBeCloseTo(100, 4);
  });

  it('is never above the best cut over every machine order (property)', () => {
    fc.assert(
      fc.property(smallProblems, (p) => {
        expect(fluidBoundS(p)).toBeLessThanOrEqual(exhaustiveOptimumS(p) * (1 + 1e-6));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
