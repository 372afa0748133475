/**
 * Replay figures of the records suite: a recording of 8 h × 20 tractors written with
 * the station's RecordingWriter at the native 10 Hz (each tractor in its own strip, 1 km passes
 * at 2.5 m/s with 15 s turns, ±2 cm noise), with what the JobRecorder adds around it: the plan
 * once, the station's view every 10 s, the worked-ground delta of every section every 30 s, a
 * command or safety event every 5 minutes. Then:
 *  - records.recording_bytes_8h_20: its size (and per tractor-hour; goal ≤ 1 MB per tractor-hour);
 *  - records.replay_open_seek_ms: open it and build the snapshot at the middle (what
 *    `headland replay` does before it can show anything), median of 3; goal < 1000 ms;
 *  - records.replay_open_ms: the open alone; records.replay_seek_ms_p95: 50 seeks to random
 *    times on the open recording, each to a full snapshot (goal ≤ 100 ms).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JobRecorder,
  RecordingReader,
  RecordingWriter,
  ReplaySource,
  type CoverageDelta,
  type RecordedEvent,
} from '../electron/records/index.js';
import { ManualClock, seededRandom } from '../electron/time/index.js';
import { type BenchResult, percentile, round } from './harness.js';

const TRACTORS = 20;
const HOURS = 8;
const HZ = 10;
const SPEED_MPS = 2.5;
const PASS_M = 1_000;
const TURN_S = 15;
const WIDTH_M = 6;
const STRIP_M = 416;
const JITTER_M = 0.02;
const VIEW_EVERY_S = 10;
const EVENT_EVERY_S = 300;
const COVERAGE_EVERY_S = 30;
const RUNS = 3;
const SEEKS = 50;
const ORIGIN = { lon: 10, lat: 52 };
const M_PER_DEG_LAT = 111_320;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((ORIGIN.lat * Math.PI) / 180);
const JOB_ID = 'bench-replay';

function lonLat(x: number, y: number): [number, number] {
  return [ORIGIN.lon + x / M_PER_DEG_LON, ORIGIN.lat + y / M_PER_DEG_LAT];
}

/** Tractor i at second s: position (m), heading, speed, and whether it is working. */
function pose(i: number, s: number) {
  const passS = PASS_M / SPEED_MPS + TURN_S;
  const pass = Math.floor(s / passS);
  const inPass = s - pass * passS;
  const working = inPass < PASS_M / SPEED_MPS;
  const along = Math.min(PASS_M, inPass * SPEED_MPS);
  const east = pass % 2 === 0;
  return {
    x: (i % 2) * PASS_M + (east ? along : PASS_M - along),
    y: Math.floor(i / 2) * STRIP_M + WIDTH_M / 2 + pass * WIDTH_M,
    headingDeg: working ? (east ? 90 : -90) : 0,
    speedMps: working ? SPEED_MPS : 1,
    working,
  };
}

/** The delta the recorder writes for tractor i's section at second s: the pass under way. */
function worked(i: number, s: number): CoverageDelta {
  const passS = PASS_M / SPEED_MPS + TURN_S;
  const pass = Math.floor(s / passS);
  const along = Math.min(PASS_M, (s - pass * passS) * SPEED_MPS);
  const x0 = (i % 2) * PASS_M;
  const y = Math.floor(i / 2) * STRIP_M + pass * WIDTH_M;
  const [a, b] = pass % 2 === 0 ? [x0, x0 + along] : [x0 + PASS_M - along, x0 + PASS_M];
  const ring = [
    lonLat(a, y),
    lonLat(b, y),
    lonLat(b, y + WIDTH_M),
    lonLat(a, y + WIDTH_M),
    lonLat(a, y),
  ];
  return { id: `s${i + 1}`, keep: pass, add: [ring] };
}

function strip(i: number): [number, number][] {
  const x0 = (i % 2) * PASS_M;
  const y0 = Math.floor(i / 2) * STRIP_M;
  return [
    lonLat(x0, y0),
    lonLat(x0 + PASS_M, y0),
    lonLat(x0 + PASS_M, y0 + STRIP_M),
    lonLat(x0, y0 + STRIP_M),
  ];
}

function writeRecording(path: string, hours: number): void {
  const startedAtWallMs = Date.UTC(2026, 4, 1, 6);
  const writer = RecordingWriter.open(path, {
    version: 1,
    jobId: JOB_ID,
    startedAtWallMs,
    station: 'bench',
  });
  const at = (ms: number) => ({ atMs: ms, atWallMs: startedAtWallMs + ms });
  const ids = Array.from({ length: TRACTORS }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);
  ids.forEach((id, idx) =>
    writer.event({ ...at(0), type: 'tractor', idx, id, name: id, implementWidthM: WIDTH_M }),
  );
  const sections = ids.map((_, i) => ({
    id: `s${i + 1}`,
    index: i,
    polygon: strip(i),
    areaHa: 41.6,
  }));
  const outer = [
    lonLat(0, 0),
    lonLat(2 * PASS_M, 0),
    lonLat(2 * PASS_M, 10 * STRIP_M),
    lonLat(0, 10 * STRIP_M),
  ];
  writer.event({
    ...at(0),
    type: 'plan',
    plan: {
      field: { name: 'Bench', rings: [outer], headlandLines: [], areaHa: 832 },
      sections,
      zones: [],
    },
  });
  const random = seededRandom(7);
  const jitter = (): number => (random.next() * 2 - 1) * JITTER_M;
  const steps = hours * 3600 * HZ;
  for (let k = 0; k <= steps; k++) {
    const s = k / HZ;
    const ms = k * (1000 / HZ);
    for (let i = 0; i < TRACTORS; i++) {
      const p = pose(i, s);
      const [lon, lat] = lonLat(p.x + jitter(), p.y + jitter());
      writer.sample(
        { tractorIdx: i, atMs: ms, lon, lat, headingDeg: p.headingDeg, speedMps: p.speedMps },
        {
          state: p.working ? 'working' : 'turning',
          mode: 'autonomous',
          currentSectionId: `s${i + 1}`,
        },
      );
    }
    if (k % (VIEW_EVERY_S * HZ) === 0)
      writer.event({ ...at(ms), type: 'view', view: view(ids, s) });
    if (k % (COVERAGE_EVERY_S * HZ) === 0)
      writer.event({ ...at(ms), type: 'coverage', sections: ids.map((_, i) => worked(i, s)) });
    if (k % (EVENT_EVERY_S * HZ) === 0 && k > 0) {
      const event: RecordedEvent =
        (k / (EVENT_EVERY_S * HZ)) % 2 === 0
          ? {
              ...at(ms),
              type: 'command',
              actor: 'ana (operator)',
              command: { type: 'pauseJob' },
              ok: true,
              error: null,
            }
          : {
              ...at(ms),
              type: 'audit',
              kind: 'comm-lost',
              actor: 'station',
              subject: ids[k % TRACTORS] ?? '',
              detail: 'silent for 430 ms',
            };
      writer.event(event);
    }
    writer.tick(ms);
  }
  writer.close();
}

