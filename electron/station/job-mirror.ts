/**
 * The station's job in the shared Yjs document (electron/sync): sections, assignments, the
 * coverage log, e-stops and alerts are written there as they happen, persisted in an
 * append-only SQLite log, and read back on restart, so the document — not a private file — is
 * the record of the work that every replica (tractors, other stations, a farm office) shares.
 */
import { join } from 'node:path';
import type { Severity } from '../../shared/index.js';
import type { CoverageSegment } from '../fleet/index.js';
import {
  JobDoc,
  UpdateStore,
  openOrCreateJob,
  type JobInit,
  type PersistedJob,
  type SwathSegment,
} from '../sync/index.js';
import type { RefillStop } from '../records/index.js';
import type { Clock } from '../time/index.js';
import { CoverageRunLog } from './coverage-run-log.js';
import type { FieldWork } from './field-work.js';
import { splitAtSwaths } from './swath-geometry.js';

/** How the stop control words a stop's reason in the document (`stop by <actor>`). */
const STOP_REASON_PREFIX = 'stop by ';

/** A stop as the job document holds it. */
export interface DocumentStop {
  id: string;
  scope: string;
  issuedAtWallMs: number;
  issuedBy: string;
}

/** Records of one stop under `<id>.2` … at most: beyond, the document is being flooded. */
const MAX_STOP_ID_SUFFIX = 1_000;

export interface JobMirrorOptions {
  dataDir: string;
  clock: Clock;
  stationId: string;
  init: JobInit;
  log: (line: string) => void;
  /** A timer's task failed (the document could not be written): reported, never thrown. */
  fault?: (source: string, err: unknown) => void;
}

export class JobMirror {
  /** The document of a job, created from its plan the first time. */
  static forWork(
    work: FieldWork,
    job: { id: string; name: string },
    options: Omit<JobMirrorOptions, 'init'>,
  ): JobMirror {
    const plan = work.plan;
    return new JobMirror({
      ...options,
      init: {
        jobId: job.id,
        name: job.name,
        boundary: work.fieldRings(),
        frameOrigin: [plan.origin.lon, plan.origin.lat],
        sections: plan.sections.map((section) => ({
          id: section.id,
          name: section.id,
          polygon: [work.sectionRing(section)],
          areaM2: section.areaM2,
        })),
      },
    });
  }

  readonly job: JobDoc;
  /** True when this opening created the document (a new job), false when it read it back. */
  readonly created: boolean;
  private readonly store: UpdateStore;
  private readonly persisted: PersistedJob;
  /** Each tractor's coverage runs: joined, logged as they close, the open one written ahead. */
  private readonly runs: CoverageRunLog;
  private closed = false;

  constructor(private readonly options: JobMirrorOptions) {
    this.store = UpdateStore.open(join(options.dataDir, 'sync.db'), {
      wallNow: () => options.clock.wallNow(),
    });
    const report = this.store.openReport;
    if (report.corrupt) {
      options.log(
        `sync: the job store was damaged (${report.problems.join('; ')}); ${report.salvagedRows} rows salvaged, original kept at ${report.quarantinedTo ?? '?'}`,
      );
    }
    const opened = openOrCreateJob(this.store, options.init, {
      actor: { role: 'station', id: options.stationId },
      clock: options.clock,
    });
    this.job = opened.job;
    this.created = opened.created;
    this.persisted = opened.persisted;
    if (!opened.created)
      options.log(
        `sync: job ${options.init.jobId} reopened from the store (${opened.persisted.report.updatesReplayed} updates replayed)`,
      );
    this.runs = new CoverageRunLog({
      store: this.store,
      job: this.job,
      jobId: options.init.jobId,
      clock: options.clock,
      log: options.log,
      fault: options.fault,
    });
    this.runs.logRunsWrittenAhead();
  }

  get jobId(): string {
    return this.options.init.jobId;
  }

