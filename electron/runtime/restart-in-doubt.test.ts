/**
 * A stop in force survives the loss or damage of any single file, and a restart in doubt holds
 * every machine: the job record and the job document each keep the stops, and a damaged or
 * missing record never starts a new job.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { stampJson } from '../storage/index.js';
import { folderFleet, type FolderFleet } from './test-helpers/folder-fleet.js';

interface Fleet {
  clock: FolderFleet['clock'];
  station: FolderFleet['sim']['station'];
  sim: NonNullable<FolderFleet['sim']['sim']>;
  run(ms: number): void;
  close(): void;
  crash(): void;
}

function fleetIn(dataDir: string): Fleet {
  const fleet = folderFleet(dataDir);
  const sim = fleet.sim.sim;
  if (!sim) throw new Error('no simulated tractors');
  return {
    clock: fleet.clock,
    station: fleet.sim.station,
    sim,
    run: (ms) => fleet.run(ms),
    close: () => fleet.close(),
    crash: () => fleet.crash(),
  };
}

/**
 * A job worked for a minute, then a fleet stop; returns the folder, the stop and the work. With
 * `crash` the station dies after its record was written instead of closing (no compaction).
 */
function stoppedJob(crash = false): {
  dataDir: string;
  stopId: string;
  jobId: string;
  workedHa: number;
} {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-doubt-'));
  const fleet = fleetIn(dataDir);
  expect(fleet.station.command({ type: 'startJob' }).ok).toBe(true);
  fleet.run(60_000);
  const stop = fleet.station.command({ type: 'fleetStop' });
  fleet.run(2_000);
  const snap = fleet.station.snapshot();
  if (crash) {
    fleet.station.save();
    fleet.crash();
  } else fleet.close();
  expect(snap.job.progress.workedHa).toBeGreaterThan(0.05);
  return {
    dataDir,
    stopId: stop.ok ? (stop.stopId ?? '') : '',
    jobId: snap.job.id,
    workedHa: snap.job.progress.workedHa,
  };
}

function expectHeldAndCarriedOn(
  fleet: Fleet,
  before: { stopId: string; jobId: string; workedHa: number },
  why: RegExp,
): void {
  fleet.run(5_000);
  const snap = fleet.station.snapshot();
  expect(snap.job.id).toBe(before.jobId);
  expect(snap.stops.map((s) => s.id)).toContain(before.stopId);
  expect(snap.stops.some((s) => s.scope === 'fleet')).toBe(true);
  expect(snap.job.state).toBe('stopped');
  expect(snap.job.progress.workedHa).toBeCloseTo(before.workedHa, 2);
  const held = snap.alerts.find((a) => a.message.startsWith('Every machine is held at start'));
  expect(held?.severity).toBe('critical');
  expect(held?.message).toMatch(why);
  expect(fleet.station.command({ type: 'startJob' }).ok).toBe(false);
  fleet.run(20_000);
  expect(fleet.sim.tractors.every((t) => t.currentState === 'stopped')).toBe(true);
}

