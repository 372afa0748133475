/**
 * Records benchmarks. Figures:
 *  - records.export_isoxml_ms: `headland export --format isoxml` (zip) of an 8 h × 20 tractor
 *    job, from its data folder (store copy and load, coverage count, TASKDATA with time logs,
 *    zip, write). Goal ≤ 5 s.
 *  - records.export_shapefile_ms: the same job as zipped shapefiles (field, sections, passes).
 *    Goal ≤ 5 s.
 * The job: a 2 km × 4.16 km field with a 4 ha pond (828 ha), 20 tractors each working its own
 * strip in 1 km passes at 2.5 m/s with 15 s turns, positions at 1 Hz with ±2 cm RTK noise through
 * the CoverageRecorder (as a tractor records them), appended to the job document once a minute.
 * The replay figures (recording size, open and seek of an 8 h × 20 recording) are in
 * ../records-replay.ts.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TangentFrame, type LonLat, type XY } from '../../electron/fleet/index.js';
import { exportJob, type ExportFormat, type JobRecord } from '../../electron/records/index.js';
import {
  CoverageRecorder,
  UpdateStore,
  openOrCreateJob,
  type SwathSegment,
} from '../../electron/sync/index.js';
import { ManualClock, seededRandom } from '../../electron/time/index.js';
import { type BenchResult, type BenchSuite, round } from '../harness.js';
import { replayBenchmarks } from '../records-replay.js';

const TRACTORS = 20;
const HOURS = 8;
const SPEED_MPS = 2.5;
const PASS_M = 1_000;
const TURN_S = 15;
const WIDTH_M = 6;
const JITTER_M = 0.02;
const STRIP_M = 416;
const COLUMNS = 2;
const FLUSH_S = 60;
const RUNS = 3;
const JOB_ID = 'bench-records';
const START_MS = Date.UTC(2026, 4, 1, 6);
const ORIGIN: LonLat = [10, 52];

const rect = (x0: number, y0: number, x1: number, y1: number): XY[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

interface BuiltJob {
  dataDir: string;
  segments: number;
  fieldHa: number;
}

/** Where tractor i is at second s (local metres) and whether it is working. */
function position(i: number, s: number): { x: number; y: number; working: boolean } {
  const passS = PASS_M / SPEED_MPS + TURN_S;
  const pass = Math.floor(s / passS);
  const inPass = s - pass * passS;
  const along = Math.min(PASS_M, inPass * SPEED_MPS);
  const x0 = (i % COLUMNS) * PASS_M;
  const y0 = Math.floor(i / COLUMNS) * STRIP_M;
  return {
    x: x0 + (pass % 2 === 0 ? along : PASS_M - along),
    y: y0 + WIDTH_M / 2 + pass * WIDTH_M,
    working: inPass < PASS_M / SPEED_MPS,
  };
}