function view(ids: string[], s: number): Extract<RecordedEvent, { type: 'view' }>['view'] {
  const fraction = Math.min(1, s / (HOURS * 3600));
  return {
    job: {
      id: JOB_ID,
      name: 'Bench',
      state: 'running',
      progress: {
        workedHa: 832 * fraction,
        overlapHa: 0,
        totalHa: 832,
        fraction,
        etaS: null,
        unworkedHa: null,
      },
    },
    stops: [],
    modeChange: null,
    tractors: ids.map((id) => ({
      id,
      state: 'working',
      sectionIds: [],
      progress: fraction,
      workRateHaPerH: 4.6,
      etaS: null,
      link: { state: 'online', rttMs: 40, lossPct: 0, lastHeardAgoMs: 100 },
      stop: { status: 'none', latencyMs: null },
      hold: null,
    })),
    sections: ids.map((id, i) => ({
      id: `s${i + 1}`,
      tractorId: id,
      doneFraction: fraction,
      unworked: [],
    })),
  };
}

/** The snapshot `headland replay` shows after a seek to the middle of the recording. */
function middleSnapshot(reader: RecordingReader): ReplaySource {
  const source = new ReplaySource({ reader, clock: new ManualClock(), softwareVersion: 'bench' });
  source.seek(reader.durationMs / 2);
  if (source.snapshot().tractors.filter((t) => t.position).length !== TRACTORS)
    throw new Error('bench: the replayed snapshot lacks tractors');
  return source;
}

export interface ReplayOptions {
  /** Hours recorded (8 in the reference run). */
  hours?: number;
  runs?: number;
  seeks?: number;
}

export function replayBenchmarks(options: ReplayOptions = {}): BenchResult[] {
  const hours = options.hours ?? HOURS;
  const runs = options.runs ?? RUNS;
  const seekCount = options.seeks ?? SEEKS;
  const dir = mkdtempSync(join(tmpdir(), 'headland-bench-replay-'));
  try {
    const path = JobRecorder.pathOf(dir, JOB_ID);
    const writeStarted = performance.now();
    writeRecording(path, hours);
    const writeMs = performance.now() - writeStarted;
    const bytes = statSync(path).size;
    const openSeek: number[] = [];
    const open: number[] = [];
    for (let k = 0; k < runs; k++) {
      // One measurement per run: the open, then the seek to the middle with its snapshot.
      const t0 = performance.now();
      const reader = RecordingReader.open(path);
      open.push(performance.now() - t0);
      middleSnapshot(reader);
      openSeek.push(performance.now() - t0);
    }
    const reader = RecordingReader.open(path);
    const source = middleSnapshot(reader);
    const random = seededRandom(3);
    const seeks: number[] = [];
    for (let k = 0; k < seekCount; k++) {
      const t = random.next() * reader.durationMs;
      const t0 = performance.now();
      source.seek(t);
      source.snapshot();
      seeks.push(performance.now() - t0);
    }
    const conditions = {
      tractors: TRACTORS,
      hours,
      telemetry_hz: HZ,
      samples: TRACTORS * hours * 3600 * HZ,
      chunks: reader.chunkCount(),
      events: reader.events.length,
      write_ms: round(writeMs, 0),
    };
    const median = (v: number[]): number => round(percentile(v, 50), 1);
    return [
      { name: 'records.recording_bytes_8h_20', value: bytes, unit: 'bytes', conditions },
      {
        name: 'records.recording_bytes_per_tractor_hour',
        value: Math.round(bytes / (TRACTORS * hours)),
        unit: 'bytes',
        conditions: { ...conditions, goal_bytes: 1_000_000 },
      },
      {
        name: 'records.replay_open_seek_ms',
        value: median(openSeek),
        unit: 'ms',
        conditions: {
          ...conditions,
          runs,
          statistic: 'median',
          max_ms: round(Math.max(...openSeek), 1),
          goal_ms: 1000,
        },
      },
      {
        name: 'records.replay_open_ms',
        value: median(open),
        unit: 'ms',
        conditions: { ...conditions, runs, statistic: 'median', goal_ms: 1000 },
      },
      {
        name: 'records.replay_seek_ms_p95',
        value: round(percentile(seeks, 95), 1),
        unit: 'ms',
        conditions: { ...conditions, seeks: seekCount, statistic: 'p95', goal_ms: 100 },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
