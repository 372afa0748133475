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

export interface LostRow {
  /** The job the row claimed (a damaged row may claim the wrong one). */
  readonly job: string;
  readonly seq: number;
  readonly kind: 'update' | 'snapshot';
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

/** `user_version` of a store whose checksums cover the job id and the data. */
const CHECKSUM_VERSION = 2;

/** CRC-32 of the job id then the data (version 2); of the data alone in older stores. */
function checksum(job: string, data: Uint8Array, version = CHECKSUM_VERSION): number {
  return version >= CHECKSUM_VERSION ? crc32(data, crc32(Buffer.from(job, 'utf8'))) : crc32(data);
}

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
    let rebuild: { snapshots: Row[]; updates: Row[] } | null = null;
    let upgrade: { snapshots: Row[]; updates: Row[] } | null = null;
    let quarantinedTo: string | null = null;
    let lost: LostRow[] = [];
    if (path !== ':memory:' && existsSync(path)) {
      const found = examine(path, problems);
      const snapshots = verified(found.rows.snapshots, found.version, 'snapshot');
      const updates = verified(found.rows.updates, found.version, 'update');
      lost = [...snapshots.lost, ...updates.lost];
      if (lost.length > 0)
        problems.push(
          `${lost.length} row(s) failed their checksum: ${lost.map((r) => `${r.kind} ${r.seq} of ${r.job}`).join(', ')}`,
        );
      const good = { snapshots: snapshots.good, updates: updates.good };
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

/** What a store file holds: every row it yields, its checksum version, and whether it is damaged. */
function examine(
  path: string,
  problems: string[],
): { damaged: boolean; version: number; rows: { snapshots: Row[]; updates: Row[] } } {
  let db: Database.Database | null = null;
  let damage: string | null;
  try {
    db = new Database(path, { fileMustExist: true });
    const result = db.pragma('quick_check', { simple: true });
    damage = result === 'ok' ? null : `store ${path} failed quick_check: ${String(result)}`;
    if (damage === null) {
      const version = Number(db.pragma('user_version', { simple: true }));
      return { damaged: false, version, rows: readRows(db, problems) };
    }
  } catch (err) {
    damage = `store ${path} is unreadable: ${String(err)}`;
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a damaged handle may fail too; the file is quarantined next either way.
    }
  }
  problems.push(damage);
  return { damaged: true, ...salvageRows(path, problems) };
}

/** Splits rows into those whose checksum verifies and those lost. */
function verified(
  rows: readonly Row[],
  version: number,
  kind: LostRow['kind'],
): { good: Row[]; lost: LostRow[] } {
  const good: Row[] = [];
  const lost: LostRow[] = [];
  for (const row of rows) {
    if (checksum(row.job, row.data, version) === row.crc) good.push(row);
    else lost.push({ job: row.job, seq: row.seq, kind });
  }
  return { good, lost };
}

/** Writes rows (with current-version checksums) into a store: a fresh one, or one upgraded in place. */
function writeRows(
  db: Database.Database,
  rows: { snapshots: Row[]; updates: Row[] },
  inPlace: boolean,
): void {
  const s = db.prepare(
    'INSERT OR REPLACE INTO snapshots (job, upto, data, crc) VALUES (?, ?, ?, ?)',
  );
  for (const r of rows.snapshots) s.run(r.job, r.seq, r.data, checksum(r.job, r.data));
  if (inPlace) {
    const u = db.prepare('UPDATE updates SET crc = ? WHERE seq = ?');
    for (const r of rows.updates) u.run(checksum(r.job, r.data), r.seq);
    return;
  }
  const u = db.prepare('INSERT INTO updates (seq, job, data, crc) VALUES (?, ?, ?, ?)');
  for (const r of rows.updates) u.run(r.seq, r.job, r.data, checksum(r.job, r.data));
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

/** Every row of a healthy store. */
function readRows(db: Database.Database, problems: string[]): { snapshots: Row[]; updates: Row[] } {
  return {
    snapshots: readAll(db, 'SELECT upto AS seq, job, data, crc FROM snapshots', problems),
    updates: readAll(db, 'SELECT seq, job, data, crc FROM updates ORDER BY seq', problems),
  };
}

/** Reads every row that can still be read, from both ends of each table. */
function salvageRows(
  path: string,
  problems: string[],
): { version: number; rows: { snapshots: Row[]; updates: Row[] } } {
  const out = { snapshots: [] as Row[], updates: [] as Row[] };
  let version = CHECKSUM_VERSION;
  let db: Database.Database | null = null;
  let copy: string | null = null;
  try {
    copy = repairedCopy(path);
    db = new Database(copy, { fileMustExist: true });
    try {
      version = Number(db.pragma('user_version', { simple: true }));
    } catch {
      // The header is the first page: if it cannot be read, neither can the rows.
    }
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
  return { version, rows: out };
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
