/**
 * Field-work benchmarks, on the real clock. Figures:
 *  - plan.makespan_ratio_mean / _max: makespan / lower bound over the nine fields in
 *    assets/fields/ (2.6–64 ha) × fleets of 2, 3, 5, 8, 12 and 20 heterogeneous tractors (seeded
 *    widths 3–12 m, speeds 1.5–3.5 m/s, efficiency 0.65–0.9). Goal mean ≤ 1.05, max ≤ 1.10.
 *  - plan.allocate_ms_p95: allocate() for 20 tractors on the largest field, 40 seeded fleets. Goal ≤ 200 ms.
 *  - plan.replan_ms_p95: a tractor is lost mid-job (about 40% worked, coverage folded): section
 *    progress from coverage plus the replan, 20 tractors on the largest field. Goal ≤ 100 ms.
 *  - plan.coverage_area_err_pct_max: unique area against exact polygon answers (tiled swaths,
 *    overlaps, holes and boundary crossings, turns, oblique passes, planned swaths on two
 *    benchmark fields). Goal ≤ 0.5%.
 *  - plan.coverage_update_ms_p99: folding one second of 20 tractors' 10 Hz coverage (200
 *    segments) into the totals, on the largest field with per-section attribution. Goal ≤ 5 ms.
 *    The simulated passes are straight, so consecutive segments fold as one rectangle;
 *    plan.coverage_update_noisy_ms_p99 repeats it with ±2 cm noise on every fix, where nothing
 *    merges (the worst case for the same goal).
 * Peers, measured in the same run on the same data, alternating with ours (bench/plan-peers.ts):
 *  - plan.coverage_update_vs_polygon_union: the same seconds folded the naive way, each second's
 *    swath pieces unioned into one worked-area polygon with polygon-clipping (p99 over p99).
 *  - plan.makespan_vs_equal_strips: our makespan over that of an equal-area strip split of the
 *    same field (one strip per tractor, whatever its capacity), mean over the timed fleets, both
 *    in work time (the strips have no turns); and
 *    plan.allocate_vs_equal_strips_ms: allocate()'s p95 over the strip split's p95.
 *  - plan.executed_vs_planned_ratio_mean / _max, plan.executed_vs_lb_ratio_max, plan.idle_share_max,
 *    plan.eta_error_pct_p95: the simulated fleet works each field to the end (bench/plan-executed.ts).
 *    Goals: mean 0.95–1.05, max ≤ 1.10; vs lower bound ≤ 1.15; idle ≤ 5%; ETA error ≤ 10%.
 *  - plan.refill_queue_s_max: the same with a refill point and hoppers that run out: the longest
 *    a machine waited at the point for another's fill, over the runs the plan staggered
 *    (bench/plan-refill.ts). Goal 0.
 * The executed and refill figures run on bus time (a ManualClock), so the machine's load does
 * not move them, and in the full run they take most of the suite's time: `BENCH_PLAN=timed`
 * leaves them out (for the real-clock figures and their peers alone), `BENCH_PLAN=executed`
 * runs only them.
 * The full executed table (54 plain runs and 12 refill runs) takes about an hour of CPU, longer
 * than a session may last on a busy machine. `BENCH_PLAN_RUNS=FILE` makes it resumable: each
 * run is appended to FILE as it ends, with a key of the code it ran (the code folders and the
 * lock file as committed, and uncommitted edits to them: bench/code-revision.ts), and the runs
 * FILE already holds for the same code are read back instead of being made again, also after a
 * commit of documentation alone (bench/plan-runs-file.ts). Run
 * `BENCH_PLAN=executed BENCH_PLAN_RUNS=FILE npx tsx bench/run.ts plan` in each session until it
 * finishes (a kill loses only the run in progress); `npx tsx bench/plan-table.ts FILE` prints the
 * table per field and fleet at any point.
 */
import { join } from 'node:path';
import {
  allocate,
  CoverageTracker,
  workRateM2PerS,
  planField,
  replan,
  sectionProgress,
  suggestSectionLengthM,
  type CoverageSegment,
  type FieldPlan,
  type TractorCapability,
  type ValidField,
} from '../../electron/fleet/index.js';
import {
  coverageCases,
  drive,
  exactAnswer,
  exactUniqueM2,
} from '../../electron/fleet/test-helpers/coverage-cases.js';
import { seededRandom, type Random } from '../../electron/time/index.js';
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  trials,
} from '../harness.js';
import { alternate, ratioResult } from '../peer.js';
import { NaiveCoverage, equalStripShares } from '../plan-peers.js';
import { executedFigures } from '../plan-executed.js';
import { refillFigures } from '../plan-refill.js';
import { loadBenchFields } from '../plan-fields.js';
import { PlanRunsFile } from '../plan-runs-file.js';
import { codeRevision, revisionLabel } from '../code-revision.js';

const REPO_DIR = join(import.meta.dirname, '..', '..');

const FLEET_SIZES = [2, 3, 5, 8, 12, 20];
/** --quick: three of the fleet sizes on every field. */
const QUICK_FLEET_SIZES = [2, 8, 20];
const SWATH_M = 6;
const WIDTHS_M = [3, 4.5, 6, 9, 12];

