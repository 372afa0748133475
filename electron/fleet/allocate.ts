import type {
  AllocationInput,
  AllocationPlan,
  AssignmentStatus,
  SectionAssignment,
  TractorPlan,
} from './allocation-types.js';
import { at } from './at.js';
import {
  isCompatible,
  motionOf,
  workRateM2PerS,
  type Motion,
  type TractorCapability,
} from './capability.js';
import { PlanningError } from './errors.js';
import { fluidBoundS } from './fluid-bound.js';
import {
  bestCutForOrder,
  finishTimes,
  greedyCut,
  proportionalCut,
  type PartitionProblem,
} from './linear-partition.js';
import type { SwathSegment } from './plan-types.js';
import { runBoundS } from './run-bound.js';
import {
  approachLowS,
  exitPose,
  sequenceTravelS,
  reportedPose,
  withinS,
  type Driven,
  type StartPose,
} from './travel-cost.js';

/**
 * A section this close to finished (share of its area) counts as done: the slivers guidance
 * error leaves along a swath's edges are not worth sending a machine back for.
 */
export const DONE_FRACTION = 0.98;
/** Rounds of adjacent-swap improvement over the machine order. */
const SWAP_PASSES = 3;

interface Item extends Driven {
  id: string;
  order: number;
  /** Area left to work (reported). */
  workM2: number;
  /**
   * Area that takes the machine time: none for a section no swath reaches (`swaths` empty), whose
   * ground no machine drives; charged at the machine's rate, it made the plan hold a machine for
   * work it never does, and it finished that much before its plan.
   */
  timedM2: number;
}

interface Fixed extends Item {
  status: AssignmentStatus;
  locked: boolean;
}

interface Prepared {
  active: TractorCapability[];
  rates: number[];
  motions: Motion[];
  free: Item[];
  fixed: Fixed[][];
  done: { id: string; tractorId: string }[];
  excluded: AllocationPlan['excluded'];
  releasedLocks: string[];
}

function prepare(input: AllocationInput): Prepared {
  const excluded: AllocationPlan['excluded'] = [];
  const active: TractorCapability[] = [];
  const rates: number[] = [];
  const motions: Motion[] = [];
  for (const t of input.tractors) {
    const rate = input.measuredRatesM2PerS?.[t.tractorId] ?? workRateM2PerS(t);
    const motion = motionOf(t);
    if (!isCompatible(t, input.operation))
      excluded.push({ tractorId: t.tractorId, reason: 'incompatible-implement' });
    else if (!(rate > 0)) excluded.push({ tractorId: t.tractorId, reason: 'no-work-rate' });
    else if (!motion) excluded.push({ tractorId: t.tractorId, reason: 'invalid-motion' });
    else {
      active.push(t);
      rates.push(rate);
      motions.push(motion);
    }
  }
  const index = new Map(active.map((t, i) => [t.tractorId, i]));
  const fixed: Fixed[][] = active.map(() => []);
  const free: Prepared['free'] = [];
  const done: Prepared['done'] = [];
  const releasedLocks: string[] = [];
  const kept = keptRuns(input, index);
  for (const s of [...input.sections].sort((a, b) => a.order - b.order)) {
    const prog = input.progress?.[s.id];
    const doneFraction = Math.min(1, Math.max(0, prog?.doneFraction ?? 0));
    const workM2 = s.areaM2 * (1 - doneFraction);
    if (doneFraction >= DONE_FRACTION) {
      done.push({ id: s.id, tractorId: prog?.tractorId ?? '' });
      continue;
    }
    const lockTo = input.locks?.[s.id];
    const lockIdx = lockTo === undefined ? undefined : index.get(lockTo);
    if (lockTo !== undefined && lockIdx === undefined) releasedLocks.push(s.id);
    // A half-worked section stays with the machine working it, unless that machine is gone.
    const workingIdx =
      doneFraction > 0 && prog?.tractorId !== undefined ? index.get(prog.tractorId) : undefined;
    // A kept run holds its sections whoever left a sliver of work in them.
    const owner = lockIdx ?? kept.get(s.id)?.idx ?? workingIdx;
    // A section whose swaths are all driven is, for the time it takes, one no swath reaches: its
    // machine has moved on, and a run timed from it started behind where the machine works.
    const swaths = prog?.drivenOut === true ? [] : s.swaths;
    const timedM2 = swaths && swaths.length === 0 ? 0 : workM2;
    const item: Item = { id: s.id, order: s.order, workM2, timedM2, ...swathsOf(swaths) };
    if (owner !== undefined) {
      const status = doneFraction > 0 ? 'in-progress' : 'planned';
      fixed[owner]?.push({ ...item, status, locked: lockIdx !== undefined });
    } else free.push(item);
  }
  // A kept run in its own order; otherwise finish what is started first, then follow the path.
  for (const list of fixed)
    list.sort((a, b) => {
      const ka = kept.get(a.id);
      const kb = kept.get(b.id);
      if (ka && kb) return ka.pos - kb.pos;
      return (
        Number(b.status === 'in-progress') - Number(a.status === 'in-progress') || a.order - b.order
      );
    });
  return { active, rates, motions, free, fixed, done, excluded, releasedLocks };
}

