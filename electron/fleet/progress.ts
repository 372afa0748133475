import type { AllocationPlan, SectionAssignment, SectionProgress } from './allocation-types.js';
import type { CoverageSummary } from './coverage-types.js';
import type { SwathSegment } from './plan-types.js';
import type { PaceMeter, PlanReading } from './pace-meter.js';
import { type RunSection, sectionLeftParts, wayBehind } from './section-time-left.js';
import type { XY } from './types.js';

/** Work rates are measured over this window, long enough to span a headland turn or two. */
export const RATE_WINDOW_MS = 120_000;
/** Below this much data a measured rate is noise; the nominal capacity is used instead. */
export const MIN_RATE_SPAN_MS = 10_000;

/**
 * Measured work rate per tractor: new unique area per second over a sliding window, fed with
 * each tractor's cumulative unique area. Overlap is not progress, so it does not count.
 */
export class WorkRateMeter {
  private readonly samples = new Map<string, { tMs: number; uniqueM2: number }[]>();

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  record(tractorId: string, tMs: number, uniqueM2: number): void {
    let list = this.samples.get(tractorId);
    if (!list) {
      list = [];
      this.samples.set(tractorId, list);
    }
    list.push({ tMs, uniqueM2 });
    while (list.length > 2 && (list[1]?.tMs ?? tMs) <= tMs - this.windowMs) list.shift();
  }

  /** m²/s, or undefined while there is too little history (behind-schedule checks use it). */
  rateM2PerS(tractorId: string): number | undefined {
    const list = this.samples.get(tractorId);
    const first = list?.[0];
    const last = list?.[list.length - 1];
    if (!first || !last || last.tMs - first.tMs < MIN_RATE_SPAN_MS) return undefined;
    return ((last.uniqueM2 - first.uniqueM2) * 1000) / (last.tMs - first.tMs);
  }
}

/** Section progress for allocation: worked share from coverage, and who is assigned to it. */
export function sectionProgress(
  sections: readonly { id: string; areaM2: number }[],
  coverage: CoverageSummary,
  plan?: AllocationPlan,
): Record<string, SectionProgress> {
  const owner = new Map(plan?.assignments.map((a) => [a.sectionId, a.tractorId]));
  const out: Record<string, SectionProgress> = {};
  for (const s of sections) {
    const done = coverage.sections[s.id]?.uniqueM2 ?? 0;
    const fraction = s.areaM2 > 0 ? Math.min(1, done / s.areaM2) : 1;
    const tractorId = owner.get(s.id);
    out[s.id] =
      tractorId === undefined ? { doneFraction: fraction } : { doneFraction: fraction, tractorId };
  }
  return out;
}

/** A section as progress reads it: its swaths, when given, say how much of it can be worked. */
export interface ProgressSection {
  id: string;
  areaM2: number;
  workLengthM?: number;
  swaths?: readonly SwathSegment[];
}

/**
 * The ground a section's swaths cover when driven end to end: the corners and edges beyond them
 * are never worked, and counting them as work to come would hold every ETA above zero.
 */
function reachableM2(section: ProgressSection): number {
  const widthM = section.swaths?.[0]?.widthM;
  if (section.workLengthM === undefined || widthM === undefined) return section.areaM2;
  return Math.min(section.areaM2, section.workLengthM * widthM);
}

export interface TractorProgress {
  tractorId: string;
  uniqueM2: number;
  overlapM2: number;
  remainingM2: number;
  /** The plan's time for what is left of its sections (their turns and transit included), s. */
  plannedLeftS: number;
  /**
   * Seconds it takes per planned second of what it has left: the fleet's, or its own where it is
   * much slower than the rest (pace-meter.ts; 1 before any).
   */
  pace: number;
  /** Seconds to finish its sections: the plan's time left at those paces. */
  etaS: number;
}

export interface ProgressReport {
  workAreaM2: number;
  uniqueM2: number;
  overlapM2: number;
  fraction: number;
  remainingM2: number;
  /** The job ends when its last tractor does. */
  etaS: number;
  tractors: TractorProgress[];
}

/**
 * Progress and ETA per tractor and for the job: remaining = assigned section area not yet worked
 * (unique coverage only, so overlaps never make a job look further along than it is). A
 * machine's ETA is the plan's time for what is left of each of its sections (the drive to it and
 * its turns where the machine drives them, its work in proportion to its swath length left:
 * section-time-left.ts), at the fleet's measured pace (pace-meter.ts).
 */
export interface ProgressClock {
  pace?: PaceMeter;
  /** The time now, which the machines' paces run to. */
  nowMs?: number;
  /** Share of a section's swath length driven (what is left to drive is what takes time). */
  drivenShare?: (sectionId: string) => number;
  /** Which of a section's swaths (in driving order) are started: the turns into the rest are ahead. */
  startedSwaths?: (sectionId: string) => readonly boolean[];
  /**
   * Seconds since the plan was made: a machine on its way to the first section of its run has
   * used that much of the way there (its planned transit), though it has driven no swath yet.
   */
  planAgeS?: number;
  /**
   * Seconds since a machine's last report of work (undefined before any): one that has driven
   * its sections out up to an untouched one has been on its way there that long.
   */
  idleS?: (tractorId: string) => number | undefined;
  /** Whether a machine is slowed or held by the separation guard now (pace-meter.ts). */
  delayed?: (tractorId: string) => boolean;
}

