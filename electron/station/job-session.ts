/**
 * The job the station runs: its header (id, name, state), its field work (FieldWork: plan,
 * allocation, coverage), its keep-out zones and its shared document (JobMirror). Opens a field
 * as a new job, reopens one from the history, swaps in a revised boundary, and takes the
 * tractors' coverage into the work and the document. Who works what is WorkDispatch's part.
 */
import {
  commandFailed,
  commandOk,
  type CommandResult,
  type JobState,
  type LonLat,
} from '../../shared/index.js';
import {
  planOnThisThread,
  reviseField,
  RefillPointError,
  type FieldPlan,
  type FieldPlanner,
  type Operation,
  type PlanOptions,
  type ValidField,
} from '../fleet/index.js';
import type { CoverageSegment as CoverageReport } from '../link/index.js';
import type { JobHistory, RefillStop } from '../records/index.js';
import {
  nextWorkOnBoundary,
  type BoundaryRevised,
  type LaidOutBoundary,
} from './boundary-revision.js';
import { FieldWork } from './field-work.js';
import { RefillVisits, type VisitReport } from './refill-visits.js';
import type { Pass } from './swath-passes.js';
import { prepareFieldFile } from './field-file-opening.js';
import { fieldWorkFromDocument } from './field-source.js';
import { newJobHeader, reopenedJobHeader } from './job-history-commands.js';
import { JobMirror } from './job-mirror.js';
import { PendingCoverage } from './pending-coverage.js';
import type { JobHeader } from './job-record-io.js';
import type { JobHooks, StationServices } from './station-services.js';
import type { StopControl } from './stop-control.js';
import { ZoneSupervisor } from './zone-supervisor.js';

/** The id the station stamps on what it writes into the shared document. */
const STATION_ACTOR_ID = 'station';
/** The simulated fleet sows; the operation decides which implements are compatible. */
const DEFAULT_OPERATION: Operation = 'seeding';

export interface JobSessionOptions {
  field: ValidField;
  plan: Partial<PlanOptions>;
  operation?: Operation;
  /** The refill point of the station's field (a field opened later keeps it if it is near its edge). */
  refillPoint?: LonLat;
  /** Folder for the job's shared document; without it the station keeps none. */
  syncDir?: string;
  /** With a history a paused job may give way to another (and be reopened later). */
  history?: JobHistory;
  /** Reads and lays out a field opened from a file; on this thread when absent. */
  planner?: FieldPlanner;
  /**
   * The fleet the station runs (a simulated fleet's size): jobs are cut into sections for it
   * when `plan` sets no section length (plan-options.ts).
   */
  fleetSize?: number;
}

export class JobSession {
  private header: JobHeader;
  private fieldWork: FieldWork;
  private document: JobMirror | null = null;
  private zoneGuard: ZoneSupervisor;
  /** The stops machines made at the refill point in this job (none without a point). */
  private visits: RefillVisits;
  private readonly pendingCoverage = new PendingCoverage();

  constructor(
    private readonly s: StationServices,
    private readonly stops: StopControl,
    private readonly options: JobSessionOptions,
    private readonly hooks: JobHooks,
  ) {
    this.fieldWork = this.newWork(options.field);
    // A refill point the station was set up with must fit its field: refuse to start without it.
    if (this.fieldWork.refillProblem) throw new RefillPointError(this.fieldWork.refillProblem);
    this.zoneGuard = new ZoneSupervisor(options.field);
    this.header = this.newHeader(options.field, null);
    this.visits = visitsFor(this.fieldWork);
  }

  get job(): JobHeader {
    return this.header;
  }

  get work(): FieldWork {
    return this.fieldWork;
  }

  /** The job's shared document, when the station keeps one. */
  get mirror(): JobMirror | null {
    return this.document;
  }

  /** The keep-out zones of the job's field (its holes and the operator's zones). */
  get zones(): ZoneSupervisor {
    return this.zoneGuard;
  }

  /** A job read back from the job record. */
  adopt(header: JobHeader): void {
    this.header = header;
  }

