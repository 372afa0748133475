/**
 * The allocation figures of bench/suites/plan.ts: makespan over lower bound on every bench field
 * and fleet size; allocate() for 20 tractors on the largest field, timed alternating with its
 * peer, an equal-area strip split (bench/plan-peers.ts), and its makespan against the strips';
 * and the replan after a tractor is lost mid-job.
 */
import {
  allocate,
  CoverageTracker,
  replan,
  sectionProgress,
  workRateM2PerS,
  type CoverageSegment,
  type FieldPlan,
  type TractorCapability,
  type ValidField,
} from '../electron/fleet/index.js';
import { drive } from '../electron/fleet/test-helpers/coverage-cases.js';
import type { Random } from '../electron/time/index.js';
import { type BenchResult, percentile, round, timed } from './harness.js';
import { alternate, ratioResult, type Alternated } from './peer.js';
import { fleet, planFor } from './plan-fleets.js';
import { equalStripShares } from './plan-peers.js';

const STRIPS_PEER =
  'equal-area strips along the work direction, one per tractor in fleet order (polygon-clipping bisection to 1 cm)';

const average = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/** The timings on the largest field, and the makespans of both splits. */
export interface AllocationTimings {
  alloc: Alternated<number>;
  makespans: { ours: number; strips: number }[];
  shares: number[];
  replanMs: number[];
}

/** Makespan / lower bound on every field with every fleet size, a seeded fleet each. */
export function makespanRatios(
  fields: readonly ValidField[],
  fleetSizes: readonly number[],
  rnd: Random,
): number[] {
  const ratios: number[] = [];
  for (const field of fields)
    for (const n of fleetSizes) {
      const plan = planFor(field, n);
      ratios.push(
        allocate({ sections: plan.sections, tractors: fleet(n, rnd), operation: 'tillage' }).ratio,
      );
    }
  return ratios;
}

/** allocate() alternating with the strip split, then replans, 20 tractors on `bigPlan`. */
export async function timeAllocation(
  bigPlan: FieldPlan,
  allocRuns: number,
  replanRuns: number,
  rnd: Random,
): Promise<AllocationTimings> {
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
  return { alloc, makespans, shares, replanMs: timeReplans(bigPlan, replanRuns, rnd) };
}

/** A tractor lost with about 40% of the work done: section progress from coverage, then the replan. */
function timeReplans(bigPlan: FieldPlan, replanRuns: number, rnd: Random): number[] {
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
  return replanMs;
}

export function allocationResults(
  ratios: readonly number[],
  timings: AllocationTimings,
  allocRuns: number,
  conditions: BenchResult['conditions'],
): BenchResult[] {
  const { alloc, makespans, shares, replanMs } = timings;
  const allocMs = alloc.ours;
  const makespanRatios = makespans.map((m) => m.ours / m.strips);
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
  ];
}

/** The makespan of giving tractor i the i-th of `shares` of the work, in the allocator's model. */
function stripMakespanS(
  shares: readonly number[],
  workM2: number,
  tractors: readonly TractorCapability[],
): number {
  return Math.max(...tractors.map((t, i) => ((shares[i] ?? 0) * workM2) / workRateM2PerS(t)));
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
