import { areaPerFillM2 } from '../../shared/index.js';
import { allocate } from './allocate.js';
import type { AllocationInput, AllocationPlan, SectionProgress } from './allocation-types.js';
import { replanBoundary } from './boundary-change.js';
import type { Operation, TractorCapability } from './capability.js';
import { coverageGrid, type CoverageGrid } from './coverage-grid.js';
import { CoverageTracker } from './coverage-tracker.js';
import type { CoverageSegment, CoverageSummary } from './coverage-types.js';
import type { FieldGeometryError } from './errors.js';
import { DEFAULT_PLAN_OPTIONS, planField } from './plan-field.js';
import type { FieldPlan, PlanOptions } from './plan-types.js';
import { PaceMeter } from './pace-meter.js';
import { progressReport, sectionProgress, WorkRateMeter, type ProgressReport } from './progress.js';
import { planRefills, withRefills, type AwayMachine, type RefillPlan } from './refill-plan.js';
import { reassignSection, replan, type FleetChange, type ReassignResult } from './replan.js';
import type { FieldGeometry, Result, XY } from './types.js';
import type { ValidField } from './validate-field.js';

/** A tractor is "behind" when its measured rate is below this share of the rate it was planned at. */
export const BEHIND_RATE_SHARE = 0.8;

export interface FieldJobConfig {
  field: ValidField;
  plan?: Partial<PlanOptions>;
  operation: Operation;
  tractors: TractorCapability[];
  /** Sections pinned to a tractor for this allocation (e.g. the plan a restart read back). */
  locks?: Readonly<Record<string, string>>;
  /** Where the tractors stand now (local metres) and point: the first allocation's transit. */
  positions?: Readonly<Record<string, XY>>;
  headingsDeg?: Readonly<Record<string, number>>;
  /** The field already laid out with `plan` (the caller's own copy): not laid out again. */
  planned?: FieldPlan;
  /** The scan rows of `planned` (`coverageGrid`), when the caller has them: not built again. */
  grid?: CoverageGrid;
  /** The job's refill point (local metres, validated): every plan then has refill trips in it. */
  refillPoint?: XY;
  /** Ground each machine has worked on its present fill, when a plan is made (default none). */
  fillUsedM2?: () => Readonly<Record<string, number>>;
  /**
   * Ground a machine spreads on to finish a section, when a plan is made (its swaths' length left
   * to drive × width; default the section's ground left): what the refill trips count, and none
   * left in a section in work says its swaths are all driven (the plan no longer charges it).
   */
  spreadLeftM2?: (sectionId: string) => number;
}

/** How far each section's swaths are driven (the station's record of passes knows). */
export interface DrivenSections {
  /** Share of the section's swath length driven, 0..1. */
  share: (sectionId: string) => number;
  /** Per swath of the section, in driving order: whether any of it is driven. */
  started: (sectionId: string) => readonly boolean[];
}

const NO_REFILLS: RefillPlan = { trips: [], queueSMax: 0 };
/** Spread short of a trip's share under which the machine counts as due (a report's worth). */
const DUE_TOLERANCE_M2 = 1;
/** Ground left to drive under which a section's swaths count as all driven (steering's slivers). */
const DRIVEN_OUT_M2 = 1;

/**
 * One field job's work state without I/O: the plan, the allocation input and plan, the coverage
 * folded so far and the measured rates. The station feeds it coverage logs and fleet events and
 * writes what it returns (plain data) into the shared document.
 */
export class FieldJob {
  plan: FieldPlan;
  allocation: AllocationPlan;
  private input: AllocationInput;
  private coverage: CoverageTracker;
  private grid: CoverageGrid;
  private readonly meter = new WorkRateMeter();
  private readonly pace = new PaceMeter();
  private readonly sectionLengthM: number;
  private planSeen: { plan: AllocationPlan; atMs: number } | null = null;
  private readonly refillPoint: XY | null;
  private refillPlan: RefillPlan = NO_REFILLS;
  private readonly fillUsedM2: () => Readonly<Record<string, number>>;
  private readonly spreadLeftM2: ((sectionId: string) => number) | null;

  constructor(config: FieldJobConfig) {
    this.refillPoint = config.refillPoint ?? null;
    this.fillUsedM2 = config.fillUsedM2 ?? (() => ({}));
    this.spreadLeftM2 = config.spreadLeftM2 ?? null;
    this.plan = config.planned ?? planField(config.field, config.plan);
    this.sectionLengthM = config.plan?.maxSectionLengthM ?? DEFAULT_PLAN_OPTIONS.maxSectionLengthM;
    this.input = {
      sections: this.plan.sections,
      tractors: config.tractors,
      operation: config.operation,
      ...(config.locks ? { locks: config.locks } : {}),
    };
    // Positions are the start's only: later replans are given the positions of their time.
    this.allocation = this.withTrips(
      allocate({
        ...this.input,
        ...(config.positions ? { positions: config.positions } : {}),
        ...(config.headingsDeg ? { headingsDeg: config.headingsDeg } : {}),
      }),
    );
    this.grid = config.planned && config.grid ? config.grid : coverageGrid(this.plan);
    this.coverage = new CoverageTracker(this.grid);
  }

