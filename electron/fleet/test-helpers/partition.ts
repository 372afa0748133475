import fc from 'fast-check';
import { finishTimes, type PartitionProblem } from '../linear-partition.js';

function permutations(k: number): number[][] {
  if (k === 0) return [[]];
  return permutations(k - 1).flatMap((p) =>
    Array.from({ length: k }, (_, at) => [...p.slice(0, at), k - 1, ...p.slice(at)]),
  );
}

/** Every cut of n items into k contiguous runs (empty runs allowed): each run's end, in order. */
function cuts(n: number, k: number, from = 0): number[][] {
  if (k === 1) return [[n]];
  const out: number[][] = [];
  for (let end = from; end <= n; end++)
    for (const rest of cuts(n, k - 1, end)) out.push([end, ...rest]);
  return out;
}

/** The least makespan over every order of the machines and every cut (small problems only). */
export function exhaustiveOptimumS(p: PartitionProblem): number {
  let best = Infinity;
  for (const order of permutations(p.rates.length))
    for (const ends of cuts(p.work.length, order.length))
      best = Math.min(best, Math.max(...finishTimes(p, order, ends)));
  return best;
}

/**
 * Small partition problems with travel on the path, turns inside items, a way to each item from
 * where each machine stands (and a cheap one no longer), and preloads: every item driven.
 */
export const smallProblems: fc.Arbitrary<PartitionProblem> = fc
  .record({ k: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 6 }) })
  .chain(({ k, n }) =>
    fc.record({
      work: fc.array(fc.double({ min: 10, max: 1000, noNaN: true }), {
        minLength: n,
        maxLength: n,
      }),
      rates: fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: k, maxLength: k }),
      preloadS: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true })), {
        minLength: k,
        maxLength: k,
      }),
      travel: matrix(k, n, 40),
      withinShare: matrix(k, n, 1),
      start: matrix(k, n, 150),
      lowShare: matrix(k, n, 1),
    }),
  )
  .map(({ work, rates, preloadS, travel, withinShare, start, lowShare }) => ({
    work,
    rates,
    preloadS,
    travelS: travel,
    withinS: travel.map((row, m) => row.map((t, i) => t * (withinShare[m]?.[i] ?? 0))),
    startS: (m: number, i: number) => start[m]?.[i] ?? 0,
    startLowS: (m: number, i: number) => (start[m]?.[i] ?? 0) * (lowShare[m]?.[i] ?? 0),
  }));

function matrix(rows: number, cols: number, max: number): fc.Arbitrary<number[][]> {
  return fc.array(
    fc.array(fc.double({ min: 0, max, noNaN: true }), { minLength: cols, maxLength: cols }),
    { minLength: rows, maxLength: rows },
  );
}
