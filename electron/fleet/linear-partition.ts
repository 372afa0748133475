import { at } from './at.js';

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
}

/** Bisection stops when the bracket is this tight relative to the makespan. */
const REL_TOLERANCE = 1e-7;
const MAX_BISECTIONS = 80;
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
    const cap = (makespanS - at(p.preloadS, m)) * at(p.rates, m) * SLACK;
    let acc = 0;
    while (i < n) {
      const w = p.work[i] ?? 0;
      if (acc + w > cap) break;
      acc += w;
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
    let sum = 0;
    for (let i = start; i < end; i++) sum += p.work[i] ?? 0;
    if (sum > 0) finish[m] = at(p.preloadS, m) + sum / at(p.rates, m);
    start = end;
  });
  return finish;
}

/**
 * The fluid lower bound: the T at which all machines together, each starting after its preload,
 * could do all the work if it were infinitely divisible.
 */
export function fluidBoundS(p: PartitionProblem): number {
  const total = p.work.reduce((s, w) => s + w, 0);
  const machines = p.rates
    .map((r, m) => ({ r, pre: at(p.preloadS, m) }))
    .sort((a, b) => a.pre - b.pre);
  // Capacity is piecewise linear in T; add machines in preload order until T falls in the piece.
  let rateSum = 0;
  let weighted = 0;
  for (let j = 0; j < machines.length; j++) {
    const m = at(machines, j);
    rateSum += m.r;
    weighted += m.pre * m.r;
    const t = (total + weighted) / rateSum;
    const next = machines[j + 1];
    if (!next || t <= next.pre) return Math.max(t, m.pre);
  }
  return 0;
}

/** Optimal makespan for a fixed machine order, and its cut. */
export function bestCutForOrder(
  p: PartitionProblem,
  order: readonly number[],
  lowerS: number,
): { makespanS: number; ends: number[] } {
  const total = p.work.reduce((s, w) => s + w, 0);
  const slowest = Math.min(...order.map((m) => at(p.rates, m)));
  let hi = Math.max(...order.map((m) => at(p.preloadS, m))) + total / slowest;
  let best = greedyCut(p, order, hi);
  let lo = lowerS;
  const atLow = greedyCut(p, order, lo);
  if (atLow) return { makespanS: Math.max(...finishTimes(p, order, atLow)), ends: atLow };
  for (let k = 0; k < MAX_BISECTIONS && hi - lo > REL_TOLERANCE * hi; k++) {
    const mid = (lo + hi) / 2;
    const cut = greedyCut(p, order, mid);
    if (cut) {
      hi = mid;
      best = cut;
    } else lo = mid;
  }
  if (!best) throw new RangeError('no feasible cut: a machine order without machines');
  return { makespanS: Math.max(...finishTimes(p, order, best)), ends: best };
}

/**
 * A second cut that follows the fluid split (each machine's share of the work in proportion to
 * its rate after its preload), rounded to item boundaries. It is often as short as the greedy cut
 * and leaves no machine idle at the end, so it is kept when it is no longer.
 */
export function proportionalCut(
  p: PartitionProblem,
  order: readonly number[],
  fluidS: number,
): number[] {
  const prefix = [0];
  for (const w of p.work) prefix.push(at(prefix, prefix.length - 1) + w);
  const ends: number[] = [];
  let target = 0;
  let last = 0;
  for (const m of order) {
    target += Math.max(0, fluidS - at(p.preloadS, m)) * at(p.rates, m);
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