export function progressReport(
  sections: readonly ProgressSection[],
  plan: AllocationPlan,
  coverage: CoverageSummary,
  clock: ProgressClock = {},
): ProgressReport {
  const area = new Map(sections.map((s) => [s.id, s.areaM2]));
  const reach = new Map(sections.map((s) => [s.id, reachableM2(s)]));
  const swathsOf = new Map(sections.map((s) => [s.id, s.swaths]));
  const worked = (id: string): number => coverage.sections[id]?.uniqueM2 ?? 0;
  const left = (id: string): number => Math.max(0, (area.get(id) ?? 0) - worked(id));
  // What the implement can still reach of a section, after `workedM2` of it.
  const reachLeft = (id: string, workedM2: number): number =>
    Math.max(0, (reach.get(id) ?? 0) - workedM2);
  // Of a section's planned time, the share still to come (1 when nothing was done at the plan).
  const shareLeft = (a: SectionAssignment): number => {
    const areaM2 = area.get(a.sectionId) ?? 0;
    const atPlan = areaM2 > 0 ? a.remainingM2 / areaM2 : 0;
    const now = clock.drivenShare
      ? 1 - clock.drivenShare(a.sectionId)
      : (reachLeft(a.sectionId, worked(a.sectionId)) /
          Math.max(1e-9, reachLeft(a.sectionId, areaM2 - a.remainingM2))) *
        atPlan;
    return atPlan > 0 ? Math.min(1, Math.max(0, now) / atPlan) : 0;
  };
  const byId = new Map(plan.assignments.map((a) => [a.sectionId, a]));
  const runs = plan.tractors.map((t) => {
    const remainingM2 = t.sectionIds.reduce((s, id) => s + left(id), 0);
    const toCome = { workS: 0, turnS: 0, driveS: 0 };
    const run: RunSection[] = [];
    let from: XY | undefined;
    for (const id of t.sectionIds) {
      const swaths = swathsOf.get(id);
      const a = byId.get(id);
      if (a && a.tractorId === t.tractorId && a.remainingM2 > 0) {
        const section: RunSection = {
          assignment: a,
          shareLeft: shareLeft(a),
          swaths,
          started: clock.startedSwaths?.(id),
          from,
        };
        run.push(section);
        const parts = sectionLeftParts(section);
        toCome.workS += parts.workS;
        toCome.turnS += parts.turnS;
        toCome.driveS += parts.driveS;
      }
      from = swaths?.[swaths.length - 1]?.end;
    }
    const behind = wayBehind(run, waySoFarS(t.tractorId, clock));
    const reading: PlanReading = {
      plan,
      workLeftS: toCome.workS,
      turnLeftS: Math.max(0, toCome.turnS - behind.turnS),
      driveLeftS: Math.max(0, toCome.driveS - behind.driveS),
      delayed: clock.delayed?.(t.tractorId) ?? false,
    };
    return { t, remainingM2, reading };
  });
  const meter = clock.pace;
  if (meter && clock.nowMs !== undefined)
    meter.read(clock.nowMs, new Map(runs.map((r) => [r.t.tractorId, r.reading])));
  const tractors: TractorProgress[] = runs.map(({ t, remainingM2, reading }) => {
    const pace = meter?.pace(t.tractorId, t.finishS) ?? 1;
    const plannedLeftS = reading.workLeftS + reading.turnLeftS + reading.driveLeftS;
    const etaS = plannedLeftS * pace;
    const tally = coverage.tractors[t.tractorId];
    return {
      tractorId: t.tractorId,
      uniqueM2: tally?.uniqueM2 ?? 0,
      overlapM2: tally?.overlapM2 ?? 0,
      remainingM2,
      plannedLeftS,
      pace,
      etaS: remainingM2 === 0 ? 0 : etaS,
    };
  });
  const workAreaM2 = sections.reduce((s, x) => s + x.areaM2, 0);
  const remainingM2 = sections.reduce((s, x) => s + left(x.id), 0);
  return {
    workAreaM2,
    uniqueM2: coverage.uniqueM2,
    overlapM2: coverage.overlapM2,
    fraction: workAreaM2 > 0 ? Math.min(1, coverage.uniqueM2 / workAreaM2) : 1,
    remainingM2,
    etaS: Math.max(0, ...tractors.map((t) => t.etaS)),
    tractors,
  };
}

/**
 * Seconds a machine has been on its way since the plan was made and since its last work,
 * whichever is shorter (undefined when neither is known).
 */
function waySoFarS(tractorId: string, clock: ProgressClock): number | undefined {
  const idle = clock.idleS?.(tractorId);
  const age = clock.planAgeS;
  const sinceS = idle === undefined ? age : age === undefined ? idle : Math.min(idle, age);
  // Held by the guard on its way, a machine got no further: that time is not way behind it.
  const heldS = clock.pace?.heldS(tractorId) ?? 0;
  return sinceS === undefined ? undefined : Math.max(0, sinceS - heldS);
}
