import { spawn } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../time/index.js';
import { JobDoc } from './job-doc.js';
import { openOrCreateJob, openPersistedJob } from './job-persistence.js';
import { UpdateStore } from './update-store.js';
import { createStationJob, sampleJobInit, segment, station } from './test-helpers/builders.js';

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'headland-sync-')), 'store.db');

function writeJob(path: string, updates: number): Uint8Array {
  const store = UpdateStore.open(path);
  const p = openPersistedJob(store, 'job-1', { compactEvery: 1_000_000 });
  const job = JobDoc.create(
    {
      jobId: 'job-1',
      name: 'n',
      boundary: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ],
      frameOrigin: [0, 0],
      sections: [],
    },
    { actor: { role: 'station', id: 'st1' }, clock: new ManualClock(), doc: p.doc },
  );
  for (let i = 0; i < updates; i++) job.appendCoverage('t1', [segment(i, i)]);
  const state = Y.encodeStateAsUpdate(job.doc);
  store.close();
  return state;
}

describe('UpdateStore', () => {
  it('restores a job from its log and after compaction, without re-logging the replay', () => {
    const path = tmp();
    const store = UpdateStore.open(path);
    const p = openPersistedJob(store, 'job-1', { compactEvery: 7 });
    const job = createStationJob(new ManualClock());
    Y.applyUpdate(p.doc, Y.encodeStateAsUpdate(job.doc));
    const live = new JobDoc({
      actor: { role: 'station', id: 'st1' },
      clock: new ManualClock(),
      doc: p.doc,
    });
    for (let i = 0; i < 20; i++) live.appendCoverage('t1', [segment(i, i)]);
    expect(store.updateCount('job-1')).toBeLessThan(7);
    store.close();
    const again = UpdateStore.open(path);
    const { doc, report } = again.load('job-1');
    expect(report).toMatchObject({ snapshot: true, corruptRows: 0, pendingAfterLoad: false });
    expect(
      new JobDoc({ actor: { role: 'station', id: 'x' }, clock: new ManualClock(), doc }).coverage(
        't1',
      ),
    ).toHaveLength(20);
    expect(again.jobs()).toEqual(['job-1']);
    const reopened = openPersistedJob(again, 'job-1');
    expect(again.updateCount('job-1')).toBe(report.updatesReplayed);
    reopened.detach();
    again.close();
  });

  it('checks every row on open: a damaged row moves the store aside and is named, the rest kept', () => {
    const path = tmp();
    writeJob(path, 10);
    const db = new Database(path);
    const last = (db.prepare('SELECT MAX(seq) AS m FROM updates').get() as { m: number }).m;
    db.prepare('UPDATE updates SET data = ? WHERE seq = ?').run(Buffer.from([1, 2, 3]), last);
    db.close();
    const store = UpdateStore.open(path, { wallNow: () => 7 });
    expect(store.openReport).toMatchObject({
      corrupt: true,
      quarantinedTo: `${path}.corrupt-7`,
      lost: [{ job: 'job-1', seq: last, kind: 'update' }],
    });
    expect(store.openReport.problems.join()).toMatch(/1 row\(s\) failed their checksum/);
    const { doc, report } = store.load('job-1');
    expect(report.corruptRows).toBe(0);
    expect(
      new JobDoc({ actor: { role: 'station', id: 'x' }, clock: new ManualClock(), doc }).coverage(
        't1',
      ),
    ).toHaveLength(9);
    store.close();
    // The fresh store verifies as a whole on the next open.
    const again = UpdateStore.open(path);
    expect(again.openReport.corrupt).toBe(false);
    again.close();
  });

  it('finds a row whose job id was flipped to another job', () => {
    const path = tmp();
    writeJob(path, 10);
    const db = new Database(path);
    const last = (db.prepare('SELECT MAX(seq) AS m FROM updates').get() as { m: number }).m;
    db.prepare('UPDATE updates SET job = ? WHERE seq = ?').run('job-0', last);
    db.close();
    const store = UpdateStore.open(path, { wallNow: () => 8 });
    expect(store.openReport.lost).toEqual([{ job: 'job-0', seq: last, kind: 'update' }]);
    expect(store.jobs()).toEqual(['job-1']);
    store.close();
  });

  it('upgrades a store whose checksums cover the data only, keeping every row', () => {
    const path = tmp();
    writeJob(path, 5);
    const db = new Database(path);
    for (const row of db.prepare('SELECT seq, data FROM updates').all() as {
      seq: number;
      data: Buffer;
    }[])
      db.prepare('UPDATE updates SET crc = ? WHERE seq = ?').run(crc32(row.data), row.seq);
    db.pragma('user_version = 0');
    db.close();
    const store = UpdateStore.open(path);
    expect(store.openReport).toMatchObject({ corrupt: false, lost: [] });
    expect(store.load('job-1').report.corruptRows).toBe(0);
    store.close();
    expect(UpdateStore.open(path).openReport.corrupt).toBe(false);
  });

  it('quarantines a truncated store, reports it and keeps the intact rows', () => {
    const path = tmp();
    writeJob(path, 400);
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size * 0.6));
    const store = UpdateStore.open(path, { wallNow: () => 42 });
    expect(store.openReport.corrupt).toBe(true);
    expect(store.openReport.quarantinedTo).toBe(`${path}.corrupt-42`);
    expect(store.openReport.salvagedRows).toBeGreaterThan(10);
    const { doc, report } = store.load('job-1');
    const kept = new JobDoc({
      actor: { role: 'station', id: 'x' },
      clock: new ManualClock(),
      doc,
    }).coverage('t1');
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(400);
    // What was kept is a prefix of what was written, or reported as not appliable.
    expect(report.pendingAfterLoad || kept.every((s, i) => s.tMs === i)).toBe(true);
    store.close();
  });

  it('quarantines a file that is not a database at all', () => {
    const path = tmp();
    writeJob(path, 3);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    const store = UpdateStore.open(path, { wallNow: () => 1 });
    expect(store.openReport.corrupt).toBe(true);
    expect(readFileSync(`${path}.corrupt-1`).length).toBeGreaterThan(0);
    expect(store.jobs()).toEqual([]);
    store.close();
  });

  it('loses no acknowledged update when the writer is killed -9 at random moments', async () => {
    const path = tmp();
    const writer = fileURLToPath(new URL('./test-helpers/crash-writer.ts', import.meta.url));
    const random = seededRandom(6);
    let acked = -1;
    for (let round = 0; round < 4; round++) {
      const killAfterAcks = 20 + Math.floor(random.next() * 200);
      acked = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', writer, path, '13'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let last = acked;
        let seen = 0;
        let buffer = '';
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            const [kind, n] = line.split(' ');
            if (kind === 'ready') expect(Number(n)).toBe(last + 1);
            if (kind === 'ack') {
              last = Number(n);
              if (++seen === killAfterAcks) child.kill('SIGKILL');
            }
          }
        });
        child.on('exit', (_code, signal) =>
          signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer exited: ${stderr}`)),
        );
      });
      const store = UpdateStore.open(path);
      expect(store.openReport.corrupt).toBe(false);
      const { doc, report } = store.load('job-crash');
      expect(report.corruptRows).toBe(0);
      const times = new JobDoc({
        actor: { role: 'station', id: 'x' },
        clock: new ManualClock(),
        doc,
      })
        .coverage('t1')
        .map((s) => s.tMs);
      // Every acknowledged update is there (an unacknowledged last one may be too).
      expect(times.length).toBeGreaterThanOrEqual(acked + 1);
      expect(times.slice(0, acked + 1)).toEqual(Array.from({ length: acked + 1 }, (_, i) => i));
      acked = times.length - 1;
      store.close();
    }
  }, 60_000);
});

describe('openOrCreateJob', () => {
  it('creates the job once and reopens it intact after a restart', () => {
    const path = tmp();
    const clock = new ManualClock();
    const first = UpdateStore.open(path);
    const opened = openOrCreateJob(first, sampleJobInit(), { actor: station(), clock });
    expect(opened.created).toBe(true);
    opened.job.assign('s2', 't1', 'before restart');
    opened.job.setJobMode('running', 'go');
    const snap = opened.job.snapshot();
    first.close();
    const second = UpdateStore.open(path);
    const again = openOrCreateJob(second, sampleJobInit(), { actor: station(), clock });
    expect(again.created).toBe(false);
    expect(again.job.snapshot()).toEqual(snap);
    second.close();
  });
});
