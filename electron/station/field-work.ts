/**
 * The job's field work as the station runs it: the plan (sections made of swaths), who holds
 * each section, and what has been driven. Wraps the fleet library's FieldJob (allocation,
 * replanning, exact coverage and rates) and keeps, per swath, the passes tractors reported, so
 * the map can draw worked ground and a tractor taking over a section knows what is done.
 */
import type { LonLat, Ring } from '../../shared/index.js';
import {
  bboxOf,
  boxesOverlap,
  CoverageTracker,
  FieldJob,
  reviseField,
  TangentFrame,
  planField,
  validateRefillPoint,
  type AllocationPlan,
  type CoverageGrid,
  type AwayMachine,
  type RefillPlan,
  type CoverageSegment,
  type CoverageSummary,
  type FieldPlan,
  type FieldRevision,
  type Operation,
  type PlanOptions,
  type ProgressReport,
  type RevisedField,
  type Section,
  type TractorCapability,
  type ValidField,
  type XY,
} from '../fleet/index.js';
import type { AssignedSection } from '../link/index.js';
import { SwathPasses, type Pass } from './swath-passes.js';
import { FillLevels } from './fill-levels.js';
import { onSwath, pointAlong, stripCorners, type Swath } from './swath-geometry.js';
import { CarriedCoverage, type WorldSegment } from './carried-coverage.js';
import { IntervalSet, gapsIn } from './interval-set.js';
import { pointInRing } from '../geometry/index.js';
import { unworkedGround } from './unworked-ground.js';
import { planOptionsFor } from './plan-options.js';

export interface FieldWorkOptions {
  field: ValidField;
  plan: Partial<PlanOptions>;
  operation: Operation;
  /** Where the machines refill (WGS84); on or near the field's edge, else the job has none. */
  refillPoint?: LonLat;
  /**
   * How many times the boundary has been edited. Swath ids of a revised plan carry it
   * (`b<n>/<section>.<k>`), so a tractor never mistakes a new swath for an old one of the same name.
   */
  revision?: number;
  /** The field already laid out with `plan` (in a planning thread); laid out here when absent. */
  planned?: FieldPlan;
  /** The scan rows of `planned` (built with it in the planning thread); built here when absent. */
  grid?: CoverageGrid;
  /** The fleet the station runs: sets the section length where `plan` sets none (plan-options.ts). */
  fleetSize?: number;
  /** Whether the separation guard slows or holds a machine now (its pace counts no delay). */
  guarded?: (tractorId: string) => boolean;
}

/** Where a tractor stands and points, as it reports it (heading: degrees clockwise from north). */
export interface TractorPose {
  position: LonLat;
  headingDeg: number;
}

export class FieldWork {
  readonly plan: FieldPlan;
  readonly frame: TangentFrame;
  private readonly planOptions: Partial<PlanOptions>;
  private job: FieldJob | null = null;
  private readonly swaths = new Map<string, Swath>();
  private readonly sectionById = new Map<string, Section>();
  private readonly passes = new SwathPasses();
  /** Ground worked under an earlier boundary (after a live edit), and its effect per swath. */
  private readonly carried = new CarriedCoverage();
  private readonly carriedDone = new Map<string, [number, number][]>();
  /**
   * Exact unique/overlap tallies of every pass, kept from the start (and after a restart, before
   * the job is allocated again), so progress never depends on whether the plan exists yet.
   */
  private readonly tracker: CoverageTracker;
  private version = 0;
  private summaryCache: { version: number; summary: CoverageSummary } | null = null;
  private readonly unworkedCache = new Map<
    string,
    { key: string; polygon: Section['polygon']; result: { polygons: Ring[][]; m2: number } }
  >();
  /** Holders read from a saved record, shown until the job is allocated again. */
  private restoredHolders: Record<string, string> = {};
  /** The operator's pins read from a saved record, kept by the next allocation. */
  private restoredLocks: Record<string, string> = {};

  /** The refill point in local metres, and why the one asked for was refused. */
  private readonly refillXY: XY | null = null;
  readonly refillProblem: string | null = null;
  private readonly fills: FillLevels | null = null;
  /** Machines that left for the refill point (due by the plan then in force), not yet back at work. */
  private readonly out = new Set<string>();

