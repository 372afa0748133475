/**
 * Refill trips in each machine's planned run: where along its run a machine's tank or hopper
 * runs out, the trip to the job's refill point and back (from the section it leaves: the straight
 * line and a half turn each way, timed as the simulated machines drive, travel-cost.ts), the
 * fixed refill time, and staggering so no two
 * machines are at the point at once where the plan can avoid it. Pure: plan in, trips out.
 *
 * Trips are placed one at a time, the machine that would leave first going first. A trip whose
 * fill would overlap one already placed (with REFILL_GAP_S either side) leaves earlier instead,
 * topping up a tank that still holds something, if it has used at least MIN_TOP_UP_SHARE of it
 * by then; else the machine it would meet there tops up earlier instead, if that trip is its
 * latest and it has used enough by then; otherwise it waits its turn at the point, and that wait
 * is the plan's queue. A trip counts the ground its machine spreads on (`spreadLeftM2`), which
 * is what empties the tank.
 */
import { areaPerFillM2, refillTimeS } from '../../shared/index.js';
import type { AllocationPlan } from './allocation-types.js';
import {
  DEFAULT_TRANSIT_SPEED_MPS,
  DEFAULT_TURN_SPEED_MPS,
  DEFAULT_TURNING_RADIUS_M,
  motionOf,
  type Motion,
  type TractorCapability,
} from './capability.js';
import { legTimeS } from './travel-cost.js';
import type { XY } from './types.js';

/**
 * Time kept free at the point either side of a fill, for the executed run's drift from the plan
 * (trips planned back to back would still meet there): as long as the fill itself, at most this.
 */
export const REFILL_GAP_S = 120;
/** A top-up before this share of the fill is used costs more trips than a short wait would. */
export const MIN_TOP_UP_SHARE = 0.5;
const EPS = 1e-6;
const DEFAULT_MOTION: Motion = {
  turningRadiusM: DEFAULT_TURNING_RADIUS_M,
  turnSpeedMps: DEFAULT_TURN_SPEED_MPS,
  transitSpeedMps: DEFAULT_TRANSIT_SPEED_MPS,
};

export interface RefillTrip {
  tractorId: string;
  /** The section it leaves from. */
  sectionId: string;
  /** Share of a fill used when it leaves: 1 when empty, less when topped up early. */
  usedShare: number;
  /** Seconds from the plan's start. */
  leaveS: number;
  arriveS: number;
  fillStartS: number;
  fillEndS: number;
  backS: number;
  /** Waiting at the point for another machine's fill (0 when staggering avoided it). */
  queueS: number;
}

export interface RefillPlan {
  trips: RefillTrip[];
  /** Longest wait of any machine at the point. */
  queueSMax: number;
}

export interface RefillInput {
  plan: AllocationPlan;
  /** Where each section lies (local metres): a trip's transit is timed from there. */
  centroids: ReadonlyMap<string, XY>;
  tractors: readonly TractorCapability[];
  /** The refill point, local metres. */
  point: XY;
  /** Ground each machine has worked since its last fill (m²); 0 (full) when absent. */
  usedM2?: Readonly<Record<string, number>>;
  /**
   * Ground a machine spreads on to finish each section (m²): the swath length it has left to
   * drive × the implement's width, which empties its tank whether a neighbour's pass already
   * reached that ground or not. Default: the section's ground left to work (`remainingM2`).
   */
  spreadLeftM2?: ReadonlyMap<string, number>;
  /** Time kept free either side of a fill (default: the fill's own length, at most REFILL_GAP_S). */
  gapS?: number;
  /**
   * Machines away for a fill when the plan is made: on their way to the point from `position`
   * (local metres), or standing there filling. Their fills keep the point as they will use it,
   * and each run goes on full from the point after its fill (the plan times it from there).
   */
  away?: readonly AwayMachine[];
}

/** A machine on its way to the point or filling there. */
export interface AwayMachine {
  tractorId: string;
  position: XY;
  filling: boolean;
}

/** One stretch of work on a machine's run: the section, when its work starts and ends, its area. */
interface Window {
  sectionId: string;
  fromS: number;
  toS: number;
  beforeM2: number;
  m2: number;
}