  /**
   * A machine's position report, for the job's refill stops; true when it began or lengthened
   * one (the job record is then written again). Only while the job is under way (started, not
   * finished): a machine parked by the point before the start or after the end has not refilled
   * for this job.
   */
  observeRefill(tractorId: string, report: VisitReport): boolean {
    if (this.header.state === 'planned' || this.header.state === 'finished') return false;
    return this.visits.observe(tractorId, report, this.s.clock.wallNow());
  }

  /** The stops machines made at the refill point in this job, in the order they began. */
  refillStops(): RefillStop[] {
    return this.visits.stops();
  }

  /** The stops read back from the job record (kept, with or without a point now). */
  restoreRefillStops(stops: readonly RefillStop[]): void {
    this.visits.restore(stops);
  }

  setState(state: JobState): void {
    if (this.header.state === state) return;
    this.header = { ...this.header, state };
    this.hooks.changed();
  }

  /** Opens the job's shared document (with a sync folder) and reads its field and coverage back. */
  openDocument(): void {
    const syncDir = this.options.syncDir;
    if (!syncDir) return;
    this.document = JobMirror.forWork(this.fieldWork, this.header, {
      dataDir: syncDir,
      clock: this.s.clock,
      stationId: STATION_ACTOR_ID,
      log: (line) => this.hooks.log(line),
      fault: (source, err) =>
        this.hooks.fault
          ? this.hooks.fault(source, err)
          : this.hooks.log(`${source}: ${String(err)}`),
    });
    // A job read back (restart, reopened from the history) is planned on the document's field:
    // its latest boundary revision, in its own frame, whatever field the station started with.
    const field = this.document.created ? null : this.document.field();
    if (field) {
      const rebuilt = fieldWorkFromDocument(
        { ...field, name: this.header.fieldName },
        {
          plan: this.options.plan,
          operation: this.options.operation ?? DEFAULT_OPERATION,
          ...(this.options.refillPoint ? { refillPoint: this.options.refillPoint } : {}),
          ...this.fleetSize(),
        },
      );
      if (rebuilt.ok) {
        this.fieldWork = rebuilt.value;
        this.zoneGuard = this.zoneGuard.forField(rebuilt.value.field);
      } else
        this.hooks.log(
          `station: the job's field could not be read back (${rebuilt.error}); kept ${this.fieldWork.plan.fieldName}`,
        );
    }
    const segments = this.document.restoreInto(this.fieldWork);
    if (segments > 0)
      this.hooks.log(`station: ${segments} coverage segments restored from the job document`);
    if (!this.document.created) {
      // Noted against the point of the field as read back, with every stop the document holds.
      const kept = this.visits.stops();
      this.visits = visitsFor(this.fieldWork);
      this.visits.restore([...kept, ...this.document.refillStops()]);
    }
  }

  /** Writes what is pending and closes the shared document. */
  closeDocument(): void {
    this.flushCoverage();
    this.hooks.persist();
    this.document?.close();
  }