describe('a restart in doubt', () => {
  it('keeps the fleet stop and the job when the job record was truncated', () => {
    const before = stoppedJob();
    const file = join(before.dataDir, 'job.json');
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    const fleet = fleetIn(before.dataDir);
    expectHeldAndCarriedOn(fleet, before, /job record was damaged .*kept at .*job\.json\.corrupt-/);
    fleet.close();
  });

  it('keeps the fleet stop and the job when the job record was emptied or deleted', () => {
    for (const damage of ['empty', 'delete'] as const) {
      const before = stoppedJob();
      const file = join(before.dataDir, 'job.json');
      if (damage === 'empty') writeFileSync(file, '');
      else rmSync(file);
      const fleet = fleetIn(before.dataDir);
      expectHeldAndCarriedOn(
        fleet,
        before,
        damage === 'empty' ? /job record was damaged/ : /job record is missing/,
      );
      fleet.close();
    }
  });

  it('puts back a stop the document holds when the record lost it, and holds every machine', () => {
    const before = stoppedJob();
    const file = join(before.dataDir, 'job.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // A record that reads well but lost its stop (an older copy, a bad write).
    writeFileSync(file, stampJson({ ...record, stops: [] }));
    const fleet = fleetIn(before.dataDir);
    expectHeldAndCarriedOn(
      fleet,
      before,
      new RegExp(`stop ${before.stopId} is in force in the job document but not in the job record`),
    );
    fleet.close();
  });

  it('holds every machine when the audit log lost its last entries (found by its anchor)', () => {
    const before = stoppedJob();
    const file = join(before.dataDir, 'audit.log');
    const lines = readFileSync(file, 'utf8').split('\n');
    // The first two entries (of the stop and its confirmations): a chain that still verifies
    // against itself.
    writeFileSync(file, `${lines.slice(0, 2).join('\n')}\n`);
    const fleet = fleetIn(before.dataDir);
    expectHeldAndCarriedOn(
      fleet,
      before,
      /audit log does not match its anchor in the job record: the log has \d+ entries, but \d+ were anchored/,
    );
    fleet.close();
  });

  it('shows an alert and holds every machine when the audit log was repaired', () => {
    const before = stoppedJob();
    const file = join(before.dataDir, 'audit.log');
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"detail":"') + 11;
    writeFileSync(file, text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1));
    const fleet = fleetIn(before.dataDir);
    const repaired = fleet.station
      .snapshot()
      .alerts.find((a) => a.message.startsWith('Safety audit log repaired'));
    expect(repaired?.severity).toBe('critical');
    expect(repaired?.message).toMatch(
      /chain broken at line 1 .*original kept at .*audit\.log\.broken-/,
    );
    expectHeldAndCarriedOn(fleet, before, /Safety audit log repaired/);
    fleet.close();
  });

  it('comes back from a clean restart with its stop in force and no hold of its own', () => {
    const before = stoppedJob();
    const fleet = fleetIn(before.dataDir);
    fleet.run(5_000);
    const snap = fleet.station.snapshot();
    expect(snap.stops.map((s) => s.id)).toEqual([before.stopId]);
    expect(snap.alerts.some((a) => a.message.includes('held at start'))).toBe(false);
    fleet.close();
  });
});

describe('a damaged job store', () => {
  /** Flips one byte of a stored row's data (what a bad sector or a stray write does). */
  function flipRow(dataDir: string, table: 'updates' | 'snapshots'): void {
    const db = new Database(join(dataDir, 'sync.db'));
    const key = table === 'updates' ? 'seq' : 'upto';
    const rows = db.prepare(`SELECT ${key} AS k, data FROM ${table} ORDER BY ${key}`).all() as {
      k: number;
      data: Buffer;
    }[];
    const row = rows[Math.floor(rows.length / 2)];
    if (!row) throw new Error(`no row in ${table}`);
    const data = Buffer.from(row.data);
    const at = Math.floor(data.length / 2);
    data[at] = (data[at] ?? 0) ^ 0x10;
    db.prepare(`UPDATE ${table} SET data = ? WHERE ${key} = ?`).run(data, row.k);
    db.close();
  }

  for (const table of ['snapshots', 'updates'] as const) {
    it(`says what a damaged ${table === 'updates' ? 'update' : 'snapshot'} cost, rebuilds the work from the job record and holds every machine`, () => {
      // Closed, the store is one snapshot; crashed, it is the log of every update.
      const before = stoppedJob(table === 'updates');
      flipRow(before.dataDir, table);
      const fleet = fleetIn(before.dataDir);
      const lost = fleet.station
        .snapshot()
        .alerts.find((a) => a.message.startsWith('Job data lost: the job store was damaged'));
      expect(lost?.severity).toBe('critical');
      expect(lost?.message).toMatch(/failed their checksum .*kept at .*sync\.db\.corrupt-/);
      expect(lost?.message).toMatch(/ha of worked ground rebuilt from the job record/);
      expectHeldAndCarriedOn(fleet, before, /the job store was damaged/);
      fleet.close();
    });
  }
});