interface Run {
  tractor: TractorCapability;
  windows: Window[];
  totalM2: number;
  perFillM2: number;
  refillS: number;
  motion: Motion;
  /** Work done (m² of its run) when it was last full; negative when it starts part-used. */
  filledAtM2: number;
  /** Seconds its trips so far add to its run. */
  shiftS: number;
  /** Run time (without trips) of its last trip's start. */
  lastLeaveS: number;
}

export function planRefills(input: RefillInput): RefillPlan {
  const runs = input.tractors
    .map((t) => runOf(t, input))
    .filter((r): r is Run => r !== null && r.perFillM2 < Infinity);
  const held = awayFills(runs, input);
  const placed: Placed[] = [];
  for (;;) {
    const next = runs
      .map((run) => ({ run, emptyM2: run.filledAtM2 + run.perFillM2 }))
      .filter(({ run, emptyM2 }) => emptyM2 < run.totalM2 - EPS)
      .map((c) => ({ ...c, leaveS: timeAtM2(c.run.windows, c.emptyM2) + c.run.shiftS }))
      .sort((a, b) => a.leaveS - b.leaveS)[0];
    if (!next) break;
    const gapS = input.gapS ?? Math.min(REFILL_GAP_S, next.run.refillS);
    const before = stateOf(next.run);
    const trip = placeTrip(next.run, next.leaveS, [...held, ...busyOf(placed)], gapS, input);
    placed.push({ run: next.run, trip, before });
    if (trip.queueS > EPS) makeWay(placed, held, next.leaveS, gapS, input);
  }
  const trips = placed.map((p) => p.trip);
  return { trips, queueSMax: Math.max(0, ...trips.map((t) => t.queueS)) };
}

/** A trip placed, with its machine's run as it stood before the trip. */
interface Placed {
  run: Run;
  trip: RefillTrip;
  before: RunState;
}

type RunState = Pick<Run, 'filledAtM2' | 'shiftS' | 'lastLeaveS'>;

function stateOf(run: Run): RunState {
  return { filledAtM2: run.filledAtM2, shiftS: run.shiftS, lastLeaveS: run.lastLeaveS };
}

function busyOf(placed: readonly Placed[]): [number, number][] {
  return placed.map(({ trip }) => [trip.fillStartS, trip.fillEndS]);
}

/**
 * The last trip placed waits at the point: the other machine's trip it meets, when that is the
 * other's latest, may top up earlier instead and leave the point free for it (the trip that
 * waits has no earlier slot of its own: its machine has not used enough by then). Kept only
 * when neither trip then waits; otherwise both stay as they were.
 */
function makeWay(
  placed: Placed[],
  held: readonly [number, number][],
  leaveS: number,
  gapS: number,
  input: RefillInput,
): void {
  const waiting = placed.at(-1);
  if (!waiting) return;
  const { run, trip } = waiting;
  const meets = (p: Placed): boolean =>
    p.trip.fillEndS + gapS > trip.arriveS + EPS &&
    p.trip.fillStartS - gapS < trip.arriveS + run.refillS - EPS;
  const latest = (p: Placed): boolean => placed.filter((q) => q.run === p.run).at(-1) === p;
  // A fill of a machine already away cannot move: the wait stays.
  if (
    held.some(
      ([s, e]) => e + gapS > trip.arriveS + EPS && s - gapS < trip.arriveS + run.refillS - EPS,
    )
  )
    return;
  const blockers = placed.filter((p) => p !== waiting && meets(p));
  const blocker = blockers.length === 1 ? blockers[0] : undefined;
  if (!blocker || blocker.run === run || !latest(blocker)) return;
  const others = placed.filter((p) => p !== waiting && p !== blocker);
  const kept = { waiting: stateOf(run), blocker: stateOf(blocker.run) };
  Object.assign(run, waiting.before);
  Object.assign(blocker.run, blocker.before);
  // The blocker is placed again with the waiting trip's fill, on time, held free.
  const onTime: [number, number] = [trip.arriveS, trip.arriveS + run.refillS];
  const naturalS =
    timeAtM2(blocker.run.windows, blocker.run.filledAtM2 + blocker.run.perFillM2) +
    blocker.run.shiftS;
  const moved = placeTrip(blocker.run, naturalS, [...held, ...busyOf(others), onTime], gapS, input);
  const again = placeTrip(
    run,
    leaveS,
    [...held, ...busyOf(others), [moved.fillStartS, moved.fillEndS]],
    gapS,
    input,
  );
  if (moved.queueS <= EPS && again.queueS <= EPS) {
    placed.splice(
      0,
      placed.length,
      ...others,
      { ...blocker, trip: moved },
      { ...waiting, trip: again },
    );
    placed.sort((a, b) => a.trip.leaveS - b.trip.leaveS);
    return;
  }
  Object.assign(run, kept.waiting);
  Object.assign(blocker.run, kept.blocker);
}

