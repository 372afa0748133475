import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationSnapshot } from '../../shared/index.js';
import { ManualClock } from '../time/index.js';
import { JobRecorder, type RecordableTractor } from './job-recorder.js';
import type { RecordedEvent } from './recording-format.js';
import { RecordingReader } from './recording-reader.js';
import { CHUNK_SPAN_MS, RecordingWriter } from './recording-writer.js';

const HEADER = { version: 1 as const, jobId: 'job-t', startedAtWallMs: 1_000, station: 'test' };

/** Tractor i at time t (ms): a straight line with a slowly turning heading. */
function truth(i: number, t: number) {
  return {
    lon: 10 + i * 0.001 + t * 2.5e-8,
    lat: 52 + t * 1e-8,
    headingDeg: (t / 1000 + i * 40) % 360,
    speedMps: 2.5 + i * 0.01,
  };
}

function writeTrip(path: string, tractors: number, durationMs: number): void {
  const writer = RecordingWriter.open(path, HEADER);
  for (let i = 0; i < tractors; i++)
    writer.event({
      atMs: 0,
      atWallMs: 1_000,
      type: 'tractor',
      idx: i,
      id: `t${i}`,
      name: `T${i}`,
      implementWidthM: 12,
    });
  for (let t = 0; t <= durationMs; t += 100) {
    for (let i = 0; i < tractors; i++)
      writer.sample(
        { tractorIdx: i, atMs: t, ...truth(i, t) },
        {
          state: t < durationMs / 2 ? 'working' : 'turning',
          mode: 'autonomous',
          currentSectionId: `s${Math.floor(t / 7_000)}`,
        },
      );
    if (t % 5_000 === 0)
      writer.event({
        atMs: t,
        atWallMs: 1_000 + t,
        type: 'audit',
        kind: 'estop',
        actor: 'op',
        subject: 'fleet',
        detail: `at ${t}`,
      });
  }
  writer.close();
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'headland-rec-'));
}