  /**
   * Opens a field file as a new job (its first field). Only between jobs: while a job is under
   * way or a stop is active the current job stays, whatever the file holds.
   */
  async openField(
    fileName: string,
    bytes: Uint8Array,
    actor = 'operator',
    confirmFar = false,
  ): Promise<CommandResult> {
    if (bytes.length === 0) return commandFailed('invalid', `${fileName} is empty`);
    if (!this.betweenJobs()) {
      return commandFailed(
        'refused',
        `the job is ${this.header.state}: pause or finish it before opening another field`,
      );
    }
    if (this.stops.active().length > 0)
      return commandFailed('refused', 'a stop is active: release it first');
    const prepared = await prepareFieldFile(fileName, bytes, confirmFar, {
      planner: this.options.planner ?? planOnThisThread,
      plan: this.options.plan,
      fleetSize: this.options.fleetSize,
      positions: () =>
        [...this.s.tractors.values()].flatMap((t) => (t.position ? [t.position] : [])),
      betweenJobs: () => this.betweenJobs(),
      workFor: (field, planned) => this.newWork(field, planned),
      log: (line) => this.hooks.log(line),
    });
    if (!prepared.ok) return prepared.result;
    const { field, fieldsInFile, work } = prepared;
    // The job or the stops may have changed while the field was planned.
    if (!this.betweenJobs() || this.stops.active().length > 0)
      return commandFailed('conflict', 'the job changed while the field was planned');
    // A job only opened, never started, is replaced rather than left behind in the history;
    // any other job that gives way stays there as it was.
    const unstarted =
      this.header.state === 'planned' && this.fieldWork.coverage().uniqueM2 === 0
        ? this.header.id
        : null;
    this.giveWay();
    this.fieldWork = work;
    this.zoneGuard = new ZoneSupervisor(field);
    this.header = this.newHeader(field, unstarted);
    this.visits = visitsFor(work);
    if (unstarted !== null && this.options.history?.forgetUnstarted(unstarted))
      this.hooks.log(`station: job ${unstarted}, never started, replaced by ${this.header.id}`);
    this.openDocument();
    this.clearAssignments();
    const more = fieldsInFile > 1 ? ` (first of ${fieldsInFile} fields in the file)` : '';
    this.s.notice(
      'info',
      `Opened ${field.geometry.name}${more}: ${this.fieldWork.sections().length} sections planned`,
    );
    this.hooks.log(
      `station: opened field ${field.geometry.name} from ${fileName} as job ${this.header.id} (by ${actor})`,
    );
    this.hooks.persist();
    this.s.publish();
    return commandOk();
  }

  /**
   * Reopens a job of the history, between jobs: its document holds the field, plan,
   * assignments and coverage, so it comes back as it was left — paused, never moving.
   */
  reopen(jobId: string, actor: string): CommandResult {
    const history = this.options.history;
    if (!history || !this.options.syncDir)
      return commandFailed('unavailable', 'this station keeps no job history');
    if (jobId === this.header.id) return commandFailed('conflict', 'that job is already open');
    const entry = history.get(jobId);
    if (!entry || entry.deletedAtWallMs !== null)
      return commandFailed('not-found', `no job ${jobId} in the history`);
    if (this.header.state === 'running' || this.stops.active().length > 0)
      return commandFailed(
        'refused',
        `the job is ${this.header.state}: pause it and release every stop first`,
      );
    if (this.document && !this.document.storedJobs().includes(jobId))
      return commandFailed('not-found', `job ${jobId} is listed but its document is missing`);
    this.giveWay();
    this.header = reopenedJobHeader(entry);
    // The job's own refill stops come back with its document, none of the job given way.
    this.visits = visitsFor(this.fieldWork);
    this.openDocument();
    this.clearAssignments();
    this.s.notice('info', `Reopened ${entry.name}`);
    this.hooks.log(`station: job ${jobId} reopened by ${actor}`);
    this.hooks.persist();
    this.s.publish();
    return commandOk();
  }

  /**
   * Replaces the field with a revised boundary, in the job's frame along its work direction:
   * everything worked so far carries over. An invalid boundary changes nothing.
   */
  reviseBoundary(
    rings: LonLat[][],
    reason: string,
    prepare?: (next: FieldWork) => string | null,
  ): BoundaryRevised {
    const basis = this.fieldWork;
    const revised = reviseField(basis.revisionOf(rings));
    return this.adoptBoundary({ basis, revised, rings }, reason, prepare);
  }

  /**
   * Lays out a revised boundary in the planner's thread, changing nothing: the job takes it with
   * `adoptBoundary` once it is back.
   */
  async layOutBoundary(rings: LonLat[][]): Promise<LaidOutBoundary> {
    const basis = this.fieldWork;
    const revised = await (this.options.planner ?? planOnThisThread).revise(
      basis.revisionOf(rings),
    );
    return { basis, revised, rings };
  }

