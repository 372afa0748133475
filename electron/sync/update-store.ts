/**
 * Append-only update log per job in SQLite (better-sqlite3 12), with snapshots.
 *
 * Durability policy (docs/sync-schema.md, "Persistence"): journal_mode=WAL with
 * synchronous=FULL. `append` returns only after its transaction is committed and the WAL is
 * fsynced, so an acknowledged update survives a killed process AND a power cut (field laptops
 * lose power). WAL with synchronous=NORMAL would survive kill -9 but may drop the last commits
 * on power loss (https://www.sqlite.org/pragma.html#pragma_synchronous); it is offered for
 * tests and benchmarks only. Every row carries a CRC-32 of its bytes so a flipped bit is found
 * on load, not applied; the checksum covers the row's job id too (`user_version` 2), so a flip
 * that moves a row to another job is found as well. Every row of every job is checked when the
 * store opens: a store with any damaged row is moved aside whole (the evidence is kept) and a
 * fresh one is built from the rows that verify, and `openReport.lost` names what was dropped.
 *
 * Compaction applies the snapshot and the log into a Y.Doc and encodes it (not
 * Y.mergeUpdates, quadratic over long logs), then replaces the snapshot and drops
 * the folded rows in one transaction: a crash leaves either the old or the new state.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import {
  CHECKSUM_VERSION,
  checksum,
  examine,
  quarantineStore,
  verified,
  writeRows,
  type LostRow,
  type Row,
  type StoredRows,
} from './store-rows.js';

export { removeStoreFiles, type LostRow } from './store-rows.js';

export type Synchronous = 'FULL' | 'NORMAL';

export interface StoreOptions {
  readonly synchronous?: Synchronous;
  /** Wall-clock source for quarantine file names (injected; no Date.now() in the core). */
  readonly wallNow?: () => number;
}

export interface OpenReport {
  readonly corrupt: boolean;
  /** Where the damaged file was moved, when it was. */
  readonly quarantinedTo: string | null;
  readonly salvagedRows: number;
  /** Rows dropped because their checksum failed (rows a damaged file no longer yields are not listed). */
  readonly lost: readonly LostRow[];
  readonly problems: readonly string[];
}

