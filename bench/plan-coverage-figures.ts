/**
 * The coverage figures of bench/suites/plan.ts: the unique area against exact polygon answers,
 * and the time to fold one second of 20 tractors' 10 Hz coverage into the totals on the largest
 * field — straight passes (the first seconds alternating with the naive polygon union of
 * bench/plan-peers.ts) and passes with ±2 cm fix noise, where nothing merges.
 */
import {
  allocate,
  CoverageTracker,
  planField,
  type CoverageSegment,
  type FieldPlan,
  type ValidField,
} from '../electron/fleet/index.js';
import {
  coverageCases,
  drive,
  exactAnswer,
  exactUniqueM2,
} from '../electron/fleet/test-helpers/coverage-cases.js';
import type { Random } from '../electron/time/index.js';
import { type BenchResult, percentile, round, timed } from './harness.js';
import { alternate, ratioResult, type Alternated } from './peer.js';
import { fleet, SWATH_M } from './plan-fleets.js';
import { NaiveCoverage } from './plan-peers.js';

/** Seconds of coverage folded in the full run, and under --quick. */
export const FOLD_SECONDS = 600;
export const QUICK_FOLD_SECONDS = 120;
/** Seconds folded both ways for plan.coverage_update_vs_polygon_union. */
const UNION_SECONDS = 60;

export interface CoverageTimings {
  /** Each case's unique-area error, %. */
  errs: number[];
  rowSpacingM: number;
  /** Every second folded on straight passes, ms; the first ones also in `folds`. */
  updateMs: number[];
  folds: Alternated<number>;
  /** The unique area after the seconds folded both ways, m². */
  workedAfterPair: number;
  naive: NaiveCoverage;
  noisyMs: number[];
}

/** The area errors, then the folds, on `bigPlan` with a fresh seeded fleet of 20. */
export async function timeCoverage(
  fields: readonly ValidField[],
  bigPlan: FieldPlan,
  foldSeconds: number,
  rnd: Random,
): Promise<CoverageTimings> {
  const errs = areaErrors(fields);
  const liveTractors = fleet(20, rnd);
  const live = allocate({
    sections: bigPlan.sections,
    tractors: liveTractors,
    operation: 'tillage',
  });
  const tracker = new CoverageTracker({
    field: bigPlan.field,
    sections: bigPlan.sections,
    workDirectionDeg: bigPlan.workDirectionDeg,
  });
  const speeds = new Map(liveTractors.map((t) => [t.tractorId, t.workingSpeedMps]));
  // Ten minutes of logs, batched per second as the station receives them; generated before the
  // timing so the measured part is the fold alone.
  const streams = live.tractors.map((t) =>
    tractorLog(bigPlan, t.tractorId, t.sectionIds, speeds.get(t.tractorId) ?? 2.5),
  );
  // The first seconds alternate with the naive union (the same in a quick and a full run, so
  // the ratio means the same in both: the union's cost grows with the worked polygon, and 600 s
  // of it would take many minutes); the rest are ours alone.
  const seconds = secondsOf(streams, foldSeconds);
  const naive = new NaiveCoverage();
  const folds = await alternate(
    Math.min(UNION_SECONDS, seconds.length),
    (k) => timed(() => tracker.addAll(seconds[k] ?? []))[1],
    (k) => timed(() => naive.addAll(seconds[k] ?? []))[1],
  );
  const workedAfterPair = tracker.totals.uniqueM2;
  const updateMs = [...folds.ours, ...timeFolds(tracker, seconds.slice(folds.ours.length))];

  // The same with RTK-like noise (±2 cm per fix): no two segments are collinear, nothing merges.
  const noisyTracker = new CoverageTracker({
    field: bigPlan.field,
    sections: bigPlan.sections,
    workDirectionDeg: bigPlan.workDirectionDeg,
  });
  const noisyStreams = live.tractors.map((t) =>
    noisy(tractorLog(bigPlan, t.tractorId, t.sectionIds, speeds.get(t.tractorId) ?? 2.5), rnd),
  );
  const noisyMs = timeFolds(noisyTracker, secondsOf(noisyStreams, foldSeconds));
  return {
    errs,
    rowSpacingM: tracker.rowSpacingM,
    updateMs,
    folds,
    workedAfterPair,
    naive,
    noisyMs,
  };
}

