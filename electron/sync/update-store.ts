/**
 * Append-only update log per job in SQLite (better-sqlite3 12), with snapshots.
 *
 * Durability policy (docs/sync-schema.md, "Persistence"): journal_mode=WAL with
 * synchronous=FULL. `append` returns only after its transaction is committed and the WAL is
 * fsynced, so an acknowledged update survives a killed process AND a power cut (field laptops
 * lose power). WAL with synchronous=NORMAL would survive kill -9 but may drop the last commits
 * on power loss (https://www.sqlite.org/pragma.html#pragma_synchronous); it is offered for
 * tests and benchmarks only. Every row carries a CRC-32 of its bytes so a flipped bit is found
 * on load, not applied.
 *
 * Compaction applies the snapshot and the log into a Y.Doc and encodes it (not
 * Y.mergeUpdates, quadratic over long logs per issue 6), then replaces the snapshot and drops
 * the folded rows in one transaction: a crash leaves either the old or the new state.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { fsyncDirectory, quarantineName } from '../storage/index.js';

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

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

interface Row {
  seq: number;
  job: string;
  data: Uint8Array;
  crc: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS updates_job ON updates (job, seq);
  CREATE TABLE IF NOT EXISTS snapshots (job TEXT PRIMARY KEY, upto INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL);
`;

const checksum = (data: Uint8Array): number => crc32(data);

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
   * Opens (or creates) the store at `path`. A damaged file is detected (quick_check), moved
   * aside as `<path>.corrupt-<ms>`, and every row still readable is copied into a fresh store.
   */
  static open(path: string, options: StoreOptions = {}): UpdateStore {
    const sync = options.synchronous ?? 'FULL';
    const problems: string[] = [];
    let salvage: { snapshots: Row[]; updates: Row[] } | null = null;
    let quarantinedTo: string | null = null;
    if (path !== ':memory:' && existsSync(path)) {
      const damage = inspect(path);
      if (damage !== null) {
        problems.push(damage);
        salvage = salvageRows(path, problems);
        quarantinedTo = quarantineStore(path, (options.wallNow ?? (() => 0))());
      }
    }
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync}`);
    db.exec(SCHEMA);
    if (salvage) {
      db.transaction(() => {
        const s = db.prepare(
          'INSERT OR REPLACE INTO snapshots (job, upto, data, crc) VALUES (?, ?, ?, ?)',
        );
        for (const r of salvage.snapshots) s.run(r.job, r.seq, r.data, r.crc);
        const u = db.prepare('INSERT INTO updates (seq, job, data, crc) VALUES (?, ?, ?, ?)');
        for (const r of salvage.updates) u.run(r.seq, r.job, r.data, r.crc);
      })();
    }
    const salvagedRows = salvage ? salvage.snapshots.length + salvage.updates.length : 0;
    return new UpdateStore(db, {
      corrupt: salvage !== null,
      quarantinedTo,
      salvagedRows,
      problems,
    });
  }

  /** Appends one update; durable (per the policy above) when this returns. Returns its seq. */
  append(jobId: string, update: Uint8Array): number {
    return Number(this.insert.run(jobId, update, checksum(update)).lastInsertRowid);
  }

  /** Appends several updates in one commit (one fsync). */
  appendMany(jobId: string, updates: readonly Uint8Array[]): void {
    this.db.transaction(() => {
      for (const u of updates) this.insert.run(jobId, u, checksum(u));
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
        // decodeUpdate first: applyUpdate can change the doc and then throw (issue 6).
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
      if (checksum(snap.data) !== snap.crc) {
        corruptRows++;
        problems.push(`snapshot of ${jobId}: checksum mismatch`);
      } else snapshot = apply(snap.data, `snapshot of ${jobId}`);
    }
    const rows = this.db
      .prepare('SELECT seq, job, data, crc FROM updates WHERE job = ? ORDER BY seq')
      .iterate(jobId) as IterableIterator<Row>;
    for (const row of rows) {
      if (checksum(row.data) !== row.crc) {
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
        .run(jobId, upto, data, checksum(data));
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

/** Null when the file is a healthy store, else what is wrong with it. */
function inspect(path: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    const result = db.pragma('quick_check', { simple: true });
    return result === 'ok' ? null : `store ${path} failed quick_check: ${String(result)}`;
  } catch (err) {
    return `store ${path} is unreadable: ${String(err)}`;
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a damaged handle may fail too; the file is quarantined next either way.
    }
  }
}

/**
 * A truncated file still claims its old page count in the header (bytes 28–31, valid when the
 * change counter at 24 equals the one at 92: https://www.sqlite.org/fileformat2.html#in_header_database_size),
 * so SQLite reads zero pages past the end and gives up at once. Work on a copy whose header
 * states the pages that really exist, so rows on intact pages can be read.
 */
function repairedCopy(path: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'headland-salvage-')), 'copy.db');
  copyFileSync(path, copy);
  if (existsSync(path + '-wal')) copyFileSync(path + '-wal', copy + '-wal');
  const fd = openSync(copy, 'r+');
  try {
    const header = Buffer.alloc(100);
    if (
      readSync(fd, header, 0, 100, 0) === 100 &&
      header.toString('latin1', 0, 15) === 'SQLite format 3'
    ) {
      const raw = header.readUInt16BE(16);
      const pageSize = raw === 1 ? 65_536 : raw;
      if (pageSize >= 512) {
        header.writeUInt32BE(Math.floor(statSync(copy).size / pageSize), 28);
        header.writeUInt32BE(header.readUInt32BE(24), 92);
        writeSync(fd, header, 28, 4, 28);
        writeSync(fd, header, 92, 4, 92);
      }
    }
  } finally {
    closeSync(fd);
  }
  return copy;
}

/** Reads every row that can still be read, from both ends of each table. */
function salvageRows(path: string, problems: string[]): { snapshots: Row[]; updates: Row[] } {
  const out = { snapshots: [] as Row[], updates: [] as Row[] };
  let db: Database.Database | null = null;
  let copy: string | null = null;
  try {
    copy = repairedCopy(path);
    db = new Database(copy, { fileMustExist: true });
    out.snapshots = readAll(db, 'SELECT upto AS seq, job, data, crc FROM snapshots', problems);
    const seen = new Map<number, Row>();
    for (const order of ['ASC', 'DESC']) {
      for (const r of readAll(
        db,
        `SELECT seq, job, data, crc FROM updates ORDER BY seq ${order}`,
        problems,
      ))
        seen.set(r.seq, r);
    }
    out.updates = [...seen.values()].sort((a, b) => a.seq - b.seq);
  } catch (err) {
    problems.push(`nothing salvageable: ${String(err)}`);
  } finally {
    try {
      db?.close();
    } catch {
      // see inspect()
    }
    if (copy) removeStoreFiles(copy);
  }
  return out;
}

function readAll(db: Database.Database, sql: string, problems: string[]): Row[] {
  const rows: Row[] = [];
  try {
    for (const r of db.prepare(sql).iterate() as IterableIterator<Row>) rows.push(r);
  } catch (err) {
    problems.push(`read stopped after ${rows.length} rows: ${String(err)}`);
  }
  return rows;
}

/** Moves a store and its WAL files aside together (SQLite reads `X-wal` beside `X`). */
function quarantineStore(path: string, wallMs: number): string {
  const to = quarantineName(path, { wallMs });
  for (const suffix of ['-wal', '-shm'])
    if (existsSync(path + suffix)) renameSync(path + suffix, to + suffix);
  renameSync(path, to);
  fsyncDirectory(dirname(path));
  return to;
}

/** Removes a store and its WAL files (tests, and `headland` job deletion). */
export function removeStoreFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}
