import type {
  AllocationInput,
  AllocationPlan,
  AssignmentStatus,
  SectionAssignment,
  TractorPlan,
} from './allocation-types.js';
import { at } from './at.js';
import { isCompatible, workRateM2PerS, type TractorCapability } from './capability.js';
import { PlanningError } from './errors.js';
import {
  bestCutForOrder,
  finishTimes,
  fluidBoundS,
  proportionalCut,
  type PartitionProblem,
} from './linear-partition.js';

/**
 * A section this close to finished (share of its area) counts as done: the slivers guidance
 * error leaves along a swath's edges are not worth sending a machine back for.
 */
export const DONE_FRACTION = 0.98;
/** Rounds of adjacent-swap improvement over the machine order. */
const SWAP_PASSES = 3;

interface Fixed {
  id: string;
  order: number;
  workM2: number;
  status: AssignmentStatus;
  locked: boolean;
}

interface Prepared {
  active: TractorCapability[];
  rates: number[];
  free: { id: string; order: number; workM2: number }[];
  fixed: Fixed[][];
  done: { id: string; tractorId: string }[];
  excluded: AllocationPlan['excluded'];
  releasedLocks: string[];
}

function prepare(input: AllocationInput): Prepared {
  const excluded: AllocationPlan['excluded'] = [];
  const active: TractorCapability[] = [];
  const rates: number[] = [];
  for (const t of input.tractors) {
    if (!isCompatible(t, input.operation))
      excluded.push({ tractorId: t.tractorId, reason: 'incompatible-implement' });
    else {
      const rate = input.measuredRatesM2PerS?.[t.tractorId] ?? workRateM2PerS(t);
      if (rate > 0) {
        active.push(t);
        rates.push(rate);
      } else excluded.push({ tractorId: t.tractorId, reason: 'no-work-rate' });
    }
  }
  const index = new Map(active.map((t, i) => [t.tractorId, i]));
  const fixed: Fixed[][] = active.map(() => []);
  const free: Prepared['free'] = [];
  const done: Prepared['done'] = [];
  const releasedLocks: string[] = [];
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
    const owner = lockIdx ?? workingIdx;
    if (owner !== undefined)
      fixed[owner]?.push({
        id: s.id,
        order: s.order,
        workM2,
        status: doneFraction > 0 ? 'in-progress' : 'planned',
        locked: lockIdx !== undefined,
      });
    else free.push({ id: s.id, order: s.order, workM2 });
  }
  return { active, rates, free, fixed, done, excluded, releasedLocks };
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
  const preloadS = prep.fixed.map(
    (list, m) => list.reduce((s, f) => s + f.workM2, 0) / at(prep.rates, m),
  );
  const problem: PartitionProblem = {
    work: prep.free.map((f) => f.workM2),
    rates: prep.rates,
    preloadS,
  };
  const largest = Math.max(0, ...problem.work);
  const fastest = Math.max(0, ...prep.rates);
  const fluidS = k > 0 ? fluidBoundS(problem) : 0;
  const lowerBoundS = k > 0 ? Math.max(fluidS, largest / fastest, ...preloadS) : 0;

  let best = { order: [] as number[], makespanS: 0, ends: [] as number[] };
  if (k > 0) {
    best = { order: [], makespanS: Infinity, ends: [] };
    const tryOrder = (order: number[]): boolean => {
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
    const balanced = proportionalCut(problem, best.order, fluidS);
    const balancedSpan = Math.max(...finishTimes(problem, best.order, balanced));
    if (balancedSpan <= best.makespanS * (1 + 1e-9))
      best = { ...best, makespanS: balancedSpan, ends: balanced };
  }
  return buildPlan(input, prep, best.order, best.ends, lowerBoundS);
}

function buildPlan(
  input: AllocationInput,
  prep: Prepared,
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
  }));
  const tractors: TractorPlan[] = [];
  let start = 0;
  const runs = new Map<number, Fixed[]>();
  order.forEach((m, i) => {
    const end = at(ends, i);
    runs.set(
      m,
      prep.free.slice(start, end).map((f) => ({ ...f, status: 'planned', locked: false })),
    );
    start = end;
  });
  prep.active.forEach((t, m) => {
    const rate = at(prep.rates, m);
    const own = [...at(prep.fixed, m), ...(runs.get(m) ?? [])];
    // Finish what is started first, then follow the path.
    own.sort(
      (a, b) =>
        Number(b.status === 'in-progress') - Number(a.status === 'in-progress') ||
        a.order - b.order,
    );
    let clock = 0;
    for (const s of own) {
      const d = s.workM2 / rate;
      assignments.push({
        sectionId: s.id,
        tractorId: t.tractorId,
        status: s.status,
        locked: s.locked,
        remainingM2: s.workM2,
        startS: clock,
        finishS: clock + d,
      });
      clock += d;
    }
    tractors.push({
      tractorId: t.tractorId,
      rateM2PerS: rate,
      sectionIds: own.map((s) => s.id),
      remainingM2: own.reduce((s, x) => s + x.workM2, 0),
      finishS: clock,
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
