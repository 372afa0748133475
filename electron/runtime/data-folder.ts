/**
 * A station's data folder, opened for one station: the lock first (one station per folder: two
 * would interleave their audit chains and overwrite each other's job record), then the files
 * kept there — fleet key, job history, safety audit log, job record store, recordings. What
 * opening found damaged (and kept aside) is collected for the station to raise as alerts.
 * Used by `headland serve`, the Electron window and the crash tests alike.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JobHistory, JobRecorder, JobStore, RECORDINGS_DIR } from '../records/index.js';
import { AUDIT_LOG_FILE, AuditLog, loadOrCreateFleetKey, type FleetKey } from '../safety/index.js';
import type { StartupAlert } from '../station/index.js';
import { DataFolderLock, systemLockEnvironment, type LockEnvironment } from '../storage/index.js';
import type { Clock } from '../time/index.js';

export interface DataFolderOptions {
  dir: string;
  clock: Clock;
  /** The station's name, written in its recordings. */
  station: string;
  log: (line: string) => void;
  /** Who is taking the lock (the running process unless a test says otherwise). */
  lockEnvironment?: LockEnvironment;
}

export interface DataFolder {
  readonly dir: string;
  readonly lock: DataFolderLock;
  readonly fleetKey: FleetKey;
  readonly history: JobHistory;
  readonly audit: AuditLog;
  readonly store: JobStore;
  readonly recorder: JobRecorder;
  /** Damage found on opening, for the station's alerts. */
  readonly alerts: StartupAlert[];
  /**
   * Where a recording found damaged when the recorder reopens it is said (the station's alerts).
   * The recorder can reopen one while the station is still being built, before anyone can be
   * told: what was found until then is kept and said on connecting.
   */
  reportRecordingProblemsTo(say: (message: string) => void): void;
  /** Closes the recorder and the audit log (if the station has not) and releases the lock. */
  close(): void;
}

/** Opens the folder; throws (after releasing the lock) when it is locked or a file refuses. */
export function openDataFolder(options: DataFolderOptions): DataFolder {
  const { dir, clock, log } = options;
  mkdirSync(dir, { recursive: true });
  const lock = DataFolderLock.acquire(
    dir,
    options.lockEnvironment ?? systemLockEnvironment(() => clock.wallNow()),
  );
  if (lock.tookOver) log(`station: data folder ${dir}: ${lock.tookOver}`);
  try {
    const alerts: StartupAlert[] = [];
    const fleetKey = loadOrCreateFleetKey(dir);
    if (fleetKey.created)
      log(`station: new fleet key written to ${fleetKey.file} (pair tractors with it)`);
    const history = new JobHistory(dir, clock.wallNow());
    if (history.problem) {
      log(`station: ${history.problem}`);
      alerts.push({ severity: 'warning', source: 'station', message: history.problem });
    }
    const audit = AuditLog.open(join(dir, AUDIT_LOG_FILE), () => clock.wallNow());
    if (audit.problem) {
      log(`station: ${audit.problem}`);
      const broken = audit.repair === 'broken';
      alerts.push({
        severity: broken ? 'critical' : 'warning',
        source: 'station',
        message: `Safety audit log repaired: ${audit.problem}`,
        hold: broken,
      });
    }
    // Every job is recorded for `headland replay` (docs/records.md, "Recording and replay").
    const unsaid: string[] = [];
    let sayProblem: ((message: string) => void) | null = null;
    const recorder = new JobRecorder({
      dir: join(dir, RECORDINGS_DIR),
      clock,
      station: options.station,
      onProblem: (message) => {
        log(`station: ${message}`);
        if (sayProblem) sayProblem(message);
        else unsaid.push(message);
      },
    });
    return {
      dir,
      lock,
      fleetKey: fleetKey.key,
      history,
      audit: audit.log,
      store: new JobStore(dir),
      recorder,
      alerts,
      reportRecordingProblemsTo(say) {
        sayProblem = say;
        for (const message of unsaid.splice(0)) say(message);
      },
      close() {
        try {
          recorder.close();
          audit.log.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
