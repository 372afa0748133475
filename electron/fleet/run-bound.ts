import { at } from './at.js';
import { bisectThreshold } from './bisect.js';
import type { PartitionProblem } from './linear-partition.js';

/** Bisection stops when the bracket is this tight relative to the bound (it returns the low end). */
const REL_TOLERANCE = 1e-5;

/**
 * A lower bound that keeps what the fluid bound lets go: each machine works one contiguous run of
 * the path and pays startS for the run's first item (its way there from where it stands, or from
 * the end of its fixed sections), so runs that must begin far from every machine cost their way
 * there. It relaxes only which machine takes which run: each of at most k runs (k machines) may
 * go to any machine, even one already used, so the least T at which k runs cover the path is no
 * more than the best cut over every order of the machines.
 * Items without swaths (`driven` false) are left out: they need no driving, and a run that
 * begins at one pays its way only to its first driven item. The way to a run's first item is the
 * cheap one (startLowS) where the problem has it: one per machine and item, at every step.
 * Returns `aboveS` when the bound is no higher (one test instead of a bisection).
 */
export function runBoundS(p: PartitionProblem, aboveS = 0): number {
  const k = p.rates.length;
  const startS = p.startLowS ?? p.startS;
  if (k === 0 || !startS) return 0;
  const items = [...p.work.keys()].filter((i) => p.driven?.[i] ?? true);
  const n = items.length;
  if (n === 0) return 0;
  // prefix[m][j]: seconds machine m spends on items[0..j) as later items of a run.
  const prefix = p.rates.map((rate, m) => {
    const out: number[] = [0];
    items.forEach((i, j) => {
      out.push(at(out, j) + at(p.work, i) / rate + (p.travelS?.[m]?.[i] ?? 0));
    });
    return out;
  });
  // head[m][a]: when machine m would finish items[a] as the first of its run.
  const head = p.rates.map((rate, m) =>
    items.map((i) => at(p.preloadS, m) + at(p.work, i) / rate + startS(m, i)),
  );
  /** The end (exclusive) of the longest run machine m can work from items[a] within t. */
  const farthest = (m: number, a: number, t: number): number => {
    const h = at(at(head, m), a);
    if (h > t) return a;
    const pre = at(prefix, m);
    const budget = t - h + at(pre, a + 1);
    let lo = a + 1;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at(pre, mid) <= budget) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Covered prefixes are downward closed (a run cut short still fits), so what j runs cover is
  // a prefix [0, reach_j) and the next run may begin anywhere up to reach_j.
  const feasible = (t: number): boolean => {
    let best = 0;
    const ends = Array.from({ length: n }, (_, a) => {
      for (let m = 0; m < k; m++) best = Math.max(best, farthest(m, a, t));
      return best; // the farthest end of a run beginning at or before items[a]
    });
    let reach = 0;
    for (let j = 0; j < k && reach < n; j++) reach = at(ends, reach);
    return reach >= n;
  };
  if (feasible(aboveS)) return aboveS;
  // One machine alone can do everything by then.
  const hi = at(at(head, 0), 0) + at(at(prefix, 0), n) - at(at(prefix, 0), 1) + 1;
  return bisectThreshold(aboveS, hi, feasible, REL_TOLERANCE).lo; // never above the bound
}