  /** Folds new coverage log entries and samples each tractor's unique area for its work rate. */
  addCoverage(segments: readonly CoverageSegment[]): void {
    const last = new Map<string, number>();
    for (const s of segments) {
      this.coverage.add(s);
      last.set(s.tractorId, Math.max(last.get(s.tractorId) ?? -Infinity, s.tMs));
    }
    for (const [id, tMs] of last) {
      const uniqueM2 = this.coverage.tractor(id).uniqueM2;
      this.meter.record(id, tMs, uniqueM2);
      this.pace.record(id, tMs);
    }
  }

  coverageSummary(): CoverageSummary {
    return this.coverage.summary();
  }

  /**
   * Progress and ETAs; given the time now (the clock of the coverage's tMs), paces run to it,
   * and given how far each section's swaths are driven, the time left follows that. */
  progress(
    nowMs?: number,
    driven?: DrivenSections,
    delayed?: (tractorId: string) => boolean,
  ): ProgressReport {
    const idleS = (nowMs: number) => (tractorId: string) => {
      const lastMs = this.pace.lastWorkMs(tractorId);
      return lastMs === undefined ? undefined : Math.max(0, nowMs - lastMs) / 1000;
    };
    return progressReport(this.plan.sections, this.allocation, this.coverage.summary(), {
      pace: this.pace,
      ...(nowMs === undefined
        ? {}
        : { nowMs, planAgeS: this.planAgeS(nowMs), idleS: idleS(nowMs) }),
      ...(driven ? { drivenShare: driven.share, startedSwaths: driven.started } : {}),
      ...(delayed ? { delayed } : {}),
    });
  }

  /**
   * Seconds since the current allocation was first read with a time: the job reads no clock,
   * and the station reads progress at least once a second, so this is the plan's age within one.
   */
  private planAgeS(nowMs: number): number {
    if (this.planSeen?.plan !== this.allocation)
      this.planSeen = { plan: this.allocation, atMs: nowMs };
    return Math.max(0, nowMs - this.planSeen.atMs) / 1000;
  }

  /** Tractors whose measured rate has fallen below 80% of what the plan assumed. */
  behindSchedule(): { tractorId: string; measuredM2PerS: number; plannedM2PerS: number }[] {
    const out: { tractorId: string; measuredM2PerS: number; plannedM2PerS: number }[] = [];
    for (const t of this.allocation.tractors) {
      const measured = this.meter.rateM2PerS(t.tractorId);
      if (
        measured !== undefined &&
        t.remainingM2 > 0 &&
        measured < BEHIND_RATE_SHARE * t.rateM2PerS
      )
        out.push({ tractorId: t.tractorId, measuredM2PerS: measured, plannedM2PerS: t.rateM2PerS });
    }
    return out;
  }

  /**
   * Replans the remaining work after a fleet change; worked ground comes from coverage.
   * `positions` (local metres) lets runs start near where the tractors are now.
   */
  applyChange(change: FleetChange, positions?: Readonly<Record<string, XY>>): AllocationPlan {
    const r = replan(this.inputNow(positions), this.allocation, change);
    this.input = { ...r.input, progress: {} };
    this.allocation = this.withTrips(r.plan);
    return this.allocation;
  }

  /**
   * A live rebalance: the sections go to the end of `toTractorId`'s run, every other run stays
   * as it is (in its order), and the plan is timed again from where the machines stand (`positions`, local metres).
   */
  moveSections(
    sectionIds: readonly string[],
    toTractorId: string,
    positions?: Readonly<Record<string, XY>>,
  ): AllocationPlan {
    const runs = Object.fromEntries(
      this.allocation.tractors.map((t) => [t.tractorId, t.sectionIds]),
    );
    return this.applyChange({ kind: 'sections-moved', sectionIds, toTractorId, runs }, positions);
  }

  /**
   * The refill trips placed again from where the machines stand (`positions`, local metres) and
   * what each has used of its fill, on the present runs (each in its order) timed from now. The
   * allocation stays as it is: its times are what the machines' measured paces and the live
   * rebalance are judged against, and a plan timed again mid-run moved both (on the paddock's
   * two-machine refill run a rebalance then handed work to the machine with more trips to make).
   * The machines `away` for a fill keep the point for it, and their runs are timed from the point.
   */
  restaggerRefills(
    positions: Readonly<Record<string, XY>> = {},
    away: readonly AwayMachine[] = [],
  ): RefillPlan {
    const point = this.refillPoint;
    if (!point) return this.refillPlan;
    const runs = Object.fromEntries(
      this.allocation.tractors.map((t) => [t.tractorId, t.sectionIds]),
    );
    const from = { ...positions };
    for (const a of away) from[a.tractorId] = point;
    const { plan } = replan(this.inputNow(from), this.allocation, { kind: 'retimed', runs });
    this.withTrips(plan, away);
    return this.refillPlan;
  }

