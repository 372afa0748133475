/**
 * The job's field work as the station runs it: the plan (sections made of swaths), who holds
 * each section, and what has been driven — the one face the station's other parts use. It lays
 * the field out and allocates it with the fleet library's FieldJob (allocation, replanning,
 * exact coverage and rates), fed with the ground already worked; each other piece has a part of
 * its own: the swaths by id (`PlanSwaths`), the holders and pins (`SectionHolders`), what was
 * driven (`WorkedGround`) and how far each section is (`SectionDriven`), the refill point
 * (`RefillWatch`) and the map's shapes (`FieldDrawing`).
 */
import type { LonLat, Ring } from '../../shared/index.js';
import {
  FieldJob,
  reviseField,
  TangentFrame,
  planField,
  type AllocationPlan,
  type CoverageGrid,
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
import type { Pass } from './swath-passes.js';
import type { WorldSegment } from './carried-coverage.js';
import { planOptionsFor } from './plan-options.js';
import { PlanSwaths } from './plan-swaths.js';
import { WorkedGround } from './worked-ground.js';
import { RefillWatch } from './refill-watch.js';
import { FieldDrawing } from './field-drawing.js';
import { SectionDriven } from './section-driven.js';
import { SectionHolders } from './section-holders.js';

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
  private readonly holders = new SectionHolders();
  private readonly swaths: PlanSwaths;
  /** Every pass and carried strip, tallied exactly from the start (before any allocation too). */
  private readonly ground: WorkedGround;
  private readonly driven: SectionDriven;
  private readonly refill: RefillWatch;
  private readonly drawing: FieldDrawing;

  constructor(private readonly options: FieldWorkOptions) {
    this.planOptions = planOptionsFor(options.field, options.plan, options.fleetSize);
    this.plan = options.planned ?? planField(options.field, this.planOptions);
    this.frame = new TangentFrame(this.plan.origin);
    this.swaths = new PlanSwaths(this.plan.sections, this.revision);
    // A plan is the area its coverage is folded on (field, sections, work direction).
    this.ground = new WorkedGround(
      this.swaths,
      options.planned && options.grid ? options.grid : this.plan,
      (segments) => this.job?.addCoverage(segments),
    );
    this.driven = new SectionDriven(this.swaths, this.ground);
    this.refill = new RefillWatch(options.field, options.refillPoint, this.frame, (tractorId) =>
      this.ground.spreadM2(tractorId),
    );
    this.drawing = new FieldDrawing(this.plan, this.frame, this.swaths, this.ground);
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

  /** The allocation in force (null before the job is allocated). */
  private get job(): FieldJob | null {
    return this.holders.job;
  }

  /** Why the refill point asked for was refused (null: none asked for, or it was taken). */
  get refillProblem(): string | null {
    return this.refill.problem;
  }

  sections(): readonly Section[] {
    return this.plan.sections;
  }

  hasSection(sectionId: string): boolean {
    return this.swaths.hasSection(sectionId);
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
    return this.refill.refillPoint;
  }

  /** A machine's position report; true on its first at work after a fill (RefillWatch). */
  observeFill(
    tractorId: string,
    report: { position: LonLat; working: boolean; speedMps: number },
  ): boolean {
    return this.refill.observeFill(tractorId, report);
  }

  /** True the first time a machine is seen to have left for a fill (RefillWatch). */
  leftForRefill(tractorId: string, working: boolean): boolean {
    const job = this.job;
    return this.refill.leftForRefill(
      tractorId,
      working,
      job ? (id, usedM2) => job.dueForRefill(id, usedM2) : null,
    );
  }

  /** Ground the machine has spread on since its last fill (null: the job has no refill point). */
  fillUsedM2(tractorId: string): number | null {
    return this.refill.fillUsedM2(tractorId);
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
    const positions: Record<string, XY> = {};
    const headingsDeg: Record<string, number> = {};
    for (const [id, pose] of Object.entries(poses)) {
      positions[id] = this.frame.toLocal(pose.position);
      headingsDeg[id] = pose.headingDeg;
    }
    const refillXY = this.refill.pointXY;
    this.holders.allocate((locks) => {
      const job = new FieldJob({
        field: this.options.field,
        plan: this.planOptions,
        operation: this.options.operation,
        planned: this.plan,
        grid: this.ground.grid,
        tractors,
        locks,
        positions,
        headingsDeg,
        ...(refillXY ? { refillPoint: refillXY } : {}),
        fillUsedM2: () =>
          Object.fromEntries(tractors.map((t) => [t.tractorId, this.fillUsedM2(t.tractorId) ?? 0])),
        spreadLeftM2: (sectionId) => this.spreadLeftM2(sectionId),
      });
      const segments = this.ground.segments();
      if (segments.length > 0) {
        job.addCoverage(segments);
        job.replanRemaining();
      }
      return job;
    });
  }

  holder(sectionId: string): string | null {
    return this.holders.holder(sectionId);
  }

  sectionIdsOf(tractorId: string): string[] {
    return this.holders.sectionIdsOf(tractorId);
  }

  assignments(): Record<string, string> {
    return this.holders.assignments();
  }

  /** The swaths a tractor must drive, in order, with what is already done on each. */
  assignedSwaths(tractorId: string): AssignedSection[] {
    return this.sectionIdsOf(tractorId).flatMap((sectionId) =>
      this.swaths.ofSection(sectionId).map((swath) => ({
        id: swath.id,
        start: this.frame.toLonLat(swath.start),
        end: this.frame.toLonLat(swath.end),
        widthM: swath.widthM,
        done: this.ground.doneOn(swath),
      })),
    );
  }

  /** The operator moves sections to a tractor, locked there; all or none (SectionHolders). */
  reassign(sectionIds: readonly string[], tractorId: string): void {
    this.holders.reassign(sectionIds, tractorId);
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
    this.job?.restaggerRefills(this.localPositions(poses), this.refill.awayMachines(poses));
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

  /** A tractor's worked interval of a swath: what is new for the coverage log (WorkedGround). */
  report(
    tractorId: string,
    swathId: string,
    fromM: number,
    toM: number,
    tMs: number,
  ): { sectionId: string; segments: CoverageSegment[] } | null {
    return this.ground.report(tractorId, swathId, fromM, toM, tMs);
  }

  /** Rebuilds the passes from a coverage log (WorkedGround); how many segments were placed. */
  restoreFromSegments(
    tractorId: string,
    segments: readonly Omit<WorldSegment, 'tractorId'>[],
  ): number {
    return this.ground.restoreFromSegments(tractorId, segments);
  }

  /** Ground worked elsewhere than on this plan's swaths (an earlier boundary's). */
  carry(segment: WorldSegment): void {
    this.ground.carry(segment);
  }

  /** Everything driven, as rectangles in the local frame (to carry into a replanned field). */
  worldSegments(): WorldSegment[] {
    return this.ground.worldSegments();
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

  /** Worked ground the passes still to drive run over, m² (WorkedGround). */
  plannedOverlapM2(): number {
    return this.ground.plannedOverlapM2();
  }

  /** The sections the operator pinned to a machine (for the job record). */
  locks(): Record<string, string> {
    return this.holders.locks();
  }

  restorePasses(
    passes: Record<string, Pass[]>,
    holders: Record<string, string>,
    locks: Record<string, string> = {},
  ): void {
    this.ground.restorePasses(passes);
    this.holders.restore(holders, locks, (sectionId) => this.swaths.hasSection(sectionId));
  }

  /** Adds what recorded passes hold and the work does not (WorkedGround); the pieces added. */
  fillFromPasses(passes: Readonly<Record<string, readonly Pass[]>>): CoverageSegment[] {
    return this.ground.fillFromPasses(passes);
  }

  allPasses(): Record<string, Pass[]> {
    return this.ground.allPasses();
  }

  /** Progress and ETAs at `nowMs` (the station clock's now, which stamps the coverage). */
  progress(nowMs?: number): ProgressReport | null {
    return this.job?.progress(nowMs, this.driven.walkedOnce(), this.options.guarded) ?? null;
  }

  /** Per swath of the section, in driving order: whether it is started (SectionDriven). */
  startedSwaths(sectionId: string): boolean[] {
    return this.driven.started(sectionId);
  }

  /** Share of a section's swath length driven, 0..1 (SectionDriven). */
  drivenShare(sectionId: string): number {
    return this.driven.share(sectionId);
  }

  /** Ground a machine's tank spends to finish the section, m² (SectionDriven). */
  spreadLeftM2(sectionId: string): number {
    return this.driven.spreadLeftM2(sectionId);
  }

  /** The area of every section together (the ground the job has to work), m². */
  get totalM2(): number {
    return this.plan.sections.reduce((sum, s) => sum + s.areaM2, 0);
  }

  /** Share of a section's ground worked (unique area), 0..1. */
  doneFraction(sectionId: string): number {
    const section = this.swaths.section(sectionId);
    if (!section || section.areaM2 <= 0) return 0;
    return Math.min(1, (this.coverage().sections[sectionId]?.uniqueM2 ?? 0) / section.areaM2);
  }

  /** Unique and overlap area of everything driven, per tractor and per section (cached). */
  coverage(): CoverageSummary {
    return this.ground.coverage();
  }

  /** The section's ground as a WGS84 ring (its outer ring). */
  sectionRing(section: Section): Ring {
    return this.drawing.sectionRing(section);
  }

  /** Every pass on the section's swaths as a WGS84 rectangle, for the map. */
  passRings(sectionId: string): Ring[] {
    return this.drawing.passRings(sectionId);
  }

  /** The section's ground no pass reached, as WGS84 polygons, and its area (FieldDrawing). */
  unworked(sectionId: string): { polygons: Ring[][]; m2: number } {
    return this.drawing.unworked(sectionId);
  }

  fieldRings(): Ring[] {
    return this.drawing.fieldRings();
  }

  headlandLines(): LonLat[][] {
    return this.drawing.headlandLines();
  }
}