  /**
   * What the store lost of this job when it opened — rows that failed their checksum, updates
   * that cannot be applied without them — and where the damaged store was kept; null if nothing.
   */
  damage(): string | null {
    const open = this.store.openReport;
    const load = this.persisted.report;
    const jobId = this.jobId;
    const lost = open.lost.filter((r) => r.job === jobId);
    const others = open.lost.length - lost.length;
    const parts: string[] = [];
    if (lost.length > 0)
      parts.push(
        `${lost.length} record(s) of this job failed their checksum (${lost.map((r) => `${r.kind} ${r.seq}`).join(', ')})`,
      );
    if (others > 0)
      parts.push(`${others} record(s) of other jobs (or of no known job) failed theirs`);
    if (open.corrupt && lost.length === 0 && others === 0)
      parts.push(
        `the store file was damaged (${open.problems[0] ?? 'unreadable'}); ${open.salvagedRows} records salvaged`,
      );
    if (load.corruptRows > 0) parts.push(`${load.corruptRows} record(s) could not be decoded`);
    if (load.pendingAfterLoad) parts.push('later updates cannot be applied without them (kept)');
    if (parts.length === 0) return null;
    const kept = open.quarantinedTo ? `; the damaged store is kept at ${open.quarantinedTo}` : '';
    return `the job store was damaged: ${parts.join('; ')}${kept}`;
  }

  /** Section → tractor as the document has it now. */
  assignments(): Record<string, string> {
    return this.job.holders();
  }

  /**
   * Writes every assignment that differs from the document's: one claim per changed section,
   * all in one transaction with one op record (the plan changed once).
   */
  syncAssignments(next: Readonly<Record<string, string>>, reason: string): void {
    const current = this.assignments();
    const changes = Object.entries(next)
      .filter(([sectionId, tractorId]) => current[sectionId] !== tractorId)
      .map(([sectionId, tractorId]) => ({ sectionId, tractorId }));
    this.job.assignMany(changes, reason);
  }

  /**
   * Appends worked segments (local metres of the job's frame) to a tractor's coverage log.
   * Consecutive pieces of one straight run are joined first, and a run is written when it
   * closes (another swath, a bend, or 10 s long): one log item per run instead of one per
   * progress report. A run still open is written ahead within WRITE_AHEAD_MS, so a station that
   * dies loses at most that much of it (coverage-run-log.ts).
   */
  appendCoverage(tractorId: string, segments: readonly CoverageSegment[]): void {
    this.runs.append(tractorId, segments);
  }

  /** Writes ahead every open run that grew since it last was (one commit). */
  writeAhead(): void {
    this.runs.writeAhead();
  }

  /** Every tractor's coverage log. */
  coverage(): Record<string, readonly SwathSegment[]> {
    const out: Record<string, readonly SwathSegment[]> = {};
    for (const tractorId of Object.keys(this.job.snapshot().coverageSegmentCounts))
      out[tractorId] = this.job.coverage(tractorId);
    return out;
  }

  /** Puts the document's coverage log and assignments back into the field work; returns the segments placed. */
  restoreInto(work: FieldWork): number {
    const swaths = work.plan.sections.flatMap((section) => section.swaths);
    let segments = 0;
    for (const [tractorId, log] of Object.entries(this.coverage())) {
      work.restoreFromSegments(
        tractorId,
        log.flatMap((segment) => splitAtSwaths(segment, swaths)),
      );
      segments += log.length;
    }
    const holders = this.assignments();
    if (Object.keys(holders).length > 0) work.restorePasses({}, holders);
    return segments;
  }

  /** Records a live boundary edit (outer ring, then holes, WGS84) as a field revision. */
  reviseField(rings: [number, number][][], reason: string): void {
    this.job.reviseField(rings, reason);
  }

  /**
   * The job's field as the document has it: its latest boundary revision, the frame it was
   * planned in and how many edits came before (null when the document holds no field yet).
   */
  field(): {
    rings: [number, number][][];
    origin: [number, number];
    revision: number;
  } | null {
    const revisions = this.job.fieldRevisions();
    const latest = revisions.at(-1);
    const origin = this.job.frameOrigin();
    if (!latest || !origin) return null;
    return {
      rings: latest.boundary,
      origin: [origin[0], origin[1]],
      revision: revisions.length - 1,
    };
  }

  /**
   * What another job's document says of it (name, creation, mode, area), read from the store
   * without opening it for writing: to list it again when the history was lost.
   */
  describeStoredJob(
    jobId: string,
  ): { name: string; createdAtWallMs: number; mode: string | null; areaM2: number } | null {
    const { doc } = this.store.load(jobId);
    const job = new JobDoc({
      actor: { role: 'tractor', id: 'history' },
      clock: this.options.clock,
      doc,
    });
    try {
      const snap = job.snapshot();
      if (!snap.jobId) return null;
      return {
        name: snap.name,
        createdAtWallMs: snap.createdAtMs,
        mode: snap.jobMode?.mode ?? null,
        areaM2: snap.sections.reduce((m2, s) => m2 + s.areaM2, 0),
      };
    } finally {
      job.destroy();
      doc.destroy();
    }
  }