  constructor(private readonly options: FieldWorkOptions) {
    this.planOptions = planOptionsFor(options.field, options.plan, options.fleetSize);
    this.plan = options.planned ?? planField(options.field, this.planOptions);
    this.frame = new TangentFrame(this.plan.origin);
    if (options.refillPoint) {
      const refill = validateRefillPoint(options.field, options.refillPoint);
      if (refill.ok) {
        this.refillXY = refill.value;
        this.fills = new FillLevels(refill.value);
      } else this.refillProblem = refill.error.message;
    }
    // A plan is the area its coverage is folded on (field, sections, work direction).
    this.tracker = new CoverageTracker(options.planned && options.grid ? options.grid : this.plan);
    for (const section of this.plan.sections) {
      this.sectionById.set(section.id, section);
      section.swaths.forEach((s, k) => {
        const id = this.swathId(section.id, k);
        this.swaths.set(id, {
          id,
          sectionId: section.id,
          start: s.start,
          end: s.end,
          widthM: s.widthM,
          lengthM: s.lengthM,
        });
      });
    }
  }

  get field(): ValidField {
    return this.options.field;
  }

  get revision(): number {
    return this.options.revision ?? 0;
  }

  get allocated(): boolean {
    return this.job !== null;
  }

  sections(): readonly Section[] {
    return this.plan.sections;
  }

  hasSection(sectionId: string): boolean {
    return this.sectionById.has(sectionId);
  }

  /** The section a swath id (`<section>.<k>`) belongs to, or null for an unknown id. */
  sectionOfSwath(swathId: string): string | null {
    return this.swaths.get(swathId)?.sectionId ?? null;
  }

  allocation(): AllocationPlan | null {
    return this.job?.allocation ?? null;
  }

  /** The job's refill point (WGS84), when it has one. */
  get refillPoint(): LonLat | null {
    return this.refillXY && this.options.refillPoint ? this.options.refillPoint : null;
  }

  /**
   * A machine's position report: standing at the refill point with the work off, it has filled.
   * True on its first report at work after a fill.
   */
  observeFill(
    tractorId: string,
    report: { position: LonLat; working: boolean; speedMps: number },
  ): boolean {
    const back =
      this.fills?.observe(
        tractorId,
        { ...report, position: this.frame.toLocal(report.position) },
        this.spreadM2(tractorId),
      ) ?? false;
    // Back at work, after a fill or without one (due by the estimate only at a swath's end).
    if (report.working) this.out.delete(tractorId);
    return back;
  }

  /**
   * True the first time a machine is seen due for a fill (its fill used as far as the plan's next
   * trip for it says) with its work off, since it was last back at work: it has left for the
   * point. A machine still at work has not: the estimate of its fill can run a report ahead of
   * its tank, and a plan placed again as if it were away would drop the trip it has yet to make.
   */
  leftForRefill(tractorId: string, working: boolean): boolean {
    if (!this.fills || !this.job || working) return false;
    if (this.out.has(tractorId) || this.fills.isFilling(tractorId)) return false;
    const usedM2 = this.fills.usedM2(tractorId, this.spreadM2(tractorId));
    if (!this.job.dueForRefill(tractorId, usedM2)) return false;
    this.out.add(tractorId);
    return true;
  }

  /**
   * The machines away for a fill, as the next placing of the trips must keep the point for them:
   * on their way there (left and not yet seen at the point) from where they stand, or filling
   * there now. One that has filled and is driving back has nothing left to do at the point.
   */
  private awayMachines(poses: Readonly<Record<string, TractorPose>>): AwayMachine[] {
    const fills = this.fills;
    if (!fills || !this.refillXY) return [];
    const away: AwayMachine[] = [];
    for (const tractorId of this.out) {
      if (fills.isAtPoint(tractorId))
        away.push({ tractorId, position: this.refillXY, filling: true });
      else if (!fills.isFilling(tractorId)) {
        const pose = poses[tractorId];
        if (pose)
          away.push({ tractorId, position: this.frame.toLocal(pose.position), filling: false });
      }
    }
    return away;
  }

  /** Ground the machine has spread on since its last fill (null: the job has no refill point). */
  fillUsedM2(tractorId: string): number | null {
    return this.fills ? this.fills.usedM2(tractorId, this.spreadM2(tractorId)) : null;
  }

  /** Ground the machine has spread on: overlap spends seed and spray as fresh ground does. */
  private spreadM2(tractorId: string): number {
    const own = this.tracker.tractor(tractorId);
    return own.uniqueM2 + own.overlapM2;
  }