describe('a damaged job history', () => {
  it('is listed again from the job store, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const fleet = fleetIn(dataDir);
    expect(fleet.station.command({ type: 'startJob' }).ok).toBe(true);
    fleet.run(10_000);
    expect(fleet.station.command({ type: 'pauseJob' }).ok).toBe(true);
    const first = fleet.station.snapshot().job.id;
    const paddock = join(
      import.meta.dirname,
      '..',
      '..',
      'assets',
      'fields',
      'small-paddock.geojson',
    );
    const opened = await fleet.station.execute({
      type: 'openField',
      fileName: 'small-paddock.geojson',
      dataBase64: readFileSync(paddock).toString('base64'),
      confirmFar: true, // the paddock lies 654 km from the demo fleet
    });
    expect(opened.ok).toBe(true);
    fleet.close();
    writeFileSync(join(dataDir, 'jobs.json'), '{"version":1,"jobs":[');
    const restarted = fleetIn(dataDir);
    const snap = restarted.station.snapshot();
    expect(snap.jobs?.map((j) => j.id)).toContain(first);
    const said = snap.alerts.map((a) => a.message).join('\n');
    expect(said).toMatch(/job history unreadable .*kept at .*jobs\.json\.corrupt-/);
    expect(said).toMatch(
      new RegExp(
        `Job history rebuilt from the job store: 1 job\\(s\\) listed again \\(${first}\\)`,
      ),
    );
    expect(restarted.station.command({ type: 'reopenJob', jobId: first }).ok).toBe(true);
    restarted.close();
  });
});

describe('stop ids across restarts', () => {
  it('never issues the id of a stop the job already recorded, even with the clock set back', () => {
    const before = stoppedJob();
    const fleet = fleetIn(before.dataDir);
    const { issuedAtWallMs } = fleet.station.snapshot().stops[0] ?? { issuedAtWallMs: 0 };
    // Released once confirmed: only the job's records remember the stop's id now.
    fleet.run(5_000);
    expect(fleet.station.command({ type: 'release', stopId: before.stopId }).ok).toBe(true);
    // The restarted station's clock reads the same wall time as the first one's did.
    const epoch = Date.UTC(2026, 0, 1);
    fleet.run(issuedAtWallMs - epoch - 5_050);
    const again = fleet.station.command({ type: 'fleetStop' });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.stopId).not.toBe(before.stopId);
    expect(fleet.station.snapshot().stops.map((s) => s.id)).toContain(again.stopId);
    fleet.close();
  });

  it('never issues the id of a recorded stop by the fast path either (STOP ALL from a page)', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-doubt-'));
    const first = fleetIn(dataDir);
    expect(first.station.command({ type: 'startJob' }).ok).toBe(true);
    first.run(5_000);
    const fast = first.station.fastStop('operator');
    first.run(2_000);
    const stopId = fast.ok ? (fast.stopId ?? '') : '';
    expect(first.station.snapshot().stops.map((s) => s.id)).toEqual([stopId]);
    const { issuedAtWallMs } = first.station.snapshot().stops[0] ?? { issuedAtWallMs: 0 };
    expect(first.station.command({ type: 'release', stopId }).ok).toBe(true);
    first.run(1_000);
    first.close();

    // The restarted station's clock comes to the very millisecond of the first stop.
    const second = fleetIn(dataDir);
    second.clock.advance(issuedAtWallMs - second.clock.wallNow());
    expect(second.clock.wallNow()).toBe(issuedAtWallMs);
    const again = second.station.fastStop('operator');
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.stopId).not.toBe(stopId);
    second.run(200);
    expect(second.station.snapshot().stops.map((s) => s.id)).toEqual([again.stopId]);
    second.close();
  });
});
