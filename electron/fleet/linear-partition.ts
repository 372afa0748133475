import { at } from './at.js';
import { bisectThreshold } from './bisect.js';
import { workFluidS } from './fluid-bound.js';

/**
 * Contiguous partition of an ordered list of work items over machines with different rates and
 * fixed head starts ("preload", seconds of locked work): the chains-on-uniform-processors
 * problem. For a fixed machine order the greedy "fill each machine up to T" test is exact, so
 * bisection on T finds that order's optimal makespan (Hansen & Lih 1992; Pinar & Aykanat 2004,
 * "Fast optimal load balancing algorithms for 1D partitioning", §3).
 */
export interface PartitionProblem {
  /** Work per item (m²), in path order. */
  work: readonly number[];
  /** Machine rates (m²/s) and preloads (s), indexed by machine. */
  rates: readonly number[];
  preloadS: readonly number[];
  /**
   * Seconds machine m drives besides work for item i when it comes from item i − 1 on the path:
   * the turn or transit between them and the turns inside item i (machine × item; absent: none).
   */
  travelS?: readonly (readonly number[])[];
  /** Seconds machine m drives to reach item i as the first of its run, and inside it (absent: travelS). */
  startS?: (m: number, i: number) => number;
  /** No more than startS and cheap to compute (the lower bounds try it first; absent: startS). */
  startLowS?: (m: number, i: number) => number;
  /**
   * Of travelS, the turns inside item i (machine × item): the part a run's first item pays too
   * (absent: the lower bound takes none of travelS as paid by a run's first item).
   */
  withinS?: readonly (readonly number[])[];
  /** Whether item i has swaths to drive (absent: all have); one without costs no travel. */
  driven?: readonly boolean[];
}

function travelOf(p: PartitionProblem, m: number, i: number): number {
  return p.travelS?.[m]?.[i] ?? 0;
}

/** Per machine, the seconds of each item inside a run (work and travel from the item before). */
const runCosts = new WeakMap<PartitionProblem, Float64Array[]>();

function costsOf(p: PartitionProblem): Float64Array[] {
  let costs = runCosts.get(p);
  if (!costs) {
    costs = p.rates.map((rate, m) =>
      Float64Array.from(p.work, (w, i) => w / rate + travelOf(p, m, i)),
    );
    runCosts.set(p, costs);
  }
  return costs;
}

/** Seconds machine m spends on item i: work, and travel from the item before or from its start. */
function itemS(p: PartitionProblem, m: number, i: number, first: boolean): number {
  if (first && p.startS) return (p.work[i] ?? 0) / at(p.rates, m) + p.startS(m, i);
  return costsOf(p)[m]?.[i] ?? 0;
}

/** Bisection stops when the bracket is this tight relative to the makespan. */
const REL_TOLERANCE = 1e-7;
const SLACK = 1 + 1e-12;

/** Item index where each machine's run ends (exclusive), or undefined when T is too short. */
export function greedyCut(
  p: PartitionProblem,
  order: readonly number[],
  makespanS: number,
): number[] | undefined {
  const ends: number[] = [];
  const n = p.work.length;
  let i = 0;
  for (const m of order) {
    const cap = (makespanS - at(p.preloadS, m)) * SLACK;
    let acc = 0;
    const costs = costsOf(p)[m];
    let started = false;
    if (i < n) {
      const t = itemS(p, m, i, true);
      started = t <= cap;
      if (started) {
        acc = t;
        i++;
      }
    }
    while (costs && started && i < n) {
      const t = costs[i] ?? 0;
      if (acc + t > cap) break;
      acc += t;
      i++;
    }
    ends.push(i);
  }
  return i === n ? ends : undefined;
}

/** Finish time of every machine for a cut. */
export function finishTimes(
  p: PartitionProblem,
  order: readonly number[],
  ends: readonly number[],
): number[] {
  const finish = p.rates.map((_, m) => at(p.preloadS, m));
  let start = 0;
  order.forEach((m, k) => {
    const end = at(ends, k);
    if (end > start) {
      const costs = costsOf(p)[m];
      let sum = itemS(p, m, start, true);
      for (let i = start + 1; i < end; i++) sum += costs?.[i] ?? 0;
      finish[m] = at(p.preloadS, m) + sum;
    }
    start = end;
  });
  return finish;
}

/** Optimal makespan for a fixed machine order, and its cut. */
export function bestCutForOrder(
  p: PartitionProblem,
  order: readonly number[],
  lowerS: number,
): { makespanS: number; ends: number[] } {
  // The first machine of the order can take everything by this time.
  const first = at(order, 0);
  const costs = costsOf(p)[first];
  let hi = at(p.preloadS, first) + (p.work.length > 0 ? itemS(p, first, 0, true) : 0);
  for (let i = 1; i < p.work.length; i++) hi += costs?.[i] ?? 0;
  hi = Math.max(hi, ...order.map((m) => at(p.preloadS, m)));
  const atLow = greedyCut(p, order, lowerS);
  if (atLow) return { makespanS: Math.max(...finishTimes(p, order, atLow)), ends: atLow };
  const bracket = bisectThreshold(
    lowerS,
    hi,
    (t) => greedyCut(p, order, t) !== undefined,
    REL_TOLERANCE,
  );
  const best = greedyCut(p, order, bracket.hi);
  if (!best) throw new RangeError('no feasible cut: a machine order without machines');
  return { makespanS: Math.max(...finishTimes(p, order, best)), ends: best };
}

/**
 * A second cut that follows the fluid split (each machine's share of the work in proportion to
 * its rate after its preload, travel counted at each machine's average over the path), rounded to
 * item boundaries. It is often as short as the greedy cut and leaves no machine idle at the end,
 * so it is kept when it is no longer.
 */
export function proportionalCut(p: PartitionProblem, order: readonly number[]): number[] {
  const prefix = [0];
  for (const w of p.work) prefix.push(at(prefix, prefix.length - 1) + w);
  const total = at(prefix, prefix.length - 1);
  // A machine that drove the whole path would work it at this rate, travel included.
  const rates = p.rates.map((r, m) => {
    const travel = p.work.reduce((sum, _, i) => sum + travelOf(p, m, i), 0);
    return total > 0 ? total / (total / r + travel) : r;
  });
  const fluidS = workFluidS({ ...p, rates });
  const ends: number[] = [];
  let target = 0;
  let last = 0;
  for (const m of order) {
    target += Math.max(0, fluidS - at(p.preloadS, m)) * at(rates, m);
    let lo = last;
    let hi = p.work.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(prefix, mid) < target) lo = mid + 1;
      else hi = mid;
    }
    const end =
      lo > last && Math.abs(at(prefix, lo - 1) - target) < Math.abs(at(prefix, lo) - target)
        ? lo - 1
        : lo;
    last = Math.max(last, end);
    ends.push(last);
  }
  ends[ends.length - 1] = p.work.length;
  return ends;
}