  /** The refill trips in the present plan (none before it is allocated). */
  refills(): RefillPlan {
    return this.job?.refills() ?? { trips: [], queueSMax: 0 };
  }

  /**
   * Plans and allocates the job for these tractors, with the ground already worked. A plan read
   * back from a saved record is kept as it was (each section with its holder, where that
   * machine is here to work it), and so are the operator's pins.
   */
  allocate(tractors: TractorCapability[], poses: Readonly<Record<string, TractorPose>> = {}): void {
    const readBack = Object.keys(this.restoredHolders).length > 0;
    const positions: Record<string, XY> = {};
    const headingsDeg: Record<string, number> = {};
    for (const [id, pose] of Object.entries(poses)) {
      positions[id] = this.frame.toLocal(pose.position);
      headingsDeg[id] = pose.headingDeg;
    }
    this.job = new FieldJob({
      field: this.options.field,
      plan: this.planOptions,
      operation: this.options.operation,
      planned: this.plan,
      grid: this.tracker.grid,
      tractors,
      locks: readBack ? { ...this.restoredHolders, ...this.restoredLocks } : this.restoredLocks,
      positions,
      headingsDeg,
      ...(this.refillXY ? { refillPoint: this.refillXY } : {}),
      fillUsedM2: () =>
        Object.fromEntries(tractors.map((t) => [t.tractorId, this.fillUsedM2(t.tractorId) ?? 0])),
      spreadLeftM2: (sectionId) => this.spreadLeftM2(sectionId),
    });
    const segments: CoverageSegment[] = [];
    for (const [swathId, passes] of Object.entries(this.passes.all())) {
      for (const pass of passes)
        segments.push(this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0));
    }
    for (const c of this.carried.segments) segments.push(toCoverageSegment(c));
    if (segments.length > 0) {
      this.job.addCoverage(segments);
      this.job.replanRemaining();
    }
    this.job.setLocks(this.restoredLocks);
    this.restoredHolders = {};
    this.restoredLocks = {};
  }

  holder(sectionId: string): string | null {
    if (!this.job) return this.restoredHolders[sectionId] ?? null;
    return (
      this.job.allocation.assignments.find((a) => a.sectionId === sectionId)?.tractorId ?? null
    );
  }

  sectionIdsOf(tractorId: string): string[] {
    if (!this.job)
      return Object.entries(this.restoredHolders)
        .filter(([, t]) => t === tractorId)
        .map(([s]) => s);
    return this.job.allocation.tractors.find((t) => t.tractorId === tractorId)?.sectionIds ?? [];
  }

  assignments(): Record<string, string> {
    if (!this.job) return { ...this.restoredHolders };
    return Object.fromEntries(
      this.job.allocation.assignments.map((a) => [a.sectionId, a.tractorId]),
    );
  }

  /** The swaths a tractor must drive, in order, with what is already done on each. */
  assignedSwaths(tractorId: string): AssignedSection[] {
    const out: AssignedSection[] = [];
    for (const sectionId of this.sectionIdsOf(tractorId)) {
      const section = this.sectionById.get(sectionId);
      section?.swaths.forEach((_, k) => {
        const swath = this.swaths.get(this.swathId(sectionId, k));
        if (!swath) return;
        out.push({
          id: swath.id,
          start: this.frame.toLonLat(swath.start),
          end: this.frame.toLonLat(swath.end),
          widthM: swath.widthM,
          done: this.doneOn(swath),
        });
      });
    }
    return out;
  }

  /**
   * The operator moves sections to a tractor; they are locked there for later replans. All or
   * none: a PlanningError (a done section, a tractor the plan does not hold) moves nothing.
   */
  reassign(sectionIds: readonly string[], tractorId: string): void {
    if (!this.job) {
      for (const id of sectionIds) {
        this.restoredHolders[id] = tractorId;
        this.restoredLocks[id] = tractorId;
      }
      return;
    }
    this.job.reassignAll(sectionIds, tractorId);
  }

  tractorLost(tractorId: string): void {
    this.job?.applyChange({ kind: 'tractor-lost', tractorId });
  }

  tractorJoined(tractor: TractorCapability): void {
    this.job?.applyChange({ kind: 'tractor-joined', tractor });
  }

  /**
   * The refill trips placed again from where the machines stand and what each has used, the
   * point kept for the fills of the machines away.
   */
  restaggerRefills(poses: Readonly<Record<string, TractorPose>> = {}): void {
    this.job?.restaggerRefills(this.localPositions(poses), this.awayMachines(poses));
  }

  /** A live rebalance: the sections go to `tractorId`, every other one stays with its holder. */
  moveSections(
    sectionIds: readonly string[],
    tractorId: string,
    poses: Readonly<Record<string, TractorPose>> = {},
  ): void {
    this.job?.moveSections(sectionIds, tractorId, this.localPositions(poses));
  }

  private localPositions(poses: Readonly<Record<string, TractorPose>>): Record<string, XY> {
    const positions: Record<string, XY> = {};
    for (const [id, pose] of Object.entries(poses))
      positions[id] = this.frame.toLocal(pose.position);
    return positions;
  }

  /**
   * A tractor reports the interval of a swath it has worked in its current leg. Returns the
   * newly driven segments (local metres) for the coverage log, or null when nothing is new.
   */
  report(
    tractorId: string,
    swathId: string,
    fromM: number,
    toM: number,
    tMs: number,
  ): { sectionId: string; segments: CoverageSegment[] } | null {
    const swath = this.swaths.get(swathId);
    if (!swath) return null;
    const clamp = (m: number): number => Math.min(swath.lengthM, Math.max(0, m));
    const increments = this.passes.report(tractorId, swathId, clamp(fromM), clamp(toM));
    if (increments.length === 0) return null;
    const segments = increments.map(([a, b]) => this.segment(swathId, tractorId, a, b, tMs));
    this.job?.addCoverage(segments);
    this.tracker.addAll(segments);
    this.version++;
    return { sectionId: swath.sectionId, segments };
  }

  /**
   * Rebuilds the passes from a coverage log (local metres): each segment is placed on the swath
   * whose centre line it lies on. Returns how many segments found a swath.
   */
  restoreFromSegments(
    tractorId: string,
    segments: readonly Omit<WorldSegment, 'tractorId'>[],
  ): number {
    let placed = 0;
    for (const s of segments) {
      let onAnySwath = false;
      for (const swath of this.swaths.values()) {
        const along = onSwath(swath, [s.x0M, s.y0M], [s.x1M, s.y1M]);
        if (!along) continue;
        this.passes.add(tractorId, swath.id, along[0], along[1]);
        this.tracker.add(this.segment(swath.id, tractorId, along[0], along[1], 0));
        this.version++;
        onAnySwath = true;
        break;
      }
      // Worked under an earlier boundary: kept as carried ground.
      if (!onAnySwath) this.carry({ ...s, tractorId });
      placed++;
    }
    return placed;
  }

  /** Ground worked elsewhere than on this plan's swaths (an earlier boundary's). */
  carry(segment: WorldSegment): void {
    this.carried.add(segment);
    const coverage = toCoverageSegment(segment);
    this.tracker.add(coverage);
    this.job?.addCoverage([coverage]);
    this.carriedDone.clear();
    this.version++;
  }

  /** Everything driven, as rectangles in the local frame (to carry into a replanned field). */
  worldSegments(): WorldSegment[] {
    const out: WorldSegment[] = [...this.carried.segments];
    for (const [swathId, passes] of Object.entries(this.passes.all())) {
      for (const pass of passes) {
        const seg = this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0);
        out.push({
          tractorId: pass.tractorId,
          x0M: seg.start[0],
          y0M: seg.start[1],
          x1M: seg.end[0],
          y1M: seg.end[1],
          widthM: seg.widthM,
        });
      }
    }
    return out;
  }

  /**
   * The same job on an edited boundary (outer ring, then holes, WGS84): planned in this job's
   * frame along its work direction, with every pass so far carried over as worked ground.
   */
  withBoundary(
    boundary: LonLat[][],
    revision = this.revision + 1,
  ): { ok: true; value: FieldWork } | { ok: false; error: string } {
    const revised = reviseField(this.revisionOf(boundary));
    return revised.ok ? { ok: true, value: this.revisedTo(revised, revision) } : revised;
  }

  /**
   * What laying out an edited boundary of this job takes (for the field thread): its frame, its
   * work direction and its rows, so new passes run where old ones did and meet them edge to edge.
   */
  revisionOf(boundary: LonLat[][]): FieldRevision {
    return {
      boundary: { name: this.plan.fieldName, boundary },
      origin: this.plan.origin,
      options: {
        ...this.options.plan,
        workDirectionDeg: this.plan.workDirectionDeg,
        ...(this.plan.rowPhaseM === undefined ? {} : { rowPhaseM: this.plan.rowPhaseM }),
      },
    };
  }

  /**
   * The same job on an edited boundary laid out already (`revisionOf`, `reviseField`), with every
   * pass so far carried over as worked ground.
   */
  revisedTo(revised: Extract<RevisedField, { ok: true }>, revision = this.revision + 1): FieldWork {
    const next = new FieldWork({
      ...this.options,
      field: revised.field,
      plan: { ...this.options.plan, workDirectionDeg: this.plan.workDirectionDeg },
      planned: revised.plan,
      grid: revised.grid,
      revision,
    });
    for (const segment of this.worldSegments()) next.carry(segment);
    return next;
  }

  /**
   * Ground already worked that the passes still to drive run over, m² (a pass beside worked
   * ground counts the seam it shares with it, as in any plan; compare two plans to see what an
   * edit adds).
   */
  plannedOverlapM2(): number {
    const worked = new CarriedCoverage();
    for (const segment of this.worldSegments()) worked.add(segment);
    let m2 = 0;
    for (const swath of this.swaths.values()) {
      for (const [a, b] of gapsIn(0, swath.lengthM, this.doneOn(swath))) {
        if (b - a <= 0) continue;
        const strip = stripCorners(pointAlong(swath, a), pointAlong(swath, b), swath.widthM);
        if (worked.reaches(bboxOf([strip]))) m2 += this.tracker.coveredAreaWithin([strip]);
      }
    }
    return m2;
  }

  /** The sections the operator pinned to a machine (for the job record). */
  locks(): Record<string, string> {
    return { ...(this.job ? this.job.locks() : this.restoredLocks) };
  }

  restorePasses(
    passes: Record<string, Pass[]>,
    holders: Record<string, string>,
    locks: Record<string, string> = {},
  ): void {
    for (const [swathId, list] of Object.entries(passes)) {
      if (!this.swaths.has(swathId)) continue;
      this.passes.restore(swathId, list);
      for (const pass of list)
        this.tracker.add(this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0));
      this.version++;
    }
    this.restoredHolders = Object.fromEntries(
      Object.entries(holders).filter(([s]) => this.sectionById.has(s)),
    );
    this.restoredLocks = Object.fromEntries(
      Object.entries(locks).filter(([s]) => this.sectionById.has(s)),
    );
  }

  /**
   * Adds the parts of recorded passes (the job record's) that the work does not hold yet, per
   * tractor and swath, so a coverage log that lost its tail or a damaged row is filled without
   * counting any ground twice. Returns the pieces added (for the coverage log).
   */
  fillFromPasses(passes: Readonly<Record<string, readonly Pass[]>>): CoverageSegment[] {
    const added: CoverageSegment[] = [];
    for (const [swathId, list] of Object.entries(passes)) {
      if (!this.swaths.has(swathId)) continue;
      for (const pass of list) {
        const own = new IntervalSet(
          this.passes
            .passesOf(swathId)
            .filter((p) => p.tractorId === pass.tractorId)
            .map((p) => [p.fromM, p.toM] as [number, number]),
        );
        for (const [a, b] of gapsIn(pass.fromM, pass.toM, own.toArray())) {
          if (b - a < FILL_MIN_M) continue;
          this.passes.add(pass.tractorId, swathId, a, b);
          const piece = this.segment(swathId, pass.tractorId, a, b, 0);
          this.tracker.add(piece);
          added.push(piece);
          this.version++;
        }
      }
    }
    return added;
  }

  allPasses(): Record<string, Pass[]> {
    return this.passes.all();
  }

  /** Progress and ETAs at `nowMs` (the station clock's now, which stamps the coverage). */
  progress(nowMs?: number): ProgressReport | null {
    // The ETA asks each section for its driven share and its started swaths: one walk of its
    // passes serves both.
    const walked = new Map<string, SwathDriven[]>();
    const driven = (sectionId: string): SwathDriven[] => {
      let list = walked.get(sectionId);
      if (!list) walked.set(sectionId, (list = this.swathsDriven(sectionId)));
      return list;
    };
    return (
      this.job?.progress(
        nowMs,
        {
          share: (sectionId) => this.shareOf(sectionId, driven(sectionId)),
          started: (sectionId) => startedOf(driven(sectionId)),
        },
        this.options.guarded,
      ) ?? null
    );
  }

  /** Per swath of the section, in driving order: whether it is started (STARTED_M driven). */
  startedSwaths(sectionId: string): boolean[] {
    return startedOf(this.swathsDriven(sectionId));
  }

  /**
   * Share of a section's swath length driven, 0..1: what is left to drive is what takes time
   * (its unique area also counts corners no swath reaches, which are never worked).
   */
  drivenShare(sectionId: string): number {
    return this.shareOf(sectionId, this.swathsDriven(sectionId));
  }

  /** A section this field does not have is not driven at all (a section with no swath is). */
  private shareOf(sectionId: string, swaths: readonly SwathDriven[]): number {
    return this.sectionById.has(sectionId) ? shareDriven(swaths) : 0;
  }

  /**
   * Ground a machine spreads on to finish the section: its swaths' length left to drive × their
   * width. A neighbour's pass reaching into the section leaves the swaths to drive all the same,
   * so this is what the machine's tank spends, where the unique area left would say less.
   */
  spreadLeftM2(sectionId: string): number {
    return this.swathsDriven(sectionId).reduce(
      (sum, s) => sum + Math.max(0, s.lengthM - s.drivenM) * s.widthM,
      0,
    );
  }

  /** Each swath of the section: its length and width, and how much of its length is driven. */
  private swathsDriven(sectionId: string): SwathDriven[] {
    const section = this.sectionById.get(sectionId);
    if (!section) return [];
    const out: SwathDriven[] = [];
    section.swaths.forEach((_, k) => {
      const swath = this.swaths.get(this.swathId(sectionId, k));
      if (!swath) return;
      let drivenM = 0;
      for (const [a, b] of this.doneOn(swath))
        drivenM += Math.min(b, swath.lengthM) - Math.max(0, a);
      out.push({
        lengthM: swath.lengthM,
        widthM: swath.widthM,
        drivenM: Math.min(drivenM, swath.lengthM),
      });
    });
    return out;
  }

  /** The area of every section together (the ground the job has to work), m². */
  get totalM2(): number {
    return this.plan.sections.reduce((sum, s) => sum + s.areaM2, 0);
  }

  /** Share of a section's ground worked (unique area), 0..1. */
  doneFraction(sectionId: string): number {
    const section = this.sectionById.get(sectionId);
    if (!section || section.areaM2 <= 0) return 0;
    return Math.min(1, (this.coverage().sections[sectionId]?.uniqueM2 ?? 0) / section.areaM2);
  }

  /** Unique and overlap area of everything driven, per tractor and per section (cached). */
  coverage(): CoverageSummary {
    if (this.summaryCache?.version !== this.version)
      this.summaryCache = { version: this.version, summary: this.tracker.summary() };
    return this.summaryCache.summary;
  }

  /** The section's ground as a WGS84 ring (its outer ring). */
  sectionRing(section: Section): Ring {
    return (section.polygon[0] ?? []).map((p) => this.frame.toLonLat(p));
  }

  /** Every pass on the section's swaths as a WGS84 rectangle, for the map. */
  passRings(sectionId: string): Ring[] {
    return this.workedStrips(sectionId).map((corners) => this.toWgs84(corners));
  }

  /**
   * The section's ground no pass reached, as WGS84 polygons (outer ring, then holes), and its
   * area. Cached per section while the strips reaching into it stay the same: once the work
   * around it is over it is computed once.
   */
  unworked(sectionId: string): { polygons: Ring[][]; m2: number } {
    const section = this.sectionById.get(sectionId);
    if (!section) return { polygons: [], m2: 0 };
    // Every strip that reaches into the section, whichever section's swath it lies on.
    const box = bboxOf([section.polygon[0] ?? []]);
    const worked = this.plan.sections
      .flatMap((s) => this.workedStrips(s.id))
      .filter((corners) => boxesOverlap(bboxOf([corners]), box));
    const key = `${worked.length}:${worked.flat(2).reduce((sum, v) => sum + v, 0)}`;
    const cached = this.unworkedCache.get(sectionId);
    if (cached?.key === key && cached.polygon === section.polygon) return cached.result;
    const ground = unworkedGround(
      section.polygon,
      worked.map((corners) => [corners]),
    );
    const result = ground
      ? {
          polygons: ground.pieces.map((piece) => piece.map((ring) => this.toWgs84(ring))),
          m2: ground.m2,
        }
      : // Counted from the coverage, not drawn, when the geometry cannot be had.
        {
          polygons: [],
          m2: Math.max(0, section.areaM2 - (this.coverage().sections[sectionId]?.uniqueM2 ?? 0)),
        };
    this.unworkedCache.set(sectionId, { key, polygon: section.polygon, result });
    return result;
  }

  /** Every pass on the section's swaths and every carried strip inside it, in the local frame. */
  private workedStrips(sectionId: string): XY[][] {
    const section = this.sectionById.get(sectionId);
    if (!section) return [];
    const strips: XY[][] = [];
    section.swaths.forEach((_, k) => {
      const swath = this.swaths.get(this.swathId(sectionId, k));
      if (!swath) return;
      for (const pass of this.passes.passesOf(swath.id)) {
        if (pass.toM - pass.fromM > 0.05)
          strips.push(
            stripCorners(pointAlong(swath, pass.fromM), pointAlong(swath, pass.toM), swath.widthM),
          );
      }
    });
    const outline = section.polygon[0] ?? [];
    for (const c of this.carried.segments) {
      if (pointInRing([(c.x0M + c.x1M) / 2, (c.y0M + c.y1M) / 2], outline))
        strips.push(stripCorners([c.x0M, c.y0M], [c.x1M, c.y1M], c.widthM));
    }
    return strips;
  }

  fieldRings(): Ring[] {
    return this.plan.field.map((ring) => ring.map((p) => this.frame.toLonLat(p)));
  }

  headlandLines(): LonLat[][] {
    return this.plan.headlandPaths.map((path) => path.map((p) => this.frame.toLonLat(p)));
  }

  private segment(
    swathId: string,
    tractorId: string,
    fromM: number,
    toM: number,
    tMs: number,
  ): CoverageSegment {
    const swath = this.swaths.get(swathId);
    if (!swath) throw new Error(`unknown swath ${swathId}`);
    return {
      tractorId,
      start: pointAlong(swath, fromM),
      end: pointAlong(swath, toM),
      widthM: swath.widthM,
      tMs,
    };
  }

  private swathId(sectionId: string, k: number): string {
    return this.revision > 0 ? `b${this.revision}/${sectionId}.${k}` : `${sectionId}.${k}`;
  }

  /** Worked intervals of a swath: its own passes and carried ground covering it. */
  private doneOn(swath: Swath): [number, number][] {
    const own = this.passes.doneIntervals(swath.id);
    if (this.carried.size === 0) return own;
    let carried = this.carriedDone.get(swath.id);
    if (!carried) {
      carried = this.carried.doneAlong(swath.start, swath.end, swath.widthM);
      this.carriedDone.set(swath.id, carried);
    }
    return new IntervalSet([...own, ...carried]).toArray();
  }

  private toWgs84(corners: XY[]): Ring {
    return corners.map((p) => this.frame.toLonLat(p));
  }
}