/** Unique area against the exact answer: the coverage cases, then planned swaths on two fields. */
function areaErrors(fields: readonly ValidField[]): number[] {
  const errs: number[] = [];
  for (const c of coverageCases()) {
    const t = new CoverageTracker({ field: c.field });
    t.addAll(c.segments);
    const exact = exactAnswer(c);
    errs.push((Math.abs(t.totals.uniqueM2 - exact) / exact) * 100);
  }
  for (const name of ['Pond field', 'Pylon field']) {
    const field = fields.find((f) => f.geometry.name === name);
    if (!field) continue;
    const plan = planField(field, {
      swathWidthM: SWATH_M,
      headlandPasses: 1,
      maxSectionLengthM: 10_000,
    });
    // Every other swath, a little wide and run past its ends: overlaps, holes and boundary crossings.
    const segs = plan.sections
      .filter((_, i) => i % 2 === 0)
      .flatMap((s) => s.swaths.map((sw) => extend(sw.start, sw.end, 8)))
      .flatMap(([a, b]) => drive('x', a, b, SWATH_M * 1.3));
    const t = new CoverageTracker({
      field: plan.field,
      sections: plan.sections,
      workDirectionDeg: plan.workDirectionDeg,
    });
    t.addAll(segs);
    const exact = exactUniqueM2(plan.field, segs);
    errs.push((Math.abs(t.totals.uniqueM2 - exact) / exact) * 100);
  }
  return errs;
}

export function coverageResults(
  timings: CoverageTimings,
  conditions: BenchResult['conditions'],
): BenchResult[] {
  const { errs, updateMs, folds, workedAfterPair, naive, noisyMs } = timings;
  return [
    {
      name: 'plan.coverage_area_err_pct_max',
      value: round(Math.max(...errs), 4),
      unit: '%',
      conditions: { cases: errs.length, rowSpacingM: timings.rowSpacingM },
    },
    {
      name: 'plan.coverage_update_ms_p99',
      value: round(percentile(updateMs, 99), 3),
      unit: 'ms',
      conditions: {
        ...conditions,
        tractors: 20,
        hz: 10,
        seconds: updateMs.length,
        path: 'straight passes',
      },
    },
    ratioResult({
      name: 'plan.coverage_update_vs_polygon_union',
      ours: percentile(folds.ours, 99),
      peer: percentile(folds.peer, 99),
      unit: 'ms',
      peerName:
        "polygon-clipping union of each second's swath rectangles into one worked-area polygon (area only: no sections, tractors or overlap)",
      better: 'lower',
      cpu: { oursMs: folds.oursCpuMs, peerMs: folds.peerCpuMs },
      conditions: {
        tractors: 20,
        hz: 10,
        seconds: folds.ours.length,
        first_seconds_only: true,
        stat: 'p99 each',
        worked_ha_ours: round(workedAfterPair / 1e4, 3),
        worked_ha_union: round(naive.areaM2 / 1e4, 3),
        union_vertices_at_end: naive.vertexCount(),
        union_failures: naive.failures,
        order: 'alternating (ABBA) by second',
        ...folds.machine,
      },
    }),
    {
      name: 'plan.coverage_update_noisy_ms_p99',
      value: round(percentile(noisyMs, 99), 3),
      unit: 'ms',
      conditions: {
        ...conditions,
        tractors: 20,
        hz: 10,
        seconds: noisyMs.length,
        path: 'passes with ±2 cm fix noise',
      },
    },
  ];
}

/** One tractor's 10 Hz coverage log while it drives its sections' swaths in order. */
function* tractorLog(
  plan: FieldPlan,
  tractorId: string,
  sectionIds: readonly string[],
  speedMps: number,
): Generator<CoverageSegment> {
  const byId = new Map(plan.sections.map((s) => [s.id, s]));
  for (const id of sectionIds)
    for (const sw of byId.get(id)?.swaths ?? [])
      yield* drive(tractorId, sw.start, sw.end, sw.widthM, speedMps);
}

/** Up to `seconds` batches of 10 entries per tractor (10 Hz). */
function secondsOf(streams: Generator<CoverageSegment>[], seconds: number): CoverageSegment[][] {
  const out: CoverageSegment[][] = [];
  for (let sec = 0; sec < seconds; sec++) {
    const batch: CoverageSegment[] = [];
    for (const stream of streams)
      for (let k = 0; k < 10; k++) {
        const next = stream.next();
        if (!next.done) batch.push(next.value);
      }
    if (batch.length === 0) break;
    out.push(batch);
  }
  return out;
}

function timeFolds(tracker: CoverageTracker, batches: readonly CoverageSegment[][]): number[] {
  const ms: number[] = [];
  for (const batch of batches) ms.push(timed(() => tracker.addAll(batch))[1]);
  return ms;
}

/** Moves every fix by up to ±2 cm, keeping consecutive segments joined. */
function* noisy(log: Generator<CoverageSegment>, rnd: Random): Generator<CoverageSegment> {
  let prevEnd: [number, number] | undefined;
  for (const s of log) {
    const end: [number, number] = [
      s.end[0] + (rnd.next() - 0.5) * 0.04,
      s.end[1] + (rnd.next() - 0.5) * 0.04,
    ];
    yield { ...s, start: prevEnd ?? s.start, end };
    prevEnd = end;
  }
}

function extend(
  a: [number, number],
  b: [number, number],
  m: number,
): [[number, number], [number, number]] {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
  const ux = (b[0] - a[0]) / len;
  const uy = (b[1] - a[1]) / len;
  return [
    [a[0] - ux * m, a[1] - uy * m],
    [b[0] + ux * m, b[1] + uy * m],
  ];
}
