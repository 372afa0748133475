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
import type { ValidField } from '../../electron/fleet/index.js';
import { seededRandom } from '../../electron/time/index.js';
import { type BenchOptions, type BenchResult, type BenchSuite, round, trials } from '../harness.js';
import { executedFigures } from '../plan-executed.js';
import { refillFigures } from '../plan-refill.js';
import { loadBenchFields } from '../plan-fields.js';
import { PlanRunsFile } from '../plan-runs-file.js';
import { codeRevision, revisionLabel } from '../code-revision.js';
import { planFor, SWATH_M } from '../plan-fleets.js';
import { allocationResults, makespanRatios, timeAllocation } from '../plan-allocation-figures.js';
import {
  coverageResults,
  FOLD_SECONDS,
  QUICK_FOLD_SECONDS,
  timeCoverage,
} from '../plan-coverage-figures.js';

const REPO_DIR = join(import.meta.dirname, '..', '..');

const FLEET_SIZES = [2, 3, 5, 8, 12, 20];
/** --quick: three of the fleet sizes on every field. */
const QUICK_FLEET_SIZES = [2, 8, 20];

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

  // In this order: the seeded fleets are drawn from one sequence.
  const ratios = makespanRatios(fields, fleetSizes, rnd);
  const bigPlan = planFor(largest, 20);
  const allocation = await timeAllocation(bigPlan, allocRuns, replanRuns, rnd);
  const coverage = await timeCoverage(fields, bigPlan, foldSeconds, rnd);

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
  return [
    ...allocationResults(ratios, allocation, allocRuns, conditions),
    ...coverageResults(coverage, conditions),
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

export const suite: BenchSuite = {
  name: 'plan',
  description: 'field planning, allocation, replanning and coverage',
  run,
};
