/**
 * Keeps the job on disk: the job record (JobStore) written when it changed and at once on the
 * moments that must survive a crash (a stop, a new job), the job's line in the history, and the
 * job read back at start — a job that was running comes back paused: nothing restarts by itself.
 */
import {
  readRefillStops,
  type JobHistory,
  type JobRecord,
  type JobStore,
} from '../records/index.js';
import type { AuditAnchor } from '../safety/index.js';
import type { Clock } from '../time/index.js';
import type { AlertList } from './alert-list.js';
import { historyLine } from './job-history-commands.js';
import { jobRecordOf, resumeFromRecord, type JobHeader } from './job-record-io.js';
import type { JobSession } from './job-session.js';
import type { StopControl } from './stop-control.js';

export interface JobPersistenceParts {
  clock: Clock;
  store?: JobStore | undefined;
  history?: JobHistory | undefined;
  session: JobSession;
  stops: StopControl;
  alerts: AlertList;
  /** The safety audit log's anchor now, kept in the record and the document (null without a log). */
  auditAnchor?: () => AuditAnchor | null;
  log(line: string): void;
}

export class JobPersistence {
  private dirty = false;

  constructor(private readonly p: JobPersistenceParts) {}

  /** The job changed: write it at the next `persistIfDirty`. */
  changed(): void {
    this.dirty = true;
  }

  persistIfDirty(): void {
    if (this.dirty) this.persist();
  }

  persist(): void {
    this.recordHistory();
    if (!this.p.store) return;
    this.dirty = false;
    const { session } = this.p;
    const { job, work, mirror } = session;
    // The document first: what the record holds is then in the log or written ahead too.
    this.p.session.flushCoverage();
    mirror?.writeAhead();
    mirror?.recordRefillStops(session.refillStops());
    const record = jobRecordOf(
      job,
      work,
      this.p.stops.active(),
      this.p.alerts.all(),
      this.p.stops.releases,
      session.refillStops(),
    );
    const anchor = this.p.auditAnchor?.() ?? null;
    this.p.store.save(anchor ? { ...record, auditAnchor: anchor } : record);
    if (anchor) mirror?.anchorAudit(anchor);
  }

  /** The current job's line in the history. */
  recordHistory(): void {
    const { job, work } = this.p.session;
    this.p.history?.record(historyLine(job, work, this.p.clock.wallNow()));
  }

  /**
   * Loads the persisted job. A job that was running comes back paused: nothing restarts by
   * itself. A damaged or missing record is never a reason to start afresh: the job is carried on
   * from the history (the document then gives back its field, work and stops) and what went
   * wrong is returned as a doubt, for the station to hold every machine.
   */
  restore(
    /** The job document gives the worked ground back; the record's passes only fill its gaps. */
    passesFromDocument = false,
  ): RestoreOutcome {
    const { store, clock, session, alerts } = this.p;
    if (!store) return { record: null, doubts: [] };
    const result = store.load(clock.wallNow());
    if (result.kind !== 'loaded') {
      const damage =
        result.kind === 'corrupt'
          ? `the job record was damaged (${result.error}); kept at ${result.movedTo}`
          : 'the job record is missing although the job history lists jobs';
      const header = this.lastJobOfHistory();
      if (result.kind === 'empty' && !header) return { record: null, doubts: [] };
      if (header) session.adopt(header);
      this.p.log(
        `station: ${damage}; ${header ? `carrying on job ${header.id} from the history` : 'no job to carry on'}`,
      );
      return { record: null, doubts: [damage] };
    }
    const job = resumeFromRecord(
      passesFromDocument ? { ...result.record, passes: {} } : result.record,
      session.work,
      this.p.stops.coordinator,
      this.p.stops.releases,
      clock.now(),
    );
    session.adopt(job);
    alerts.adopt(result.record.alerts);
    // One damaged refill stop entry is refused on its own: the job and its other stops carry
    // on, and the record as it was read is kept aside before it is written again without it.
    const refills = readRefillStops(result.record.refillStops);
    session.restoreRefillStops(refills.stops);
    if (refills.refused.length > 0) {
      const keptAt = store.keepCopy(clock.wallNow());
      for (const refused of refills.refused) {
        this.p.log(`station: job record: ${refused}; the record as read kept at ${keptAt}`);
        alerts.raise(
          'warning',
          'station',
          `Job record: ${refused}; the other stops are kept, the record as read is at ${keptAt}`,
        );
      }
    }
    this.p.log(
      `station: resumed job ${job.id} (${job.state}), ${result.record.stops.length} stop(s) still in force`,
    );
    return { record: result.record, doubts: [] };
  }

  /** The job the history last wrote (the open one), as a header to carry on; paused if it ran. */
  private lastJobOfHistory(): JobHeader | null {
    const entries = (this.p.history?.list() ?? []).filter((e) => e.deletedAtWallMs === null);
    const last = entries.sort((a, b) => b.updatedAtWallMs - a.updatedAtWallMs)[0];
    if (!last) return null;
    return {
      version: 2,
      id: last.id,
      name: last.name,
      createdAtWallMs: last.createdAtWallMs,
      state: last.state === 'running' ? 'paused' : last.state,
      fieldName: last.fieldName,
    };
  }
}

export interface RestoreOutcome {
  /** The record read back; null when there was none or it was damaged. */
  record: JobRecord | null;
  /** What makes the start doubtful (a damaged or missing record). */
  doubts: string[];
}
