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
import type { Clock } from '../time/index.js';
import type { FieldWork } from './field-work.js';

/** A coverage segment's nominal duration when the tractor did not say (one telemetry flush). */
const DEFAULT_SEGMENT_MS = 1_000;

export interface JobMirrorOptions {
  dataDir: string;
  clock: Clock;
  stationId: string;
  init: JobInit;
  log: (line: string) => void;
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
  }

  get jobId(): string {
    return this.options.init.jobId;
  }

  /** Section → tractor as the document has it now. */
  assignments(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const section of this.job.snapshot().sections)
      if (section.tractorId) out[section.id] = section.tractorId;
    return out;
  }

  /** Writes every assignment that differs from the document's (one claim per change). */
  syncAssignments(next: Readonly<Record<string, string>>, reason: string): void {
    const current = this.assignments();
    for (const [sectionId, tractorId] of Object.entries(next)) {
      if (current[sectionId] !== tractorId) this.job.assign(sectionId, tractorId, reason);
    }
  }

  /** Appends worked segments (local metres of the job's frame) to a tractor's coverage log. */
  appendCoverage(tractorId: string, segments: readonly CoverageSegment[]): void {
    const wallMs = this.options.clock.wallNow();
    this.job.appendCoverage(
      tractorId,
      segments.map((s) => ({
        tMs: wallMs,
        durationMs: DEFAULT_SEGMENT_MS,
        x0M: s.start[0],
        y0M: s.start[1],
        x1M: s.end[0],
        y1M: s.end[1],
        widthM: s.widthM,
      })),
    );
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
    let segments = 0;
    for (const [tractorId, log] of Object.entries(this.coverage()))
      segments += work.restoreFromSegments(tractorId, log);
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

  /** Every job the station's store holds (the history's contents). */
  storedJobs(): string[] {
    return this.store.jobs();
  }

  recordStop(stopId: string, scope: string, reason: string): void {
    this.job.recordEstop({ id: stopId, scope, reason });
  }

  releaseStop(stopId: string): void {
    this.job.releaseEstop(stopId);
  }

  raiseAlert(id: string, severity: Severity, kind: string, message: string): void {
    this.job.raiseAlert({ id, kind, severity, message });
  }

  acknowledgeAlert(id: string): void {
    this.job.acknowledgeAlert(id);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.persisted.compact();
    this.persisted.detach();
    this.job.destroy();
    this.store.close();
  }
}