/**
 * The fills of the machines away, as they will keep the point: one on its way arrives after its
 * leg from where it is, one filling there has its whole fill left (the station does not see when
 * it began). Each such run then goes on full, its trips after its fill.
 */
function awayFills(runs: readonly Run[], input: RefillInput): [number, number][] {
  const held: [number, number][] = [];
  for (const away of input.away ?? []) {
    const run = runs.find((r) => r.tractor.tractorId === away.tractorId);
    if (!run) continue;
    const straightM = distance(away.position, input.point);
    const arriveS = away.filling ? 0 : legTimeS(straightM, straightM, run.motion);
    held.push([arriveS, arriveS + run.refillS]);
    run.filledAtM2 = 0;
    run.shiftS = arriveS + run.refillS;
  }
  return held;
}

function runOf(t: TractorCapability, input: RefillInput): Run | null {
  const capacity = t.capacity;
  if (!capacity || capacity.kind === 'none') return null;
  const windows: Window[] = [];
  let beforeM2 = 0;
  const own = input.plan.assignments
    .filter((a) => a.tractorId === t.tractorId && a.status !== 'done' && a.remainingM2 > 0)
    .sort((a, b) => a.startS - b.startS);
  for (const a of own) {
    const m2 = input.spreadLeftM2?.get(a.sectionId) ?? a.remainingM2;
    windows.push({
      sectionId: a.sectionId,
      fromS: a.startS + a.travelS,
      toS: a.finishS,
      beforeM2,
      m2,
    });
    beforeM2 += m2;
  }
  const perFillM2 = areaPerFillM2(capacity);
  return {
    tractor: t,
    windows,
    totalM2: beforeM2,
    perFillM2,
    refillS: refillTimeS(capacity),
    motion: motionOf(t) ?? DEFAULT_MOTION,
    filledAtM2: -Math.min(perFillM2, input.usedM2?.[t.tractorId] ?? 0),
    shiftS: 0,
    lastLeaveS: 0,
  };
}

/** The trip leaving at `naturalLeaveS` (empty), moved earlier or kept waiting to share the point. */
function placeTrip(
  run: Run,
  naturalLeaveS: number,
  busy: readonly [number, number][],
  gapS: number,
  input: RefillInput,
): RefillTrip {
  const free = (from: number, to: number): boolean =>
    busy.every(([s, e]) => from >= e + gapS - EPS || to <= s - gapS + EPS);
  const legS = (atM2: number): number => {
    const straightM = distance(centroidAt(run, atM2, input), input.point);
    return legTimeS(straightM + Math.PI * run.motion.turningRadiusM, straightM, run.motion);
  };
  const naturalM2 = run.filledAtM2 + run.perFillM2;
  let leaveS = naturalLeaveS;
  let atM2 = naturalM2;
  let arriveS = leaveS + legS(atM2);
  let fillStartS = arriveS;
  if (!free(arriveS, arriveS + run.refillS)) {
    const early = earlierSlot(run, arriveS, busy, gapS, free, legS);
    if (early) ({ leaveS, atM2, arriveS } = early);
    fillStartS = early
      ? arriveS
      : ([arriveS, ...busy.map(([, e]) => e + gapS)]
          .filter((s) => s >= arriveS)
          .sort((a, b) => a - b)
          .find((s) => free(s, s + run.refillS)) ?? arriveS);
  }
  const fillEndS = fillStartS + run.refillS;
  const backS = fillEndS + legS(atM2);
  const trip: RefillTrip = {
    tractorId: run.tractor.tractorId,
    sectionId: windowAt(run.windows, atM2)?.sectionId ?? '',
    usedShare: Math.min(1, (atM2 - run.filledAtM2) / run.perFillM2),
    leaveS,
    arriveS,
    fillStartS,
    fillEndS,
    backS,
    queueS: fillStartS - arriveS,
  };
  run.lastLeaveS = leaveS - run.shiftS;
  run.shiftS += backS - leaveS;
  run.filledAtM2 = atM2;
  return trip;
}