  /** Every job the station's store holds (the history's contents). */
  storedJobs(): string[] {
    return this.store.jobs();
  }

  /** Every stop id the document has recorded, released or not. */
  stopIds(): string[] {
    return this.job.snapshot().estops.map((e) => e.id);
  }

  /** The stops the document holds in force (recorded, not released). */
  activeStops(): DocumentStop[] {
    return this.job
      .snapshot()
      .estops.filter((e) => e.active)
      .map((e) => ({
        id: e.id,
        scope: e.scope,
        issuedAtWallMs: e.atMs,
        // recordStop's reason is `stop by <actor>`.
        issuedBy: e.reason.startsWith(STOP_REASON_PREFIX)
          ? e.reason.slice(STOP_REASON_PREFIX.length)
          : e.reason,
      }));
  }

  /** Keeps the audit log's anchor in the document (written only when it moved). */
  anchorAudit(anchor: { count: number; lastHash: string }): void {
    const now = this.job.auditAnchor();
    if (now?.count === anchor.count && now.lastHash === anchor.lastHash) return;
    this.job.setAuditAnchor(anchor);
  }

  /** The audit log's anchor as the document last held it. */
  auditAnchor(): { count: number; lastHash: string } | null {
    return this.job.auditAnchor();
  }

  /**
   * Records a stop. A stop is never lost for want of an id: when the document already holds a
   * record under the stop's id (a wall clock set back across a restart, or a record written by
   * someone else before the document refused that), it is recorded as `<id>.2`, `<id>.3`, …
   * Recording happens after the stop frame went out; a failure here is logged, never thrown
   * into the stop.
   */
  recordStop(stopId: string, scope: string, reason: string): void {
    try {
      let docId = stopId;
      for (let n = 2; this.job.hasEstop(docId); n++) {
        if (n > MAX_STOP_ID_SUFFIX) {
          this.options.log(`sync: stop ${stopId} not recorded: its ids up to .${n - 1} are taken`);
          return;
        }
        docId = `${stopId}.${n}`;
      }
      if (docId !== stopId)
        this.options.log(`sync: stop ${stopId} recorded as ${docId}: the document held its id`);
      this.job.recordEstop({ id: docId, scope, reason });
    } catch (err) {
      this.options.log(`sync: stop ${stopId} not recorded: ${String(err)}`);
    }
  }

  /** Releases the stop's records (under its id and any `<id>.n` it was recorded as). */
  releaseStop(stopId: string): void {
    try {
      // Its records are consecutive: the id itself, then `<id>.2`, `<id>.3`, …
      if (this.job.hasEstop(stopId)) this.job.releaseEstop(stopId);
      for (let n = 2; n <= MAX_STOP_ID_SUFFIX && this.job.hasEstop(`${stopId}.${n}`); n++)
        this.job.releaseEstop(`${stopId}.${n}`);
    } catch (err) {
      this.options.log(`sync: release of stop ${stopId} not recorded: ${String(err)}`);
    }
  }

  /** Writes the job's refill stops that are new or lengthened; a failure is logged. */
  recordRefillStops(stops: readonly RefillStop[]): void {
    try {
      this.job.putRefillStops(stops);
    } catch (err) {
      this.options.log(`sync: refill stops not recorded: ${String(err)}`);
    }
  }

  /** The refill stops the job's document holds (a job reopened, or read back after a restart). */
  refillStops(): RefillStop[] {
    return this.job.refillStops().map((stop) => ({
      tractorId: stop.tractorId,
      arrivedAtWallMs: stop.arrivedAtWallMs,
      leftAtWallMs: stop.leftAtWallMs,
      position: [stop.position[0], stop.position[1]],
    }));
  }

  raiseAlert(id: string, severity: Severity, kind: string, message: string): void {
    this.job.raiseAlert({ id, kind, severity, message });
  }

  acknowledgeAlert(id: string): void {
    this.job.acknowledgeAlert(id);
  }

  close(): void {
    if (this.closed) return;
    this.runs.close();
    this.closed = true;
    this.persisted.compact();
    this.persisted.detach();
    this.job.destroy();
    this.store.close();
  }
}