  /**
   * Takes a boundary laid out before, all at once: coverage heard meanwhile carries over with the
   * rest. A job that gave way to another meanwhile (or was revised again) is left as it is, and
   * so is one whose new work `prepare` questions (a question for the operator) or refuses (a
   * PlanningError: no machine can work it).
   */
  adoptBoundary(
    laidOut: LaidOutBoundary,
    reason: string,
    prepare?: (next: FieldWork) => string | null,
  ): BoundaryRevised {
    const taken = nextWorkOnBoundary(laidOut, this.fieldWork, () => this.flushCoverage(), prepare);
    if (!taken.ok) return taken;
    this.fieldWork = taken.next;
    this.zoneGuard = this.zoneGuard.forField(this.fieldWork.field);
    this.document?.reviseField(laidOut.rings, reason);
    return { ok: true, revision: this.fieldWork.revision };
  }

  /** Folds a tractor's coverage report into the work; returns whether anything new was worked. */
  report(tractorId: string, coverage: CoverageReport): boolean {
    const section = this.fieldWork.report(
      tractorId,
      coverage.sectionId,
      coverage.fromM,
      coverage.toM,
      this.s.clock.now(),
    );
    if (!section) return false;
    if (this.document) this.pendingCoverage.add(tractorId, section.segments);
    return true;
  }

  /**
   * Fills the work, and the document, with the recorded passes (the job record's) the document
   * did not give back. Returns the area added, m².
   */
  fillFromRecord(passes: Readonly<Record<string, readonly Pass[]>>): number {
    const added = this.fieldWork.fillFromPasses(passes);
    if (this.document)
      for (const piece of added) this.pendingCoverage.add(piece.tractorId, [piece]);
    this.flushCoverage();
    return added.reduce(
      (m2, p) => m2 + Math.hypot(p.end[0] - p.start[0], p.end[1] - p.start[1]) * p.widthM,
      0,
    );
  }

  /** Writes the coverage heard since the last flush into the shared document, one batch per tractor. */
  flushCoverage(): void {
    if (this.document) this.pendingCoverage.writeTo(this.document);
  }

  /** Records the plan's current assignments in the shared document. */
  recordPlan(reason: string): void {
    this.document?.syncAssignments(this.fieldWork.assignments(), reason);
  }

  /**
   * No job is under way: another may be opened. A paused job stays in the history and can be
   * reopened later (with a history; without one, only a planned or finished job gives way).
   */
  private betweenJobs(): boolean {
    const state = this.header.state;
    const paused = state === 'paused' && this.options.history !== undefined;
    return state === 'planned' || state === 'finished' || paused;
  }

  /** The current job gives way to another: written as it is, its document closed. */
  private giveWay(): void {
    this.closeDocument();
    this.document = null;
  }

  /** Another job: every tractor drops the work it had. */
  private clearAssignments(): void {
    for (const id of this.s.tractors.keys()) this.s.port.send(id, { kind: 'assign', sections: [] });
  }

  private newWork(field: ValidField, planned?: FieldPlan): FieldWork {
    return new FieldWork({
      field,
      plan: this.options.plan,
      operation: this.options.operation ?? DEFAULT_OPERATION,
      ...this.fleetSize(),
      ...(planned ? { planned } : {}),
      ...(this.options.refillPoint ? { refillPoint: this.options.refillPoint } : {}),
      guarded: (tractorId) => this.zoneGuard.limits(tractorId),
    });
  }

  private fleetSize(): { fleetSize?: number } {
    return this.options.fleetSize !== undefined ? { fleetSize: this.options.fleetSize } : {};
  }

  /** A new job's header, named apart from every other job kept (`Pond field — job 2`). */
  private newHeader(field: ValidField, replacing: string | null): JobHeader {
    const { history } = this.options;
    return newJobHeader(field.geometry.name, history, replacing, () => this.s.clock.wallNow());
  }
}

/** A job's refill stops: noted where it has a refill point, else only kept as read back. */
function visitsFor(work: FieldWork): RefillVisits {
  return new RefillVisits(work.refillPoint);
}