/** Each kept section's tractor (index among the active) and place in its run. */
function keptRuns(
  input: AllocationInput,
  index: ReadonlyMap<string, number>,
): Map<string, { idx: number; pos: number }> {
  const out = new Map<string, { idx: number; pos: number }>();
  for (const [tractorId, ids] of Object.entries(input.keep ?? {})) {
    const idx = index.get(tractorId);
    if (idx !== undefined) ids.forEach((id, pos) => out.set(id, { idx, pos }));
  }
  return out;
}

function swathsOf(swaths: readonly SwathSegment[] | undefined): Driven {
  return swaths ? { swaths } : {};
}

/** Where a machine starts from, when it said where it stands. */
function startPoseOf(input: AllocationInput, tractorId: string): StartPose | undefined {
  const position = input.positions?.[tractorId];
  return position ? reportedPose(position, input.headingsDeg?.[tractorId]) : undefined;
}

/**
 * Travel seconds of each item of a machine's own sequence, from where it stands (a section it is
 * already working needs no reaching). Unknown position: the first item with swaths costs
 * `firstS` (its link on the path) besides its own turns.
 */
function ownTravelS(
  items: readonly (Item & { status?: AssignmentStatus })[],
  motion: Motion,
  from: StartPose | undefined,
  firstS: number,
): number[] {
  const head = items[0];
  const start = head?.status === 'in-progress' ? exitPose(head) : from;
  const travel = sequenceTravelS(items, motion, start);
  if (head?.status === 'in-progress') travel[0] = withinS(head, motion);
  else if (!from) {
    const k = items.findIndex((i) => (i.swaths?.length ?? 0) > 0);
    if (k >= 0) travel[k] = firstS;
  }
  return travel;
}

function candidateOrders(prep: Prepared, input: AllocationInput): number[][] {
  const k = prep.active.length;
  const ids = prep.active.map((t) => t.tractorId);
  const byRate = [...Array(k).keys()].sort((a, b) => at(prep.rates, b) - at(prep.rates, a));
  const orders = [[...Array(k).keys()], byRate, [...byRate].reverse()];
  const byPosition = positionOrder(prep, input);
  if (byPosition) orders.unshift(byPosition);
  if (input.previousOrder) {
    const prev = input.previousOrder.map((id) => ids.indexOf(id)).filter((i) => i >= 0);
    const joined = [...Array(k).keys()].filter((i) => !prev.includes(i));
    orders.unshift([...prev, ...joined]);
  }
  return orders;
}

/**
 * Tractors sorted by the path position of the free section nearest to each, when positions are
 * known: each run then starts close to its machine and no two machines cross to reach theirs.
 */
function positionOrder(prep: Prepared, input: AllocationInput): number[] | undefined {
  const positions = input.positions;
  if (!positions) return undefined;
  const free = new Set(prep.free.map((f) => f.id));
  const located = input.sections.filter((s) => free.has(s.id) && s.centroid);
  if (located.length === 0) return undefined;
  const key = prep.active.map((t) => {
    const p = positions[t.tractorId];
    if (!p) return Infinity;
    let best = { d: Infinity, order: Infinity };
    for (const s of located) {
      const c = s.centroid ?? p;
      const d = Math.hypot(c[0] - p[0], c[1] - p[1]);
      if (d < best.d) best = { d, order: s.order };
    }
    return best.order;
  });
  return [...prep.active.keys()].sort((a, b) => at(key, a) - at(key, b) || a - b);
}