/**
 * Shortest piece worth filling from a recorded pass: the coverage log keeps whole centimetres, so
 * a pass read back from it may end up to 1 cm short of the recorded one at either end.
 */
const FILL_MIN_M = 0.05;
/**
 * A swath with more than this driven (or half of a shorter one) is started: a neighbour's pass
 * reaching a few centimetres in, or a restored record's edge, is not the machine turning into it.
 */
const STARTED_M = 1;

/** A swath of a section: its length and width, and how much of its length is driven. */
interface SwathDriven {
  lengthM: number;
  widthM: number;
  drivenM: number;
}

/** Share of the swaths' length driven (1 for a section with no swath: nothing to drive). */
function shareDriven(swaths: readonly SwathDriven[]): number {
  let driven = 0;
  let total = 0;
  for (const { lengthM, drivenM } of swaths) {
    total += lengthM;
    driven += drivenM;
  }
  return total > 0 ? Math.min(1, driven / total) : 1;
}

function startedOf(swaths: readonly SwathDriven[]): boolean[] {
  return swaths.map(({ lengthM, drivenM }) => drivenM > Math.min(STARTED_M, lengthM / 2));
}

function toCoverageSegment(s: WorldSegment): CoverageSegment {
  return {
    tractorId: s.tractorId,
    start: [s.x0M, s.y0M],
    end: [s.x1M, s.y1M],
    widthM: s.widthM,
    tMs: 0,
  };
}
