/**
 * The rows of an update store as they lie in the file: reading them from a healthy store or
 * salvaging what a damaged one still yields, checking each against its checksum, writing the
 * good ones into a fresh store, and moving a damaged store aside. UpdateStore's open path.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
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
import { fsyncDirectory, quarantineName } from '../storage/index.js';

export interface Row {
  seq: number;
  /** The job id; for a write-ahead run, `<job>\0<writer>` (what its checksum covers). */
  job: string;
  data: Uint8Array;
  crc: number;
}

export interface StoredRows {
  snapshots: Row[];
  updates: Row[];
  openRuns: Row[];
}

export interface LostRow {
  /** The job the row claimed (a damaged row may claim the wrong one). */
  readonly job: string;
  readonly seq: number;
  readonly kind: 'update' | 'snapshot' | 'open run';
}

/** `user_version` of a store whose checksums cover the job id and the data. */
export const CHECKSUM_VERSION = 2;

/** CRC-32 of the job id then the data (version 2); of the data alone in older stores. */
export function checksum(job: string, data: Uint8Array, version = CHECKSUM_VERSION): number {
  return version >= CHECKSUM_VERSION ? crc32(data, crc32(Buffer.from(job, 'utf8'))) : crc32(data);
}

/** What a store file holds: every row it yields, its checksum version, and whether it is damaged. */
export function examine(
  path: string,
  problems: string[],
): { damaged: boolean; version: number; rows: StoredRows } {
  let db: Database.Database | null = null;
  let damage: string | null;
  try {
    db = new Database(path, { fileMustExist: true });
    // integrity_check, not quick_check: it also proves every index entry matches its row, and
    // a job's rows are read through an index (https://www.sqlite.org/pragma.html#pragma_quick_check).
    const result = db.pragma('integrity_check(1)', { simple: true });
    damage = result === 'ok' ? null : `store ${path} failed integrity_check: ${String(result)}`;
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
export function verified(
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
export function writeRows(db: Database.Database, rows: StoredRows, inPlace: boolean): void {
  const s = db.prepare(
    'INSERT OR REPLACE INTO snapshots (job, upto, data, crc) VALUES (?, ?, ?, ?)',
  );
  for (const r of rows.snapshots) s.run(r.job, r.seq, r.data, checksum(r.job, r.data));
  const r = db.prepare(
    'INSERT OR REPLACE INTO open_runs (job, writer, data, crc) VALUES (?, ?, ?, ?)',
  );
  for (const run of rows.openRuns) {
    const [job = '', writer = ''] = run.job.split('\u0000');
    r.run(job, writer, run.data, checksum(run.job, run.data));
  }
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

/** Write-ahead runs as rows; a store from before they existed has none. */
const OPEN_RUNS_SQL = 'SELECT 0 AS seq, job || char(0) || writer AS job, data, crc FROM open_runs';

/** Every row of a healthy store. */
function readRows(db: Database.Database, problems: string[]): StoredRows {
  return {
    snapshots: readAll(db, 'SELECT upto AS seq, job, data, crc FROM snapshots', problems),
    updates: readAll(db, 'SELECT seq, job, data, crc FROM updates ORDER BY seq', problems),
    openRuns: hasTable(db, 'open_runs') ? readAll(db, OPEN_RUNS_SQL, problems) : [],
  };
}

function hasTable(db: Database.Database, name: string): boolean {
  try {
    return (
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
      undefined
    );
  } catch {
    return false;
  }
}

/** Reads every row that can still be read, from both ends of each table. */
function salvageRows(path: string, problems: string[]): { version: number; rows: StoredRows } {
  const out: StoredRows = { snapshots: [], updates: [], openRuns: [] };
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
    if (hasTable(db, 'open_runs')) out.openRuns = readAll(db, OPEN_RUNS_SQL, problems);
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
export function quarantineStore(path: string, wallMs: number): string {
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