/**
 * Allocates the remaining work so the job finishes soonest, each tractor getting one contiguous
 * run of the section path (plus what is locked or half-worked by it). Orders of the machines along
 * the path are searched from a few seeds by adjacent swaps; for each order the optimal cut comes
 * from linear-partition bisection. Done sections are never reassigned.
 */
export function allocate(input: AllocationInput): AllocationPlan {
  const prep = prepare(input);
  const k = prep.active.length;
  if (k === 0) {
    if (prep.free.length > 0 || prep.fixed.some((f) => f.length > 0))
      throw new PlanningError(`no tractor can do ${input.operation} work`);
  }
  const problem = partitionProblem(input, prep);
  const { preloadS } = problem;
  // The largest item on the machine that does it soonest (its travel from the path included).
  const largestS = Math.max(
    0,
    ...problem.work.map((w, i) =>
      Math.min(...prep.rates.map((r, m) => w / r + (problem.travelS?.[m]?.[i] ?? 0))),
    ),
  );
  // The fluid bound counts each machine's way to the work; the run bound the way to runs that
  // must begin far from every machine (each is below every cut, so their largest is too).
  const fluidS = k > 0 ? fluidBoundS(problem) : 0;
  const otherS = Math.max(fluidS, largestS, ...preloadS);
  const lowerBoundS = k > 0 ? Math.max(otherS, runBoundS(problem, otherS)) : 0;

  let best = { order: [] as number[], makespanS: 0, ends: [] as number[] };
  if (k > 0) {
    best = { order: [], makespanS: Infinity, ends: [] };
    const tryOrder = (order: number[]): boolean => {
      // An order whose greedy fill cannot even match the best so far cannot beat it: skip the
      // bisection (most swaps are such orders).
      const target = best.makespanS * (1 - 1e-9);
      if (Number.isFinite(target) && !greedyCut(problem, order, target)) return false;
      const r = bestCutForOrder(problem, order, lowerBoundS);
      if (r.makespanS < best.makespanS * (1 - 1e-9)) {
        best = { order, makespanS: r.makespanS, ends: r.ends };
        return true;
      }
      return false;
    };
    for (const o of candidateOrders(prep, input)) tryOrder(o);
    for (let pass = 0; pass < SWAP_PASSES; pass++) {
      let improved = false;
      for (let i = 0; i + 1 < k; i++) {
        const o = [...best.order];
        [o[i], o[i + 1]] = [at(o, i + 1), at(o, i)];
        improved = tryOrder(o) || improved;
      }
      if (!improved) break;
    }
    const balanced = proportionalCut(problem, best.order);
    const balancedSpan = Math.max(...finishTimes(problem, best.order, balanced));
    if (balancedSpan <= best.makespanS * (1 + 1e-9))
      best = { ...best, makespanS: balancedSpan, ends: balanced };
  }
  return buildPlan(input, prep, problem, best.order, best.ends, lowerBoundS);
}

/**
 * The partition over the free items: each machine's travel along the path (one computation per
 * distinct motion, with the turns inside each item apart), its preload (its fixed sections, their
 * travel included), and the travel to a run's first item from where the machine stands or from
 * the end of its fixed sections.
 */
