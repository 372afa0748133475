/**
 * A long job written straight into a data folder's `sync.db`, as a station that ran it would
 * have left it: 20 tractors, each working its own strip of a 2 km × 4.16 km field with a 4 ha
 * pond (828 ha) up and down 1 km passes at 2.5 m/s with 15 s turns, the coverage recorded
 * at 1 Hz with 2 cm of jitter and flushed every minute. What the export and replay benchmarks
 * and the busy-station tests export (an 8 h × 20 job is the one operators reported).
 */
import { closedRectRing } from '../../fleet/test-helpers/fields.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TangentFrame, type LonLat, type XY } from '../../fleet/index.js';
import {
  CoverageRecorder,
  openOrCreateJob,
  UpdateStore,
  type SwathSegment,
} from '../../sync/index.js';
import { ManualClock, seededRandom } from '../../time/index.js';
import type { JobRecord } from '../job-store.js';

export const LONG_JOB_TRACTORS = 20;
export const LONG_JOB_WIDTH_M = 6;
const SPEED_MPS = 2.5;
const PASS_M = 1_000;
const TURN_S = 15;
const JITTER_M = 0.02;
const STRIP_M = 416;
const COLUMNS = 2;
const FLUSH_S = 60;
const START_MS = Date.UTC(2026, 4, 1, 6);
const ORIGIN: LonLat = [10, 52];

export interface LongJob {
  jobId: string;
  hours: number;
  segments: number;
  fieldHa: number;
}

export interface LongJobOptions {
  hours: number;
  jobId?: string;
  /**
   * Also write `job.json` naming it the station's job (finished), as after a restart; without
   * it the job is only in the store, like an older job the station has moved on from.
   */
  asStationJob?: boolean;
}

const rect = closedRectRing;

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
    y: y0 + LONG_JOB_WIDTH_M / 2 + pass * LONG_JOB_WIDTH_M,
    working: inPass < PASS_M / SPEED_MPS,
  };
}

/** Writes the job into `<dataDir>/sync.db` (created if missing). */
export function writeLongJob(dataDir: string, options: LongJobOptions): LongJob {
  const jobId = options.jobId ?? 'long-job';
  const name = `Long job ${options.hours} h × ${LONG_JOB_TRACTORS}`;
  const frame = new TangentFrame({ lon: ORIGIN[0], lat: ORIGIN[1] });
  const lonLat = (ring: XY[]): LonLat[] => ring.map((p) => frame.toLonLat(p));
  const rows = LONG_JOB_TRACTORS / COLUMNS;
  const pond = rect(900, 2000, 1100, 2200).reverse();
  const tractorIds = Array.from(
    { length: LONG_JOB_TRACTORS },
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
  const assignments = Object.fromEntries(sections.map((s, i) => [s.id, tractorIds[i] ?? 't01']));
  const clock = new ManualClock(0, START_MS);
  const store = UpdateStore.open(join(dataDir, 'sync.db'), { synchronous: 'NORMAL' });
  const { job, persisted } = openOrCreateJob(
    store,
    {
      jobId,
      name,
      boundary: [lonLat(rect(0, 0, COLUMNS * PASS_M, rows * STRIP_M)), lonLat(pond)],
      frameOrigin: ORIGIN,
      sections,
      assignments,
    },
    { actor: { role: 'station', id: 'test-station' }, clock },
  );
  const random = seededRandom(10);
  const pending: SwathSegment[][] = tractorIds.map(() => []);
  const recorders = tractorIds.map((_, i) => new CoverageRecorder((seg) => pending[i]?.push(seg)));
  let segments = 0;
  const flush = (): void =>
    pending.forEach((list, i) => {
      segments += list.length;
      if (list.length > 0) job.appendCoverage(tractorIds[i] ?? '', list.splice(0));
    });
  for (let s = 0; s < options.hours * 3600; s++) {
    recorders.forEach((recorder, i) => {
      const p = position(i, s);
      const jitter = (): number => (random.next() * 2 - 1) * JITTER_M;
      recorder.add({
        tMs: START_MS + s * 1000,
        xM: p.x + jitter(),
        yM: p.y + jitter(),
        widthM: LONG_JOB_WIDTH_M,
        working: p.working,
      });
    });
    if (s % FLUSH_S === FLUSH_S - 1) flush();
  }
  for (const r of recorders) r.flush();
  flush();
  persisted.compact();
  persisted.detach();
  job.destroy();
  store.close();
  if (options.asStationJob) {
    const record: JobRecord = {
      version: 2,
      id: jobId,
      name,
      createdAtWallMs: START_MS,
      state: 'finished',
      fieldName: 'Long job field',
      assignments,
      passes: {},
      stops: [],
      alerts: [],
    };
    writeFileSync(join(dataDir, 'job.json'), JSON.stringify(record));
  }
  const fieldHa = (COLUMNS * PASS_M * rows * STRIP_M - 200 * 200) / 1e4;
  return { jobId, hours: options.hours, segments, fieldHa };
}