  /** Reallocates the remaining work as it stands, e.g. after the coverage log was restored. */
  replanRemaining(): AllocationPlan {
    const progress = this.progressNow();
    this.allocation = this.withTrips(
      allocate({
        ...this.input,
        progress,
        previousOrder: this.allocation.tractorOrder,
      }),
    );
    return this.allocation;
  }

  /** The sections the operator pinned to a tractor (later replans keep them there). */
  locks(): Readonly<Record<string, string>> {
    return this.input.locks ?? {};
  }

  /** Replaces the pins later replans keep, without replanning now. */
  setLocks(locks: Readonly<Record<string, string>>): void {
    this.input = { ...this.input, locks };
  }

  /** The operator drags a section to another tractor. */
  reassign(sectionId: string, toTractorId: string): ReassignResult {
    const r = reassignSection(this.input, this.allocation, sectionId, toTractorId);
    this.input = r.input;
    this.allocation = this.withTrips(r.plan);
    return r;
  }

  /**
   * The operator drags several sections to a tractor, all or none: one that cannot move (done,
   * unknown, a tractor the plan does not hold) throws a PlanningError and nothing moves.
   */
  reassignAll(sectionIds: readonly string[], toTractorId: string): void {
    let input = this.input;
    let allocation = this.allocation;
    for (const id of sectionIds) {
      const r = reassignSection(input, allocation, id, toTractorId);
      input = r.input;
      allocation = r.plan;
    }
    this.input = input;
    this.allocation = allocation;
  }

  /**
   * The boundary is edited during work: the field is replanned in the old frame, the coverage
   * log is refolded against the new field and the remaining work reallocated. On an invalid
   * boundary nothing changes.
   */
  editBoundary(
    boundary: FieldGeometry,
    coverageLog: readonly CoverageSegment[],
  ): Result<FieldPlan, FieldGeometryError> {
    const r = replanBoundary(boundary, this.plan, this.coverage, this.sectionLengthM);
    if (!r.ok) return r;
    const previousOrder = this.allocation.tractorOrder;
    this.plan = r.value.plan;
    this.grid = coverageGrid(this.plan);
    this.coverage = new CoverageTracker(this.grid);
    this.coverage.addAll(coverageLog);
    this.input = {
      sections: this.plan.sections,
      tractors: this.input.tractors,
      operation: this.input.operation,
      previousOrder,
    };
    this.allocation = this.withTrips(
      allocate({
        ...this.input,
        progress: sectionProgress(this.plan.sections, this.coverage.summary()),
      }),
    );
    return { ok: true, value: this.plan };
  }

  /** The allocation input with the work as it stands now and where the machines are. */
  private inputNow(positions?: Readonly<Record<string, XY>>): AllocationInput {
    return { ...this.input, progress: this.progressNow(), ...(positions ? { positions } : {}) };
  }

  /**
   * Each section's progress from coverage, a section in work whose swaths are all driven marked
   * so (`drivenOut`): what is left of it no pass reaches, and the plan neither charges it nor
   * times its machine's run from it.
   */
  private progressNow(): Record<string, SectionProgress> {
    const progress = sectionProgress(this.plan.sections, this.coverage.summary(), this.allocation);
    const spreadLeft = this.spreadLeftM2;
    if (!spreadLeft) return progress;
    for (const s of this.plan.sections) {
      const p = progress[s.id];
      if (p && p.doneFraction > 0 && s.swaths.length > 0 && spreadLeft(s.id) <= DRIVEN_OUT_M2)
        progress[s.id] = { ...p, drivenOut: true };
    }
    return progress;
  }

  /**
   * The machine has used its fill as far as the present plan's next trip for it says (it is on
   * its way to the point, or should be), by `usedM2` spread on since its last fill.
   */
  dueForRefill(tractorId: string, usedM2: number): boolean {
    const trip = this.refillPlan.trips.find((t) => t.tractorId === tractorId);
    const capacity = this.input.tractors.find((t) => t.tractorId === tractorId)?.capacity;
    if (!trip || !capacity || capacity.kind === 'none') return false;
    return usedM2 >= trip.usedShare * areaPerFillM2(capacity) - DUE_TOLERANCE_M2;
  }

  /** The refill trips in the present plan (none without a refill point). */
  refills(): RefillPlan {
    return this.refillPlan;
  }

  private withTrips(plan: AllocationPlan, away: readonly AwayMachine[] = []): AllocationPlan {
    if (!this.refillPoint) return plan;
    const spread = this.spreadLeftM2;
    this.refillPlan = planRefills({
      plan,
      centroids: new Map(this.plan.sections.map((s) => [s.id, s.centroid])),
      tractors: this.input.tractors,
      point: this.refillPoint,
      usedM2: this.fillUsedM2(),
      ...(away.length > 0 ? { away } : {}),
      ...(spread
        ? { spreadLeftM2: new Map(plan.assignments.map((a) => [a.sectionId, spread(a.sectionId)])) }
        : {}),
    });
    return withRefills(plan, this.refillPlan);
  }
}
