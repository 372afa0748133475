import { at } from './at.js';
import { bisectThreshold } from './bisect.js';
import type { PartitionProblem } from './linear-partition.js';

/**
 * The fluid lower bound of a partition problem: the least T at which all machines together,
 * each starting after its preload and its lead, could do all the work if it were infinitely
 * divisible. Each item costs its work at the machine's rate plus a charge for its travel no
 * larger than any machine drives it for on the path, and the machines share the items
 * fractionally.
 *
 * The lead: a machine whose run holds a driven item (one with swaths) pays startS(m, f) for the
 * first of them, f (its way there from where it stands, and the turns inside), and every later
 * one costs it its travel on the path (the link from the driven item before, and the turns
 * inside). So lead_m = the least startS(m, f) − c_f over the driven items f is time machine m
 * cannot work, like a preload (negative where a machine stands nearer an item than c_f: the
 * bound then gives it that time back). Items without swaths need no driving and a machine could
 * do only those: a lead over them is nothing, so the bound is also taken over the driven items
 * alone, their work without the others'. Of two charges the larger bound is kept: the travel,
 * but no more than the nearest machine's way to the item (long links on the path count, no lead
 * falls below nothing), and the turns inside only (each lead is then the machine's way to the
 * nearest item it could start at).
 */
export function fluidBoundS(p: PartitionProblem): number {
  if (p.rates.length === 0) return 0;
  const machines = [...p.rates.keys()];
  const all = [...p.work.keys()];
  const travel = all.map((i) => Math.min(...machines.map((m) => travelOf(p, m, i))));
  if (!p.startS) return fluidOverS(p, travel, all, []);
  const driven = all.filter((i) => p.driven?.[i] ?? true);
  const within = all.map((i) =>
    Math.min(...machines.map((m) => Math.min(p.withinS?.[m]?.[i] ?? 0, travelOf(p, m, i)))),
  );
  const lowS = p.startLowS ?? p.startS;
  const low = machines.map((m) => all.map((i) => lowS(m, i)));
  // The travel, down to the cheap way there of the machine nearest: no lead below nothing.
  const near = all.map((i) =>
    Math.max(at(within, i), Math.min(at(travel, i), ...low.map((row) => at(row, i)))),
  );
  const sets = driven.length < all.length ? [all, driven] : [all];
  return Math.max(
    ...sets.flatMap((items) => [
      fluidOverS(p, near, items, low),
      fluidOverS(p, within, items, low),
    ]),
  );
}

function travelOf(p: PartitionProblem, m: number, i: number): number {
  return p.travelS?.[m]?.[i] ?? 0;
}

/**
 * The fluid bound over `items` at `charge` each, each machine after its preload and lead
 * (`low[m][i]`: startLowS, or startS where the problem has no cheap way).
 */
function fluidOverS(
  p: PartitionProblem,
  charge: readonly number[],
  items: readonly number[],
  low: readonly (readonly number[])[],
): number {
  const leads = leadS(p, charge, items, low);
  const q = {
    ...p,
    work: items.map((i) => at(p.work, i)),
    preloadS: p.preloadS.map((s, m) => s + at(leads, m)),
  };
  const c = items.map((i) => at(charge, i));
  return c.some((t) => t > 0) ? travelFluidS(q, c) : workFluidS(q);
}

/**
 * Per machine, the least seconds before it can start one of `items` over what `charge` counts
 * for that item (zero without startS: a run's first item then costs its travel on the path).
 */
function leadS(
  p: PartitionProblem,
  charge: readonly number[],
  items: readonly number[],
  low: readonly (readonly number[])[],
): number[] {
  const startS = p.startS;
  return p.rates.map((_, m) => {
    if (!startS || items.length === 0) return 0;
    // The exact way only where the cheap one could still beat the least found.
    const row = at(low, m);
    let first = at(items, 0);
    for (const i of items)
      if (at(row, i) - at(charge, i) < at(row, first) - at(charge, first)) first = i;
    let lead = startS(m, first) - at(charge, first);
    for (const i of items)
      if (at(row, i) - at(charge, i) < lead) lead = Math.min(lead, startS(m, i) - at(charge, i));
    return lead;
  });
}

/** The fluid bound of the work alone (no travel): all machines after their preloads. */
export function workFluidS(p: PartitionProblem): number {
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

/** Bisection stops when the bracket is this tight relative to the bound. */
const REL_TOLERANCE = 1e-7;

/**
 * Bisection on T: machines slowest first, items most charge per m² first, filled fractionally.
 * Slow machines take the items with the most travel per m² (an exchange of two shares the other
 * way round never shortens the slower machine's time), so one fill in that order decides each T.
 */
function travelFluidS(p: PartitionProblem, charge: readonly number[]): number {
  const items = p.work
    .map((w, i) => ({ w, t: at(charge, i) }))
    .sort((x, y) => y.t * x.w - x.t * y.w);
  const machines = [...p.rates.keys()].sort((a, b) => at(p.rates, a) - at(p.rates, b));
  const feasible = (t: number): boolean => {
    let i = 0;
    let left = 1; // share of item i not yet given out
    for (const m of machines) {
      let time = Math.max(0, t - at(p.preloadS, m));
      const rate = at(p.rates, m);
      while (i < items.length && time > 0) {
        const item = at(items, i);
        const whole = item.w / rate + item.t;
        if (left * whole <= time) {
          time -= left * whole;
          i++;
          left = 1;
        } else {
          left -= time / whole;
          time = 0;
        }
      }
    }
    return i >= items.length;
  };
  const total = p.work.reduce((s, w) => s + w, 0);
  const hi =
    Math.max(0, ...p.preloadS) +
    charge.reduce((s, t) => s + t, 0) +
    total / Math.min(...p.rates) +
    1;
  return bisectThreshold(0, hi, feasible, REL_TOLERANCE).lo; // never above the bound it stands for
}