function partitionProblem(input: AllocationInput, prep: Prepared): PartitionProblem {
  const byMotion = new Map<string, { travel: number[]; within: number[] }>();
  const perMotion = prep.motions.map((motion) => {
    const key = `${motion.turningRadiusM}/${motion.turnSpeedMps}/${motion.transitSpeedMps}`;
    const cached = byMotion.get(key) ?? {
      travel: sequenceTravelS(prep.free, motion),
      within: prep.free.map((f) => withinS(f, motion)),
    };
    byMotion.set(key, cached);
    return cached;
  });
  const travelS = perMotion.map((c) => c.travel);
  const preloadS = prep.fixed.map((list, m) => {
    const motion = at(prep.motions, m);
    const from = startPoseOf(input, at(prep.active, m).tractorId);
    const travel = ownTravelS(list, motion, from, withinS(list[0] ?? {}, motion));
    return list.reduce((s, f, j) => s + f.timedM2 / at(prep.rates, m) + at(travel, j), 0);
  });
  const starts = prep.active.map((t, m) => {
    const exits = (prep.fixed[m] ?? []).map(exitPose).filter((p) => p !== undefined);
    return exits.at(-1) ?? startPoseOf(input, t.tractorId);
  });
  const memo = new Map<number, number>();
  const startS = (m: number, i: number): number => {
    const from = starts[m];
    const item = prep.free[i];
    if (!from || !item) return at(at(travelS, m), i);
    const key = m * prep.free.length + i;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const s = sequenceTravelS([item], at(prep.motions, m), from)[0] ?? 0;
    memo.set(key, s);
    return s;
  };
  const startLowS = (m: number, i: number): number => {
    const from = starts[m];
    const item = prep.free[i];
    const first = item?.swaths?.[0];
    if (!from || !item) return at(at(travelS, m), i);
    if (!first) return 0;
    return approachLowS(from, first, at(prep.motions, m)) + at(at(perMotion, m).within, i);
  };
  return {
    work: prep.free.map((f) => f.timedM2),
    rates: prep.rates,
    preloadS,
    travelS,
    startS,
    startLowS,
    withinS: perMotion.map((c) => c.within),
    driven: prep.free.map((f) => (f.swaths?.length ?? 0) > 0),
  };
}

function buildPlan(
  input: AllocationInput,
  prep: Prepared,
  problem: PartitionProblem,
  order: number[],
  ends: number[],
  lowerBoundS: number,
): AllocationPlan {
  const assignments: SectionAssignment[] = prep.done.map((d) => ({
    sectionId: d.id,
    tractorId: d.tractorId,
    status: 'done',
    locked: false,
    remainingM2: 0,
    startS: 0,
    finishS: 0,
    travelS: 0,
    reachS: 0,
  }));
  const tractors: TractorPlan[] = [];
  let start = 0;
  const runs = new Map<number, { items: Fixed[]; first: number }>();
  order.forEach((m, i) => {
    const end = at(ends, i);
    const items = prep.free
      .slice(start, end)
      .map((f): Fixed => ({ ...f, status: 'planned', locked: false }));
    runs.set(m, { items, first: start });
    start = end;
  });
  prep.active.forEach((t, m) => {
    const rate = at(prep.rates, m);
    const fixed = at(prep.fixed, m);
    const run = runs.get(m);
    const own = [...fixed, ...(run?.items ?? [])];
    const firstS =
      fixed.length === 0 && run && run.items.length > 0
        ? (problem.startS?.(m, run.first) ?? 0)
        : withinS(own[0] ?? {}, at(prep.motions, m));
    const travel = ownTravelS(own, at(prep.motions, m), startPoseOf(input, t.tractorId), firstS);
    let clock = 0;
    own.forEach((s, j) => {
      const travelS = at(travel, j);
      const d = s.timedM2 / rate + travelS;
      assignments.push({
        sectionId: s.id,
        tractorId: t.tractorId,
        status: s.status,
        locked: s.locked,
        remainingM2: s.workM2,
        startS: clock,
        finishS: clock + d,
        travelS,
        reachS: Math.max(0, travelS - withinS(s, at(prep.motions, m))),
      });
      clock += d;
    });
    tractors.push({
      tractorId: t.tractorId,
      rateM2PerS: rate,
      sectionIds: own.map((s) => s.id),
      remainingM2: own.reduce((s, x) => s + x.workM2, 0),
      finishS: clock,
      travelS: travel.reduce((s, x) => s + x, 0),
    });
  });
  const makespanS = Math.max(0, ...tractors.map((t) => t.finishS));
  return {
    operation: input.operation,
    assignments,
    tractors,
    tractorOrder: order.map((m) => at(prep.active, m).tractorId),
    excluded: prep.excluded,
    releasedLocks: prep.releasedLocks,
    makespanS,
    lowerBoundS,
    ratio: lowerBoundS > 0 ? makespanS / lowerBoundS : 1,
  };
}