export interface LoadReport {
  readonly snapshot: boolean;
  readonly updatesReplayed: number;
  /** Rows whose checksum or encoding was bad; skipped. */
  readonly corruptRows: number;
  /** True when a skipped row left later updates unappliable (they are kept, not applied). */
  readonly pendingAfterLoad: boolean;
  readonly problems: readonly string[];
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS updates_job ON updates (job, seq);
  CREATE TABLE IF NOT EXISTS snapshots (job TEXT PRIMARY KEY, upto INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS open_runs (job TEXT NOT NULL, writer TEXT NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY (job, writer));
`;

/** What a write-ahead run's checksum covers besides its data (see store-rows.ts, Row.job). */
const runKey = (jobId: string, writer: string): string => `${jobId}\u0000${writer}`;

export class UpdateStore {
  readonly openReport: OpenReport;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, Uint8Array, number]>;

  private constructor(db: Database.Database, report: OpenReport) {
    this.db = db;
    this.openReport = report;
    this.insert = db.prepare('INSERT INTO updates (job, data, crc) VALUES (?, ?, ?)');
  }

  /**
   * Opens (or creates) the store at `path`. Every row is checked against its checksum; a file
   * that fails quick_check or holds a damaged row is moved aside as `<path>.corrupt-<ms>` and a
   * fresh store is built from every row that is still readable and verifies.
   */
  static open(path: string, options: StoreOptions = {}): UpdateStore {
    const sync = options.synchronous ?? 'FULL';
    const problems: string[] = [];
    let rebuild: StoredRows | null = null;
    let upgrade: StoredRows | null = null;
    let quarantinedTo: string | null = null;
    let lost: LostRow[] = [];
    if (path !== ':memory:' && existsSync(path)) {
      const found = examine(path, problems);
      const snapshots = verified(found.rows.snapshots, found.version, 'snapshot');
      const updates = verified(found.rows.updates, found.version, 'update');
      const openRuns = verified(found.rows.openRuns, found.version, 'open run');
      lost = [...snapshots.lost, ...updates.lost, ...openRuns.lost];
      if (lost.length > 0)
        problems.push(
          `${lost.length} row(s) failed their checksum: ${lost.map((r) => `${r.kind} ${r.seq} of ${r.job}`).join(', ')}`,
        );
      const good = { snapshots: snapshots.good, updates: updates.good, openRuns: openRuns.good };
      if (found.damaged || lost.length > 0) {
        rebuild = good;
        quarantinedTo = quarantineStore(path, (options.wallNow ?? (() => 0))());
      } else if (found.version < CHECKSUM_VERSION) upgrade = good;
    }
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    db.exec(SCHEMA);
    const rows = rebuild ?? upgrade;
    db.transaction(() => {
      if (rows) writeRows(db, rows, upgrade !== null);
      db.pragma(`user_version = ${CHECKSUM_VERSION}`);
    })();
    const salvagedRows = rebuild ? rebuild.snapshots.length + rebuild.updates.length : 0;
    // Damaged write-ahead runs are named by job too (their key is `<job>\0<writer>`).
    lost = lost.map((r) => ({ ...r, job: r.job.split('\u0000')[0] ?? r.job }));
    return new UpdateStore(db, {
      corrupt: rebuild !== null,
      quarantinedTo,
      salvagedRows,
      lost,
      problems,
    });
  }

  /** Appends one update; durable (per the policy above) when this returns. Returns its seq. */
  append(jobId: string, update: Uint8Array): number {
    return Number(this.insert.run(jobId, update, checksum(jobId, update)).lastInsertRowid);
  }

  /**
   * Replaces the write-ahead record of a writer's open coverage run (its progress before the run
   * is closed and logged); null removes it.
   */
  putOpenRun(jobId: string, writer: string, data: Uint8Array | null): void {
    if (data === null) {
      this.db.prepare('DELETE FROM open_runs WHERE job = ? AND writer = ?').run(jobId, writer);
      return;
    }
    this.db
      .prepare('INSERT OR REPLACE INTO open_runs (job, writer, data, crc) VALUES (?, ?, ?, ?)')
      .run(jobId, writer, data, checksum(runKey(jobId, writer), data));
  }

  /** The job's write-ahead open runs (each verified when the store opened). */
  openRuns(jobId: string): { writer: string; data: Uint8Array }[] {
    return this.db
      .prepare('SELECT writer, data FROM open_runs WHERE job = ? ORDER BY writer')
      .all(jobId) as { writer: string; data: Uint8Array }[];
  }

  /** Runs `fn` in one transaction: one commit, one fsync; a crash leaves all of it or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Appends several updates in one commit (one fsync). */
  appendMany(jobId: string, updates: readonly Uint8Array[]): void {
    this.db.transaction(() => {
      for (const u of updates) this.insert.run(jobId, u, checksum(jobId, u));
    })();
  }

  jobs(): string[] {
    const rows = this.db
      .prepare('SELECT job FROM snapshots UNION SELECT DISTINCT job FROM updates')
      .all() as { job: string }[];
    return rows.map((r) => r.job).sort();
  }

  updateCount(jobId: string): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM updates WHERE job = ?').get(jobId) as { n: number }
    ).n;
  }

  /** Rebuilds the job's doc from its snapshot and log; damaged rows are skipped and reported. */
  load(
    jobId: string,
    doc: Y.Doc = new Y.Doc(),
    origin: unknown = 'update-store:load',
  ): { doc: Y.Doc; report: LoadReport } {
    const problems: string[] = [];
    let corruptRows = 0;
    let snapshot = false;
    let replayed = 0;
    const apply = (data: Uint8Array, what: string): boolean => {
      try {
        // decodeUpdate first: applyUpdate can change the doc and then throw.
        Y.decodeUpdate(data);
        Y.applyUpdate(doc, data, origin);
        return true;
      } catch (err) {
        corruptRows++;
        problems.push(`${what}: undecodable (${String(err)})`);
        return false;
      }
    };
    const snap = this.db
      .prepare('SELECT upto AS seq, job, data, crc FROM snapshots WHERE job = ?')
      .get(jobId) as Row | undefined;
    if (snap) {
      if (checksum(snap.job, snap.data) !== snap.crc) {
        corruptRows++;
        problems.push(`snapshot of ${jobId}: checksum mismatch`);
      } else snapshot = apply(snap.data, `snapshot of ${jobId}`);
    }
    const rows = this.db
      .prepare('SELECT seq, job, data, crc FROM updates WHERE job = ? ORDER BY seq')
      .iterate(jobId) as IterableIterator<Row>;
    for (const row of rows) {
      if (checksum(row.job, row.data) !== row.crc) {
        corruptRows++;
        problems.push(`update ${row.seq}: checksum mismatch`);
        continue;
      }
      if (apply(row.data, `update ${row.seq}`)) replayed++;
    }
    const pendingAfterLoad = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    if (pendingAfterLoad)
      problems.push('updates after a damaged row cannot be applied (clock gap); kept in the log');
    return {
      doc,
      report: { snapshot, updatesReplayed: replayed, corruptRows, pendingAfterLoad, problems },
    };
  }

  /**
   * Folds the log into the snapshot. Pass the live doc when it already holds every logged
   * update (an attached replica); otherwise the store rebuilds the doc itself.
   */
  compact(jobId: string, liveDoc?: Y.Doc): { folded: number; snapshotBytes: number } {
    return this.db.transaction(() => {
      const upto = (
        this.db.prepare('SELECT MAX(seq) AS m FROM updates WHERE job = ?').get(jobId) as {
          m: number | null;
        }
      ).m;
      if (upto === null) return { folded: 0, snapshotBytes: 0 };
      const doc = liveDoc ?? this.load(jobId).doc;
      const data = Y.encodeStateAsUpdate(doc);
      this.db
        .prepare('INSERT OR REPLACE INTO snapshots (job, upto, data, crc) VALUES (?, ?, ?, ?)')
        .run(jobId, upto, data, checksum(jobId, data));
      const folded = this.db
        .prepare('DELETE FROM updates WHERE job = ? AND seq <= ?')
        .run(jobId, upto).changes;
      return { folded, snapshotBytes: data.byteLength };
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
