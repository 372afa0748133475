/**
 * Refill trips as executed: the simulated fleet works a field to the end with a refill point
 * (bench/plan-executed.ts, in-process fleet link, bus time on a ManualClock) and every machine's
 * wait at the point for another's fill is measured. plan.refill_queue_s_max is the longest wait
 * over the runs whose plan staggered every trip (its own queue 0: "where the plan allowed it");
 * the conditions give the runs where it could not, and the longest wait of all.
 *
 * The hopper is sized to the field and fleet so every machine makes about TRIPS_PER_MACHINE
 * trips, and its fill takes a 2n-th of a fill's work, so the point's use leaves room to stagger
 * (the benchmark fields are small: a real 1,200 kg hopper would not run out on them).
 */
import { M2_PER_HA, type ImplementCapacity } from '../shared/index.js';
import type { ValidField } from '../electron/fleet/index.js';
import { SIM_IMPLEMENT_WIDTH_M, edgeRefillPoint } from '../electron/sim/index.js';
import { RUN_NOW, executeJob, type ExecutedRun, type RunSource } from './plan-executed.js';
import { type BenchResult, round } from './harness.js';

const TRIPS_PER_MACHINE = 2.5;
/** kg/ha of the simulated seed (any rate gives the same trips: the hopper is sized by area). */
const SEED_KG_PER_HA = 150;
/** The slowest simulated machine's working speed (sim-fleet.ts: 3.6 m/s and up). */
const SLOWEST_WORK_MPS = 3.6;
const MS_PER_MIN = 60;

export const REFILL_FLEETS = [2, 3, 5, 8];
export const QUICK_REFILL_FLEETS = [2, 6];
/** Fields run (the smallest first); quick runs only the smallest. */
const REFILL_FIELDS = 3;
const QUICK_REFILL_FIELDS = 1;

/** A hopper for about TRIPS_PER_MACHINE trips per machine of `count` on `field`. */
export function benchHopper(field: ValidField, count: number): ImplementCapacity {
  const perFillM2 = field.areaM2 / (count * (TRIPS_PER_MACHINE + 1));
  const amount = (perFillM2 / M2_PER_HA) * SEED_KG_PER_HA;
  const fillWorkS = perFillM2 / (SIM_IMPLEMENT_WIDTH_M * SLOWEST_WORK_MPS);
  const refillS = fillWorkS / (2 * count);
  return {
    kind: 'hopper',
    amount,
    ratePerHa: SEED_KG_PER_HA,
    fillPerMin: (amount / refillS) * MS_PER_MIN,
  };
}

/** The fields and fleet sizes the refill figure runs, in order (fewer with quick). */
export function refillJobs(
  fields: readonly ValidField[],
  options: { quick: boolean },
): { field: ValidField; tractors: number }[] {
  const chosen = [...fields]
    .sort((a, b) => a.areaM2 - b.areaM2)
    .slice(0, options.quick ? QUICK_REFILL_FIELDS : REFILL_FIELDS);
  const fleets = options.quick ? QUICK_REFILL_FLEETS : REFILL_FLEETS;
  return chosen.flatMap((field) => fleets.map((tractors) => ({ field, tractors })));
}

export function refillFigures(
  fields: readonly ValidField[],
  options: { quick: boolean },
  source: RunSource = RUN_NOW,
): BenchResult[] {
  const runs = refillJobs(fields, options).map(({ field, tractors }) =>
    source.get({ field: field.geometry.name, tractors, kind: 'refill' }, () =>
      executeJob(field, tractors, {
        point: edgeRefillPoint(field),
        capacity: benchHopper(field, tractors),
      }),
    ),
  );
  return refillResults(runs);
}

export function refillResults(runs: readonly ExecutedRun[]): BenchResult[] {
  const staggered = runs.filter((r) => r.refill && r.refill.plannedQueueS === 0);
  const queued = runs.filter((r) => r.refill && r.refill.plannedQueueS > 0);
  const waited = (r: ExecutedRun): number => r.refill?.waitedS ?? 0;
  const worst = (list: readonly ExecutedRun[]): ExecutedRun | undefined =>
    [...list].sort((a, b) => waited(b) - waited(a))[0];
  const at = (r: ExecutedRun | undefined): string => (r ? `${r.field} × ${r.tractors}` : 'none');
  return [
    {
      name: 'plan.refill_queue_s_max',
      value: round(Math.max(0, ...staggered.map(waited)), 1),
      unit: 's',
      conditions: {
        fields: [...new Set(runs.map((r) => r.field))].join('/'),
        fleets: [...new Set(runs.map((r) => r.tractors))].join('/'),
        runs: runs.length,
        staggeredRuns: staggered.length,
        worst: at(worst(staggered)),
        trips: runs.reduce((s, r) => s + (r.refill?.trips ?? 0), 0),
        capped: runs.filter((r) => r.capped).length,
        runsThePlanCouldNotStagger: queued.map(at).join(', ') || 'none',
        longestWaitAllRunsS: round(Math.max(0, ...runs.map(waited)), 1),
        longestPlannedQueueS: round(
          Math.max(0, ...runs.map((r) => r.refill?.plannedQueueS ?? 0)),
          1,
        ),
        executedVsPlannedMax: round(Math.max(...runs.map((r) => r.executedS / r.plannedS)), 4),
        hopper: `about ${TRIPS_PER_MACHINE} trips a machine, each fill a 2n-th of a fill's work`,
        link: 'in-process fleet link, ManualClock',
      },
    },
  ];
}