function buildJob(): BuiltJob {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-records-'));
  const frame = new TangentFrame({ lon: ORIGIN[0], lat: ORIGIN[1] });
  const lonLat = (ring: XY[]): LonLat[] => ring.map((p) => frame.toLonLat(p));
  const rows = TRACTORS / COLUMNS;
  const pond = rect(900, 2000, 1100, 2200).reverse();
  const tractorIds = Array.from(
    { length: TRACTORS },
    (_, i) => `t${String(i + 1).padStart(2, '0')}`,
  );
  const sections = tractorIds.map((_, i) => {
    const x0 = (i % COLUMNS) * PASS_M;
    const y0 = Math.floor(i / COLUMNS) * STRIP_M;
    return {
      id: `s${i + 1}`,
      name: `Strip ${i + 1}`,
      polygon: [lonLat(rect(x0, y0, x0 + PASS_M, y0 + STRIP_M))],
      areaM2: PASS_M * STRIP_M,
    };
  });
  const clock = new ManualClock(0, START_MS);
  const store = UpdateStore.open(join(dataDir, 'sync.db'), { synchronous: 'NORMAL' });
  const { job, persisted } = openOrCreateJob(
    store,
    {
      jobId: JOB_ID,
      name: 'Bench 8 h × 20',
      boundary: [lonLat(rect(0, 0, COLUMNS * PASS_M, rows * STRIP_M)), lonLat(pond)],
      frameOrigin: ORIGIN,
      sections,
      assignments: Object.fromEntries(sections.map((s, i) => [s.id, tractorIds[i] ?? 't01'])),
    },
    { actor: { role: 'station', id: 'bench-station' }, clock },
  );
  const random = seededRandom(10);
  const pending: SwathSegment[][] = tractorIds.map(() => []);
  const recorders = tractorIds.map((_, i) => new CoverageRecorder((seg) => pending[i]?.push(seg)));
  let segments = 0;
  const flush = (): void =>
    pending.forEach((list, i) => {
      if (list.length === 0) return;
      job.appendCoverage(tractorIds[i] ?? '', list.splice(0));
    });
  for (let s = 0; s < HOURS * 3600; s++) {
    recorders.forEach((recorder, i) => {
      const p = position(i, s);
      const jitter = (): number => (random.next() * 2 - 1) * JITTER_M;
      recorder.add({
        tMs: START_MS + s * 1000,
        xM: p.x + jitter(),
        yM: p.y + jitter(),
        widthM: WIDTH_M,
        working: p.working,
      });
    });
    if (s % FLUSH_S === FLUSH_S - 1) {
      segments += pending.reduce((n, l) => n + l.length, 0);
      flush();
    }
  }
  for (const r of recorders) r.flush();
  segments += pending.reduce((n, l) => n + l.length, 0);
  flush();
  persisted.compact();
  persisted.detach();
  job.destroy();
  store.close();
  const record: JobRecord = {
    version: 2,
    id: JOB_ID,
    name: 'Bench 8 h × 20',
    createdAtWallMs: START_MS,
    state: 'finished',
    fieldName: 'Bench field',
    assignments: Object.fromEntries(sections.map((s, i) => [s.id, tractorIds[i] ?? 't01'])),
    passes: {},
    stops: [],
    alerts: [],
  };
  writeFileSync(join(dataDir, 'job.json'), JSON.stringify(record));
  const fieldHa = (COLUMNS * PASS_M * rows * STRIP_M - 200 * 200) / 1e4;
  return { dataDir, segments, fieldHa };
}

async function measure(built: BuiltJob, format: ExportFormat, name: string): Promise<BenchResult> {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let uniqueHa = 0;
  let overlapHa = 0;
  let passes = 0;
  for (let k = 0; k < RUNS; k++) {
    const outPath = join(built.dataDir, `export-${format}-${k}.zip`);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await exportJob({
      dataDir: built.dataDir,
      jobRef: 'latest',
      format,
      outPath,
      softwareVersion: 'bench',
    });
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    bytes = statSync(outPath).size;
    ({ uniqueHa, overlapHa, passes } = summary);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    name,
    value: round(times[Math.floor(times.length / 2)] ?? Number.NaN, 0),
    unit: 'ms',
    conditions: {
      tractors: TRACTORS,
      hours: HOURS,
      segments: built.segments,
      field_ha: round(built.fieldHa, 1),
      worked_unique_ha: round(uniqueHa, 2),
      worked_overlap_ha: round(overlapHa, 3),
      passes,
      output_bytes: bytes,
      runs: RUNS,
      statistic: 'median',
      min_ms: round(times[0] ?? Number.NaN, 0),
      max_ms: round(times[times.length - 1] ?? Number.NaN, 0),
      // This process's CPU time (median): the wall figure follows the shared machine's load.
      cpu_ms: round(cpu[Math.floor(cpu.length / 2)] ?? Number.NaN, 0),
      load_1min: round(loadavg()[0] ?? Number.NaN, 1),
      goal_ms: 5000,
    },
  };
}

export const suite: BenchSuite = {
  name: 'records',
  description: 'job export (ISOXML, shapefile) and replay of an 8 h × 20 tractor job',
  async run(): Promise<BenchResult[]> {
    const built = buildJob();
    try {
      return [
        await measure(built, 'isoxml', 'records.export_isoxml_ms'),
        await measure(built, 'shapefile', 'records.export_shapefile_ms'),
        ...replayBenchmarks(),
      ];
    } finally {
      rmSync(built.dataDir, { recursive: true, force: true });
    }
  },
};
