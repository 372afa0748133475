/**
 * A data folder as `headland serve` leaves it (job.json + sync.db, and a recording naming the
 * machines), built by hand: a 400 m × 200 m field with a 20 m square hole, two sections (west and
 * east halves) and coverage logs whose exact areas are known, so exporters can be checked
 * against arithmetic.
 */
import { closedRectRing } from '../../fleet/test-helpers/fields.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TangentFrame, type LonLat, type XY } from '../../fleet/index.js';
import { UpdateStore, openOrCreateJob, type SwathSegment } from '../../sync/index.js';
import { ManualClock } from '../../time/index.js';
import { JobRecorder } from '../job-recorder.js';
import type { JobRecord } from '../job-store.js';
import { RECORDINGS_DIR } from '../recording-format.js';

export const ORIGIN: LonLat = [10.0, 52.0];
export const FRAME = new TangentFrame({ lon: ORIGIN[0], lat: ORIGIN[1] });
export const JOB_ID = 'job-test-1';
export const WIDTH_M = 6;
/** The hole: x and y from 100 to 120 m. */
export const HOLE_M2 = 400;
/** Wall time the job's work starts (coverage times are offsets from it). */
export const WORK_START_MS = Date.UTC(2026, 4, 1, 8);
/** What the machines were called on the operator screen (their recorded names). */
export const TRACTOR_NAMES: Readonly<Record<string, string>> = { t1: 'Tractor 1', t2: 'Tractor 2' };

const lonLat = (ring: XY[]): LonLat[] => ring.map((p) => FRAME.toLonLat(p));
const rect = closedRectRing;

export const FIELD_LOCAL: XY[][] = [rect(0, 0, 400, 200), rect(100, 100, 120, 120).reverse()];

/** One pass along x at height y (local metres), from x0 to x1, as 10 m logged segments, starting t0Ms after WORK_START_MS. */
export function lane(y: number, x0: number, x1: number, t0Ms: number): SwathSegment[] {
  const out: SwathSegment[] = [];
  const dir = Math.sign(x1 - x0);
  for (let x = x0, k = 0; dir * (x1 - x) > 1e-9; k++) {
    const next = dir > 0 ? Math.min(x1, x + 10) : Math.max(x1, x - 10);
    out.push({
      tMs: WORK_START_MS + t0Ms + k * 4_000,
      durationMs: 4_000,
      x0M: x,
      y0M: y,
      x1M: next,
      y1M: y,
      widthM: WIDTH_M,
    });
    x = next;
  }
  return out;
}

export interface BuiltJob {
  dataDir: string;
  jobId: string;
  coverage: Record<string, SwathSegment[]>;
}

/**
 * Writes the test job into `dataDir`: t1 works the west half in lanes, t2 the east half, and t2
 * drives one extra lane over t1's ground (its overlap).
 */
export function buildJobFolder(
  dataDir: string,
  coverage: Record<string, SwathSegment[]>,
  options: {
    state?: JobRecord['state'];
    writeRecord?: boolean;
    /** The machines the job's recording names (TRACTOR_NAMES unless given; {} writes none). */
    names?: Readonly<Record<string, string>>;
    /** The record's refill stops, as stored (none: a record written before stops were kept). */
    refillStops?: unknown[];
  } = {},
): BuiltJob {
  const clock = new ManualClock(0, Date.UTC(2026, 4, 1, 8));
  const store = UpdateStore.open(join(dataDir, 'sync.db'), { synchronous: 'NORMAL' });
  const { job, persisted } = openOrCreateJob(
    store,
    {
      jobId: JOB_ID,
      name: 'Test job',
      boundary: FIELD_LOCAL.map(lonLat),
      frameOrigin: ORIGIN,
      sections: [
        {
          id: 'S1',
          name: 'west',
          polygon: [lonLat(rect(0, 0, 200, 200))],
          areaM2: 40_000 - HOLE_M2,
        },
        { id: 'S2', name: 'east', polygon: [lonLat(rect(200, 0, 400, 200))], areaM2: 40_000 },
      ],
      assignments: { S1: 't1', S2: 't2' },
    },
    { actor: { role: 'station', id: 'st1' }, clock },
  );
  for (const [tractorId, segments] of Object.entries(coverage))
    job.appendCoverage(tractorId, segments);
  persisted.detach();
  job.destroy();
  store.close();
  if (options.writeRecord !== false) {
    const record: JobRecord = {
      version: 2,
      id: JOB_ID,
      name: 'Test job',
      createdAtWallMs: Date.UTC(2026, 4, 1, 8),
      state: options.state ?? 'paused',
      fieldName: 'Test field',
      assignments: { S1: 't1', S2: 't2' },
      passes: {},
      stops: [],
      alerts: [],
      ...(options.refillStops ? { refillStops: options.refillStops } : {}),
    };
    writeFileSync(join(dataDir, 'job.json'), JSON.stringify(record));
  }
  recordNames(dataDir, options.names ?? TRACTOR_NAMES);
  return { dataDir, jobId: JOB_ID, coverage };
}

/** A recording in which each machine introduced itself by name, as the station's recorder writes one. */
function recordNames(dataDir: string, names: Readonly<Record<string, string>>): void {
  if (Object.keys(names).length === 0) return;
  const clock = new ManualClock(0, WORK_START_MS);
  const recorder = new JobRecorder({ dir: join(dataDir, RECORDINGS_DIR), clock, station: 'test' });
  for (const [id, name] of Object.entries(names))
    recorder.telemetry(JOB_ID, {
      id,
      name,
      implementWidthM: WIDTH_M,
      workSpeedMps: 3,
      position: ORIGIN,
      headingDeg: 0,
      speedMps: 0,
      reportedState: 'working',
      mode: 'autonomous',
      currentSectionId: null,
    });
  recorder.close();
}

/** The standard coverage: expected unique and overlap areas are given with it. */
export function standardCoverage(): {
  coverage: Record<string, SwathSegment[]>;
  uniqueM2: number;
  overlapM2: number;
} {
  const t1: SwathSegment[] = [];
  const t2: SwathSegment[] = [];
  // t1: 5 lanes y = 3..27 over x 0..200 (west), t = 0..; no hole crossing.
  for (let i = 0; i < 5; i++)
    t1.push(...lane(3 + i * WIDTH_M, i % 2 === 0 ? 0 : 200, i % 2 === 0 ? 200 : 0, i * 100_000));
  // t1: one lane across the hole (y 107..113 lies inside the hole's 100..120): it loses 20 m × 6 m.
  t1.push(...lane(110, 0, 200, 600_000));
  // t2: 4 lanes in the east, then one lane back over t1's first lane (overlap 200 × 6).
  for (let i = 0; i < 4; i++) t2.push(...lane(3 + i * WIDTH_M, 200, 400, 50_000 + i * 100_000));
  t2.push(...lane(3, 200, 0, 900_000));
  const lanes = 5 * 200 * WIDTH_M + (200 * WIDTH_M - 20 * WIDTH_M) + 4 * 200 * WIDTH_M;
  return { coverage: { t1, t2 }, uniqueM2: lanes, overlapM2: 200 * WIDTH_M };
}
