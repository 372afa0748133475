/**
 * Keeps the job on disk: the job record (JobStore) written when it changed and at once on the
 * moments that must survive a crash (a stop, a new job), the job's line in the history, and the
 * job read back at start — a job that was running comes back paused: nothing restarts by itself.
 */
import type { JobHistory, JobStore } from '../records/index.js';
import type { Clock } from '../time/index.js';
import type { AlertList } from './alert-list.js';
import { historyLine } from './job-history-commands.js';
import { jobRecordOf, resumeFromRecord } from './job-record-io.js';
import type { JobSession } from './job-session.js';
import type { StopControl } from './stop-control.js';

export interface JobPersistenceParts {
  clock: Clock;
  store?: JobStore | undefined;
  history?: JobHistory | undefined;
  session: JobSession;
  stops: StopControl;
  alerts: AlertList;
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
    const { job, work, mirror } = this.p.session;
    const record = jobRecordOf(
      job,
      work,
      this.p.stops.active(),
      this.p.alerts.all(),
      !mirror,
      this.p.stops.releases,
    );
    this.p.store.save(record);
  }

  /** The current job's line in the history. */
  recordHistory(): void {
    const { job, work } = this.p.session;
    this.p.history?.record(historyLine(job, work, this.p.clock.wallNow()));
  }

  /**
   * Loads the persisted job. A job that was running comes back paused: nothing restarts by
   * itself. Returns whether a job was read back (a job read back never starts by itself).
   */
  restore(): boolean {
    const { store, clock, session, alerts } = this.p;
    if (!store) return false;
    const result = store.load(clock.wallNow());
    if (result.kind === 'corrupt') {
      this.p.log(
        `station: job record was corrupt (${result.error}); kept at ${result.movedTo}, starting a new job`,
      );
      alerts.raise(
        'warning',
        'station',
        `Saved job could not be read (${result.error}); a new job was started`,
      );
      return false;
    }
    if (result.kind === 'empty') return false;
    const job = resumeFromRecord(
      result.record,
      session.work,
      this.p.stops.coordinator,
      this.p.stops.releases,
      clock.now(),
    );
    session.adopt(job);
    alerts.adopt(result.record.alerts);
    this.p.log(
      `station: resumed job ${job.id} (${job.state}), ${result.record.stops.length} stop(s) still in force`,
    );
    return true;
  }
}