function fleet(n: number, rnd: Random): TractorCapability[] {
  return Array.from({ length: n }, (_, i) => ({
    tractorId: `T${String(i + 1).padStart(2, '0')}`,
    implementType: rnd.next() < 0.5 ? 'cultivator' : 'disc-harrow',
    workingWidthM: WIDTHS_M[Math.floor(rnd.next() * WIDTHS_M.length)] ?? 6,
    workingSpeedMps: 1.5 + 2 * rnd.next(),
    fieldEfficiency: 0.65 + 0.25 * rnd.next(),
  }));
}

function planFor(field: ValidField, fleetSize: number): FieldPlan {
  return planField(field, {
    swathWidthM: SWATH_M,
    headlandPasses: 2,
    maxSectionLengthM: suggestSectionLengthM(field.areaM2, SWATH_M, fleetSize),
  });
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

/** Segments of each tractor driving its assigned swaths in order at its speed, 10 Hz. */
function drivePlan(
  plan: FieldPlan,
  assignment: Map<string, string[]>,
  speeds: Map<string, number>,
  shareOfRun: number,
): Map<string, CoverageSegment[]> {
  const byId = new Map(plan.sections.map((s) => [s.id, s]));
  const out = new Map<string, CoverageSegment[]>();
  for (const [tractorId, ids] of assignment) {
    const segs: CoverageSegment[] = [];
    for (const id of ids.slice(0, Math.ceil(ids.length * shareOfRun)))
      for (const sw of byId.get(id)?.swaths ?? [])
        segs.push(...drive(tractorId, sw.start, sw.end, sw.widthM, speeds.get(tractorId) ?? 2.5));
    out.set(tractorId, segs);
  }
  return out;
}

const STRIPS_PEER =
  'equal-area strips along the work direction, one per tractor in fleet order (polygon-clipping bisection to 1 cm)';

const average = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/** The makespan of giving tractor i the i-th of `shares` of the work, in the allocator's model. */
function stripMakespanS(
  shares: readonly number[],
  workM2: number,
  tractors: readonly TractorCapability[],
): number {
  return Math.max(...tractors.map((t, i) => ((shares[i] ?? 0) * workM2) / workRateM2PerS(t)));
}

async function run(options: BenchOptions): Promise<BenchResult[]> {
  const only = process.env['BENCH_PLAN'];
  if (only === 'executed') return executedAndRefills(await loadBenchFields(), options);
  const allocRuns = trials(options, 40, 10);
  const replanRuns = trials(options, 12, 4);
  const foldSeconds = trials(options, FOLD_SECONDS, QUICK_FOLD_SECONDS);
  const fleetSizes = options.quick ? QUICK_FLEET_SIZES : FLEET_SIZES;
  const fields = await loadBenchFields();
  const rnd = seededRandom(77);
  const largest = fields.reduce((a, b) => (b.areaM2 > a.areaM2 ? b : a));

  const ratios: number[] = [];
  for (const field of fields)
    for (const n of fleetSizes) {
      const plan = planFor(field, n);
      ratios.push(
        allocate({ sections: plan.sections, tractors: fleet(n, rnd), operation: 'tillage' }).ratio,
      );
    }

  const bigPlan = planFor(largest, 20);
  const workM2 = bigPlan.sections.reduce((sum, sec) => sum + sec.areaM2, 0);
  const allocFleets = Array.from({ length: allocRuns }, () => fleet(20, rnd));
  const makespans: { ours: number; strips: number }[] = [];
  let shares: number[] = [];
  const alloc = await alternate(
    allocRuns,
    (k) => {
      const tractors = allocFleets[k] ?? [];
      const [plan, ms] = timed(() =>
        allocate({ sections: bigPlan.sections, tractors, operation: 'tillage' }),
      );
      // Work time only on both sides: the strip split has no model of turns.
      const oursS = Math.max(...plan.tractors.map((t) => t.finishS - t.travelS));
      makespans[k] = { ours: oursS, strips: makespans[k]?.strips ?? Number.NaN };
      return ms;
    },
    (k) => {
      const [s, ms] = timed(() =>
        equalStripShares(bigPlan.field, bigPlan.workDirectionDeg, allocFleets[k]?.length ?? 20),
      );
      shares = s;
      return ms;
    },
  );
  allocFleets.forEach((tractors, k) => {
    const m = makespans[k];
    if (m) m.strips = stripMakespanS(shares, workM2, tractors);
  });
  const allocMs = alloc.ours;
  const makespanRatios = makespans.map((m) => m.ours / m.strips);

  const replanMs: number[] = [];
  for (let i = 0; i < replanRuns; i++) {
    const tractors = fleet(20, rnd);
    const input = { sections: bigPlan.sections, tractors, operation: 'tillage' as const };
    const first = allocate(input);
    const tracker = new CoverageTracker({
      field: bigPlan.field,
      sections: bigPlan.sections,
      workDirectionDeg: bigPlan.workDirectionDeg,
    });
    const runs = new Map(first.tractors.map((t) => [t.tractorId, t.sectionIds]));
    const speeds = new Map(tractors.map((t) => [t.tractorId, t.workingSpeedMps]));
    for (const segs of drivePlan(bigPlan, runs, speeds, 0.4).values()) tracker.addAll(segs);
    const lost = tractors[i % tractors.length]?.tractorId ?? 'T01';
    replanMs.push(
      timed(() =>
        replan(
          { ...input, progress: sectionProgress(bigPlan.sections, tracker.summary(), first) },
          first,
          { kind: 'tractor-lost', tractorId: lost },
        ),
      )[1],
    );
  }

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

  const executedRuns = only === 'timed' ? [] : executedAndRefills(fields, options);

  const conditions = {
    fields: fields.length,
    fleets: fleetSizes.join('/'),
    swathWidthM: SWATH_M,
    lowerBound:
      'fluid bound of work and the turns between and within sections (Dubins, r 6 m, 2.5 m/s), each machine after its way to the work where positions are known (none here), contiguous runs, largest section, preload',
    largestFieldHa: round(largest.areaM2 / 1e4, 1),
    sections: bigPlan.sections.length,
  };
  const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
  return [
    {
      name: 'plan.makespan_ratio_mean',
      value: round(mean, 4),
      unit: 'ratio',
      conditions: { ...conditions, runs: ratios.length },
    },
    {
      name: 'plan.makespan_ratio_max',
      value: round(Math.max(...ratios), 4),
      unit: 'ratio',
      conditions: { ...conditions, runs: ratios.length },
    },
    {
      name: 'plan.allocate_ms_p95',
      value: round(percentile(allocMs, 95), 2),
      unit: 'ms',
      conditions: { ...conditions, tractors: 20, runs: allocMs.length },
    },
    {
      name: 'plan.makespan_vs_equal_strips',
      value: round(average(makespanRatios), 4),
      unit: 'ratio',
      conditions: {
        ...conditions,
        tractors: 20,
        fleets: makespanRatios.length,
        statistic: 'mean over the timed fleets of makespan / equal-strip makespan',
        max: round(Math.max(...makespanRatios), 4),
        min: round(Math.min(...makespanRatios), 4),
        ours_makespan_h_mean: round(average(makespans.map((m) => m.ours)) / 3600, 2),
        strips_makespan_h_mean: round(average(makespans.map((m) => m.strips)) / 3600, 2),
        strip_share_spread: round(Math.max(...shares) - Math.min(...shares), 5),
        peer_is: STRIPS_PEER,
        model: 'area / (width x speed x efficiency), as allocate() plans',
        better: 'lower',
      },
    },
    ratioResult({
      name: 'plan.allocate_vs_equal_strips_ms',
      ours: percentile(alloc.ours, 95),
      peer: percentile(alloc.peer, 95),
      unit: 'ms',
      peerName: STRIPS_PEER,
      better: 'lower',
      cpu: { oursMs: alloc.oursCpuMs, peerMs: alloc.peerCpuMs },
      conditions: {
        tractors: 20,
        runs: allocRuns,
        stat: 'p95 each',
        order: 'alternating (ABBA)',
        ...alloc.machine,
      },
    }),
    {
      name: 'plan.replan_ms_p95',
      value: round(percentile(replanMs, 95), 2),
      unit: 'ms',
      conditions: { ...conditions, tractors: 20, runs: replanMs.length, workedShare: 0.4 },
    },
    {
      name: 'plan.coverage_area_err_pct_max',
      value: round(Math.max(...errs), 4),
      unit: '%',
      conditions: { cases: errs.length, rowSpacingM: tracker.rowSpacingM },
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
    ...executedRuns,
  ];
}

/**
 * The executed and refill figures; with BENCH_PLAN_RUNS=FILE each run is recorded there as it
 * ends and runs already recorded for this code are read back (bench/plan-runs-file.ts).
 */
function executedAndRefills(fields: readonly ValidField[], options: BenchOptions): BenchResult[] {
  const file = process.env['BENCH_PLAN_RUNS'];
  if (!file) return [...executedFigures(fields, options), ...refillFigures(fields, options)];
  const revision = codeRevision(REPO_DIR);
  const source = new PlanRunsFile(file, revision);
  try {
    const results = [
      ...executedFigures(fields, options, source),
      ...refillFigures(fields, options, source),
    ];
    // Say where the runs came from: some may have been made by an earlier session.
    const from = {
      runsFile: file,
      runsReadBack: source.reused,
      code: revisionLabel(revision),
      commit: revision.commit.slice(0, 7),
    };
    return results.map((r) => ({ ...r, conditions: { ...r.conditions, ...from } }));
  } finally {
    source.close();
    process.stderr.write(
      `bench plan: ${source.reused} run(s) read back from ${file}, ${source.made} made now\n`,
    );
  }
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

const FOLD_SECONDS = 600;
const QUICK_FOLD_SECONDS = 120;
/** Seconds folded both ways for plan.coverage_update_vs_polygon_union. */
const UNION_SECONDS = 60;

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

export const suite: BenchSuite = {
  name: 'plan',
  description: 'field planning, allocation, replanning and coverage',
  run,
};