/** The latest earlier trip whose fill fits before a placed one, if the machine has used enough by then. */
function earlierSlot(
  run: Run,
  arriveS: number,
  busy: readonly [number, number][],
  gapS: number,
  free: (from: number, to: number) => boolean,
  legS: (atM2: number) => number,
): { leaveS: number; atM2: number; arriveS: number } | null {
  const candidates = busy
    .map(([s]) => s - gapS - run.refillS)
    .filter((a) => a < arriveS)
    .sort((a, b) => b - a);
  for (const candidate of candidates) {
    if (!free(candidate, candidate + run.refillS)) continue;
    // Timed from the section it would leave on time; a top-up leaves a little earlier than that.
    const naturalLeg = legS(run.filledAtM2 + run.perFillM2);
    const leaveS = candidate - naturalLeg;
    const runS = leaveS - run.shiftS;
    if (runS < run.lastLeaveS) return null;
    const atM2 = workedAtS(run.windows, runS);
    if (atM2 - run.filledAtM2 < MIN_TOP_UP_SHARE * run.perFillM2) return null;
    // The fill keeps the slot found; the way there is timed from where it actually leaves.
    return { leaveS: candidate - legS(atM2), atM2, arriveS: candidate };
  }
  return null;
}

/** Run time (without trips) at which the run's work reaches `m2`. */
function timeAtM2(windows: readonly Window[], m2: number): number {
  const w = windowAt(windows, m2);
  if (!w) return windows.at(-1)?.toS ?? 0;
  const share = w.m2 > 0 ? Math.max(0, m2 - w.beforeM2) / w.m2 : 1;
  return w.fromS + share * (w.toS - w.fromS);
}

/** Work done (m²) at a run time (without trips). */
function workedAtS(windows: readonly Window[], s: number): number {
  let m2 = 0;
  for (const w of windows) {
    if (s >= w.toS) m2 = w.beforeM2 + w.m2;
    else if (s > w.fromS) m2 = w.beforeM2 + (w.m2 * (s - w.fromS)) / (w.toS - w.fromS);
  }
  return m2;
}

function windowAt(windows: readonly Window[], m2: number): Window | undefined {
  return windows.find((w) => m2 <= w.beforeM2 + w.m2 + EPS) ?? windows.at(-1);
}

function centroidAt(run: Run, m2: number, input: RefillInput): XY {
  const id = windowAt(run.windows, m2)?.sectionId;
  return (id !== undefined ? input.centroids.get(id) : undefined) ?? input.point;
}

function distance(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/**
 * The plan with its trips in it: each section after a trip starts later, the section a trip
 * leaves from ends later, and every finish time and the makespan count the trips.
 */
export function withRefills(plan: AllocationPlan, refills: RefillPlan): AllocationPlan {
  if (refills.trips.length === 0) return plan;
  // Each trip at the run time (without trips) it leaves, with how long it takes.
  const tripsOf = new Map<string, { atS: number; s: number }[]>();
  for (const id of new Set(refills.trips.map((t) => t.tractorId))) {
    let shift = 0;
    const own = refills.trips
      .filter((t) => t.tractorId === id)
      .sort((a, b) => a.leaveS - b.leaveS)
      .map((t) => {
        const trip = { atS: t.leaveS - shift, s: t.backS - t.leaveS };
        shift += trip.s;
        return trip;
      });
    tripsOf.set(id, own);
  }
  const delayAt = (tractorId: string, s: number): number =>
    (tripsOf.get(tractorId) ?? []).reduce((sum, t) => (t.atS <= s + EPS ? sum + t.s : sum), 0);
  const assignments = plan.assignments.map((a) =>
    a.status === 'done'
      ? a
      : {
          ...a,
          startS: a.startS + (a.startS > 0 ? delayAt(a.tractorId, a.startS) : 0),
          finishS: a.finishS + delayAt(a.tractorId, a.finishS),
        },
  );
  const tractors = plan.tractors.map((t) => ({
    ...t,
    finishS: t.finishS + delayAt(t.tractorId, t.finishS),
  }));
  const makespanS = Math.max(0, ...tractors.map((t) => t.finishS));
  return {
    ...plan,
    assignments,
    tractors,
    makespanS,
    ratio: plan.lowerBoundS > 0 ? makespanS / plan.lowerBoundS : 1,
  };
}