describe('recording round trip', () => {
  it('reads back every tractor at any time to within the 1e-7° quantum, across chunks', () => {
    const path = join(tmp(), 'job-t.hrec');
    writeTrip(path, 3, 60_000);
    const reader = RecordingReader.open(path);
    expect(reader.tornBytes).toBe(0);
    expect(reader.durationMs).toBe(60_000);
    expect(reader.chunkCount()).toBeGreaterThanOrEqual(60_000 / CHUNK_SPAN_MS);
    for (const t of [0, 4_950, 10_000, 10_049, 33_333, 59_999, 60_000]) {
      const sampleT = Math.floor(t / 100) * 100;
      const fleet = reader.fleetAt(t);
      expect(fleet.map((f) => f.declaration.id)).toEqual(['t0', 't1', 't2']);
      for (const [i, f] of fleet.entries()) {
        const want = truth(i, sampleT);
        expect(f.sample?.atMs).toBe(sampleT);
        expect(f.sample?.lon).toBeCloseTo(want.lon, 7);
        expect(f.sample?.lat).toBeCloseTo(want.lat, 7);
        expect(f.sample?.headingDeg).toBeCloseTo(want.headingDeg, 1);
        expect(f.sample?.speedMps).toBeCloseTo(want.speedMps, 2);
        expect(f.status?.state).toBe(sampleT < 30_000 ? 'working' : 'turning');
        expect(f.status?.currentSectionId).toBe(`s${Math.floor(sampleT / 7_000)}`);
      }
    }
    expect(reader.eventsOf('audit').map((e) => e.atMs)).toEqual(
      Array.from({ length: 13 }, (_, k) => k * 5_000),
    );
  });

  it('keeps everything before a torn tail and appends after it when reopened', () => {
    const path = join(tmp(), 'job-t.hrec');
    writeTrip(path, 2, 30_000);
    const whole = statSync(path).size;
    // A crash in the middle of the last write: the file ends inside a chunk.
    truncateSync(path, whole - 7);
    const torn = RecordingReader.open(path);
    expect(torn.tornBytes).toBeGreaterThan(0);
    expect(torn.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(torn.fleetAt(15_000)[1]?.sample?.lon).toBeCloseTo(truth(1, 15_000).lon, 7);
    // Garbage after the good part is a torn tail too.
    appendFileSync(path, Buffer.from('HRCK-not-a-chunk'));
    expect(RecordingReader.open(path).durationMs).toBe(torn.durationMs);

    const writer = RecordingWriter.open(path, HEADER);
    expect(writer.declared.get('t1')).toBe(1);
    writer.sample(
      { tractorIdx: 1, atMs: 40_000, lon: 11, lat: 53, headingDeg: 90, speedMps: 1 },
      { state: 'paused', mode: 'manual', currentSectionId: null },
    );
    writer.close();
    const reopened = RecordingReader.open(path);
    expect(reopened.tornBytes).toBe(0);
    expect(reopened.durationMs).toBe(40_000);
    expect(reopened.fleetAt(40_000)[1]?.sample?.lon).toBeCloseTo(11, 7);
    expect(reopened.fleetAt(40_000)[1]?.status?.mode).toBe('manual');
    expect(reopened.fleetAt(15_000)[0]?.sample?.lat).toBeCloseTo(truth(0, 15_000).lat, 7);
  });

  it('refuses a file that is not a recording', () => {
    const path = join(tmp(), 'x.hrec');
    writeFileSync(path, 'hello');
    expect(() => RecordingReader.open(path)).toThrow(/not a Headland recording/);
  });

  it('skips a damaged chunk in the middle and reads the others', () => {
    const path = join(tmp(), 'job-t.hrec');
    writeTrip(path, 1, 30_000);
    const bytes = readFileSync(path);
    const reader = RecordingReader.open(path);
    // Flip a byte in the middle of the file (inside some telemetry body).
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const damaged = RecordingReader.open(path);
    const readable = [0, 5_000, 15_000, 25_000, 30_000].filter(
      (t) => damaged.fleetAt(t)[0]?.sample !== null,
    );
    expect(readable.length).toBeGreaterThanOrEqual(3);
    expect(damaged.durationMs).toBe(reader.durationMs);
  });

  it('skips recorded events that do not match what a recorder writes', () => {
    const path = join(tmp(), 'job-t.hrec');
    const writer = RecordingWriter.open(path, HEADER);
    const bogus = [
      { atMs: 1, atWallMs: 1, type: 'plan', plan: { field: 'not a field' } },
      { atMs: 2, atWallMs: 2, type: 'tractor', idx: -4, id: 't0', name: 'T0' },
      { atMs: 3, atWallMs: 3, type: 'audit', kind: 'stop', actor: { evil: true } },
      { atMs: 4, atWallMs: 4, type: 'unheard-of' },
    ];
    for (const e of bogus) writer.event(e as unknown as RecordedEvent);
    writer.event({
      atMs: 5,
      atWallMs: 5,
      type: 'audit',
      kind: 'stop',
      actor: 'op',
      subject: 'fleet',
      detail: 'ok',
    });
    writer.close();
    const reader = RecordingReader.open(path);
    expect(reader.events.map((e) => e.atMs)).toEqual([5]);
  });

  it('thins telemetry to 1 Hz past the size limit and notes it', () => {
    const path = join(tmp(), 'job-t.hrec');
    const writer = RecordingWriter.open(path, HEADER, { thinAfterBytes: 400, maxBytes: 1e9 });
    writer.event({
      atMs: 0,
      atWallMs: 1_000,
      type: 'tractor',
      idx: 0,
      id: 't0',
      name: 'T0',
      implementWidthM: 12,
    });
    for (let t = 0; t <= 120_000; t += 100)
      writer.sample(
        { tractorIdx: 0, atMs: t, ...truth(0, t) },
        { state: 'working', mode: 'autonomous', currentSectionId: null },
      );
    writer.close();
    const reader = RecordingReader.open(path);
    expect(reader.eventsOf('limit')[0]?.detail).toMatch(/thinned to 1 Hz/);
    const late = reader.fleetAt(100_050)[0]?.sample;
    expect(late && 100_050 - late.atMs).toBeLessThanOrEqual(1_000);
    const kept = new Set<number>();
    for (let t = 100_000; t < 103_000; t += 100) kept.add(reader.fleetAt(t)[0]?.sample?.atMs ?? -1);
    expect(kept.size).toBeLessThanOrEqual(4);
    // Before the limit every sample is there.
    expect(reader.fleetAt(150)[0]?.sample?.atMs).toBe(100);
  });
});

describe('JobRecorder', () => {
  it('wants the station snapshot after a command or safety event, else once a second', () => {
    const clock = new ManualClock();
    const recorder = new JobRecorder({ dir: tmp(), clock, station: 'st' });
    const snap = demoSnapshot();
    expect(recorder.snapshotDue()).toBe(true);
    recorder.snapshot(snap);
    expect(recorder.snapshotDue()).toBe(false);
    clock.advance(500);
    expect(recorder.snapshotDue()).toBe(false);
    recorder.audit('job-s', { kind: 'stop', actor: 'op', subject: 'fleet', detail: '' });
    expect(recorder.snapshotDue()).toBe(true);
    recorder.snapshot(snap);
    clock.advance(999);
    expect(recorder.snapshotDue()).toBe(false);
    clock.advance(1);
    expect(recorder.snapshotDue()).toBe(true);
    recorder.close();
    expect(recorder.snapshotDue()).toBe(false);
  });

  it('writes one file per job and records commands with their actor', () => {
    const dir = tmp();
    const clock = new ManualClock();
    const recorder = new JobRecorder({ dir, clock, station: 'st' });
    const tractor: RecordableTractor = {
      id: 'sim-01',
      name: 'Sim 1',
      implementWidthM: 12,
      workSpeedMps: 2.5,
      position: [10, 52],
      headingDeg: 0,
      speedMps: 0,
      reportedState: 'idle',
      mode: 'autonomous',
      currentSectionId: null,
    };
    recorder.telemetry('job-a', tractor);
    clock.advance(500);
    recorder.command('job-a', { type: 'fleetStop' }, 'ana (operator)', { ok: true });
    clock.advance(500);
    recorder.telemetry('job-b', tractor);
    recorder.close();
    const a = RecordingReader.open(JobRecorder.pathOf(dir, 'job-a'));
    expect(a.eventsOf('command')[0]).toMatchObject({
      actor: 'ana (operator)',
      command: { type: 'fleetStop' },
      ok: true,
      atMs: 500,
    });
    const b = RecordingReader.open(JobRecorder.pathOf(dir, 'job-b'));
    expect(b.header.jobId).toBe('job-b');
    expect(b.fleetAt(0)[0]?.declaration.name).toBe('Sim 1');
  });
});

/** The smallest valid station snapshot of job-s. */
function demoSnapshot(): StationSnapshot {
  return {
    version: 1,
    station: { name: 'st', basemap: null, softwareVersion: 't', uptimeS: 0, seq: 0 },
    job: {
      id: 'job-s',
      name: 'job',
      state: 'running',
      progress: {
        workedHa: 0,
        overlapHa: 0,
        totalHa: 1,
        fraction: 0,
        etaS: null,
        unworkedHa: null,
      },
    },
    field: {
      name: 'f',
      rings: [
        [
          [10, 52],
          [10.001, 52],
          [10.001, 52.001],
        ],
      ],
      headlandLines: [],
      areaHa: 1,
    },
    sections: [],
    tractors: [],
    stops: [],
    alerts: [],
    zones: [],
    modeChange: null,
  };
}
