/**
 * The job of the sync benchmarks (bench/suites/sync.ts): 20 tractors working their strips for
 * hours, positions at 1 Hz with RTK noise, recorded as each tractor records them (the
 * CoverageRecorder folds straight runs into segments) and applied to the station's document
 * through its update gate. The same positions can be written the naive way, as plain Y.Arrays
 * of points, for the peer of the load figure.
 */
import * as Y from 'yjs';
import { CoverageRecorder, JobDoc, type SwathSegment, UpdateGate } from '../electron/sync/index.js';
import { type SystemClock, seededRandom } from '../electron/time/index.js';

export const TRACTORS = 20;
const SPEED_MPS = 2.5;
const PASS_M = 400;
const TURN_S = 15;
const WIDTH_M = 6;
/** RTK fix noise, uniform ± this many metres. */
export const JITTER_M = 0.02;
/** The tractors' strips are 140 m apart. */
const STRIP_SPACING_M = 140;
/** Passes before a strip's pattern repeats. */
const PASSES_PER_STRIP = 23;

export interface Fleet {
  station: JobDoc;
  gate: UpdateGate;
  tractors: JobDoc[];
  updates: number;
  segments: number;
}

export interface TractorUpdate {
  readonly tractorId: string;
  readonly update: Uint8Array;
}

/** One position fix as a tractor's recorder receives it. */
export interface Fix {
  tMs: number;
  xM: number;
  yM: number;
  widthM: number;
  working: boolean;
}

export function createFleet(clock: SystemClock): Fleet {
  const tractorIds = Array.from({ length: TRACTORS }, (_, i) => `t${i + 1}`);
  const sections = tractorIds.map((id, i) => ({
    id: `s${i + 1}`,
    name: `Strip ${i + 1}`,
    polygon: [
      [
        [10 + i * 0.002, 52],
        [10 + (i + 1) * 0.002, 52],
        [10 + (i + 1) * 0.002, 52.004],
        [10 + i * 0.002, 52.004],
      ] as [number, number][],
    ],
    areaM2: 54_000,
  }));
  const station = JobDoc.create(
    {
      jobId: 'bench-job',
      name: 'Bench field',
      boundary: [
        [
          [10, 52],
          [10.04, 52],
          [10.04, 52.004],
          [10, 52.004],
          [10, 52],
        ],
      ],
      frameOrigin: [10, 52],
      sections,
      assignments: Object.fromEntries(sections.map((s, i) => [s.id, tractorIds[i] ?? 't1'])),
    },
    { actor: { role: 'station', id: 'st1' }, clock },
  );
  const gate = new UpdateGate(station.doc, clock);
  const tractors = tractorIds.map((id) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(station.doc));
    return new JobDoc({ actor: { role: 'tractor', id }, clock, doc });
  });
  return { station, gate, tractors, updates: 0, segments: 0 };
}

/**
 * Boustrophedon work in each tractor's strip, sampled at 1 Hz: every second, one fix per
 * tractor (index `tractor`). Seeded by `fromS`, so a span gives the same fixes every time.
 */
export function* fixes(
  fromS: number,
  toS: number,
  startMs: number,
): Generator<{ tractor: number; fix: Fix }> {
  const random = seededRandom(fromS + 1);
  const passS = PASS_M / SPEED_MPS + TURN_S;
  for (let s = fromS; s < toS; s++) {
    for (let i = 0; i < TRACTORS; i++) {
      const pass = Math.floor(s / passS);
      const inPass = s - pass * passS;
      const working = inPass < PASS_M / SPEED_MPS;
      const along = Math.min(PASS_M, inPass * SPEED_MPS);
      const x = pass % 2 === 0 ? along : PASS_M - along;
      const y = i * STRIP_SPACING_M + (pass % PASSES_PER_STRIP) * WIDTH_M;
      const jitter = (): number => (random.next() * 2 - 1) * JITTER_M;
      yield {
        tractor: i,
        fix: {
          tMs: startMs + s * 1000,
          xM: x + jitter(),
          yM: y + jitter(),
          widthM: WIDTH_M,
          working,
        },
      };
    }
  }
}

/** The fixes through each tractor's recorder: the segments it appends, in order. */
function* workSegments(
  fleet: Fleet,
  fromS: number,
  toS: number,
  startMs: number,
): Generator<{ tractor: JobDoc; segment: SwathSegment }> {
  const out: { tractor: JobDoc; segment: SwathSegment }[] = [];
  const recorders = fleet.tractors.map(
    (tractor) => new CoverageRecorder((segment) => out.push({ tractor, segment })),
  );
  for (const { tractor, fix } of fixes(fromS, toS, startMs)) {
    recorders[tractor]?.add(fix);
    yield* out.splice(0);
  }
  for (const r of recorders) r.flush();
  yield* out.splice(0);
}

/** Appends each segment on its tractor; returns the updates for the station's gate. */
export function work(fleet: Fleet, fromS: number, toS: number, startMs: number): TractorUpdate[] {
  const updates: TractorUpdate[] = [];
  for (const { tractor, segment } of workSegments(fleet, fromS, toS, startMs)) {
    const before = Y.encodeStateVector(tractor.doc);
    tractor.appendCoverage(tractor.actor.id, [segment]);
    updates.push({
      tractorId: tractor.actor.id,
      update: Y.encodeStateAsUpdate(tractor.doc, before),
    });
    fleet.segments++;
  }
  return updates;
}

/** Through the station's gate, as a tractor's writes arrive: decoded, authorized, applied. */
export function applyAll(
  fleet: Fleet,
  updates: readonly TractorUpdate[],
  gate: UpdateGate = fleet.gate,
): void {
  for (const { tractorId, update } of updates) {
    const r = gate.apply(update, { role: 'tractor', id: tractorId }, 'bench');
    if (!r.ok) throw new Error(`bench update rejected: ${r.rejection.detail}`);
    fleet.updates++;
  }
}

/** How often the naive tractor writes its buffered points (a transaction a minute). */
const NAIVE_FLUSH_S = 60;

/**
 * The naive schema: the same fixes as plain points, each tractor's in a Y.Array under its id,
 * written a minute at a time. What an app storing raw positions in Yjs would hold.
 */
export function naiveDoc(fromS: number, toS: number, startMs: number): Y.Doc {
  const doc = new Y.Doc();
  const coverage = doc.getMap<Y.Array<Fix>>('coverage');
  const arrays = Array.from({ length: TRACTORS }, (_, i) => {
    const a = new Y.Array<Fix>();
    coverage.set(`t${i + 1}`, a);
    return a;
  });
  const pending: Fix[][] = arrays.map(() => []);
  const flush = (): void =>
    doc.transact(() => pending.forEach((list, i) => arrays[i]?.push(list.splice(0))));
  let n = 0;
  for (const { tractor, fix } of fixes(fromS, toS, startMs)) {
    pending[tractor]?.push(fix);
    if (++n % (TRACTORS * NAIVE_FLUSH_S) === 0) flush();
  }
  flush();
  return doc;
}

/** Reads every point back out of a naive document (what a view of its coverage needs). */
export function readNaive(doc: Y.Doc): number {
  let points = 0;
  for (const a of doc.getMap<Y.Array<Fix>>('coverage').values()) points += a.toArray().length;
  return points;
}
