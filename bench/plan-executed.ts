/**
 * Executed plans: the station and its simulated fleet (the composition `headland serve --sim N`
 * runs: Station, SimTractor, SimFleet, on the in-process fleet link) work a field to the end on a
 * ManualClock, and the run is held against the plan the station made at the start:
 *  - executed makespan (start command to the job's 'finished') over the planned makespan and over
 *    the allocator's lower bound (the fluid bound of the work and of the turns between and within
 *    sections, each machine after its way to the work, and the bound of contiguous runs each
 *    after the way to its first section; no refills in it);
 *  - idle share per machine: time it stands (speed below IDLE_SPEED_MPS) from the start until the
 *    job finishes, over the executed makespan;
 *  - ETA error when the job's worked fraction first reaches 25, 50 and 75%: |ETA − time actually
 *    left| / time actually left.
 * Every run stops at a cap on simulated time (a multiple of its planned makespan); a capped run
 * counts the cap as its makespan and the figures say how many were capped.
 */
import type { ImplementCapacity, LonLat } from '../shared/index.js';
import type { ValidField } from '../electron/fleet/index.js';
import { createSimulatedStation } from '../electron/runtime/index.js';
import { ManualClock } from '../electron/time/index.js';
import { type BenchResult, percentile, round } from './harness.js';

/** Simulated time one clock advance covers: the simulator's own step (sim-tractor.ts SIM_STEP_MS). */
const STEP_MS = 100;
/** How often the job's progress and ETA are read, as the operator's screen refreshes them (1 Hz). */
const PROGRESS_EVERY_MS = 1_000;
/** Below this a machine counts as standing (the simulator stops dead; this only absorbs rounding). */
const IDLE_SPEED_MPS = 0.05;
/** A run stops at this multiple of its planned makespan (plus the margin), finished or not. */
const CAP_FACTOR = 3;
const CAP_MARGIN_MS = 600_000;
/** Longest the tractors may take to introduce themselves and report before the job starts. */
const JOIN_LIMIT_MS = 10_000;
/** Points of the job (worked fraction) at which the ETA is checked. */
export const ETA_POINTS = [0.25, 0.5, 0.75] as const;

export interface ExecutedRun {
  field: string;
  tractors: number;
  plannedS: number;
  lowerBoundS: number;
  /** Start to 'finished', or the cap when `capped`. */
  executedS: number;
  capped: boolean;
  /** Worked fraction of the job when it finished (or was capped). */
  fraction: number;
  /** Per machine: standing time over the executed makespan. */
  idleShares: number[];
  /** Per ETA point reached: percent error of the job's ETA against the time actually left. */
  etaErrorPct: number[];
  /**
   * Per ETA point, in order: the signed error (+ is an ETA too long), or null where the job did
   * not reach the point or the station gave no ETA there.
   */
  etaSignedPct: (number | null)[];
  /** ETA points at which the station gave no ETA (a machine standing with work left). */
  etaMissing: number;
  /** With a refill point: trips the plan made, its own longest queue, and the longest wait run. */
  refill?: { trips: number; plannedQueueS: number; waitedS: number };
}

/** The job's refill point and the machines' tank or hopper. */
export interface RefillSetup {
  point: LonLat;
  capacity: ImplementCapacity;
}

/** Runs `count` simulated tractors on `field` from start to finish (or the cap). */
export function executeJob(field: ValidField, count: number, refill?: RefillSetup): ExecutedRun {
  const clock = new ManualClock();
  const sim = createSimulatedStation({
    clock,
    field,
    simCount: count,
    link: 'local',
    name: 'bench station',
    ...(refill ? { refill } : {}),
  });
  try {
    const { station } = sim;
    const tractors = sim.sim?.tractors ?? [];
    // The operator starts once every machine shows on the map: the plan then times each
    // machine's way from where it stands to its first section.
    const reporting = (): number =>
      station.snapshot().tractors.filter((t) => t.state !== 'joining' && t.position).length;
    for (let t = 0; t < JOIN_LIMIT_MS && reporting() < count; t += STEP_MS) clock.advance(STEP_MS);
    if (reporting() < count)
      throw new Error(`${field.geometry.name}: ${reporting()}/${count} tractors reporting`);
    const started = station.command({ type: 'startJob' }, 'bench');
    if (!started.ok)
      throw new Error(`${field.geometry.name}: start refused: ${started.error.message}`);
    const plan = station.allocation();
    if (!plan) throw new Error(`${field.geometry.name}: no allocation after the start`);
    const plannedRefills = station.refillPlan();
    const capMs = plan.makespanS * 1000 * CAP_FACTOR + CAP_MARGIN_MS;
    const startMs = clock.now();
    const idleMs = tractors.map(() => 0);
    const etaAt: { elapsedS: number; etaS: number | null }[] = [];
    let fraction = 0;
    let sinceProgressMs = 0;
    while (station.jobState() !== 'finished' && clock.now() - startMs < capMs) {
      clock.advance(STEP_MS);
      tractors.forEach((t, i) => {
        if (t.currentSpeedMps < IDLE_SPEED_MPS) idleMs[i] = (idleMs[i] ?? 0) + STEP_MS;
      });
      sinceProgressMs += STEP_MS;
      if (sinceProgressMs < PROGRESS_EVERY_MS) continue;
      sinceProgressMs = 0;
      const progress = station.snapshot().job.progress;
      fraction = progress.fraction;
      while (etaAt.length < ETA_POINTS.length && fraction >= (ETA_POINTS[etaAt.length] ?? 1))
        etaAt.push({ elapsedS: (clock.now() - startMs) / 1000, etaS: progress.etaS });
    }
    const executedS = (clock.now() - startMs) / 1000;
    const capped = station.jobState() !== 'finished';
    fraction = station.snapshot().job.progress.fraction;
    const signed = ETA_POINTS.map((_, i) => {
      const p = etaAt[i];
      if (!p || p.etaS === null || executedS <= p.elapsedS) return null;
      return ((p.etaS - (executedS - p.elapsedS)) / (executedS - p.elapsedS)) * 100;
    });
    const etaErrorPct = signed.filter((e) => e !== null).map(Math.abs);
    return {
      field: field.geometry.name,
      tractors: count,
      plannedS: plan.makespanS,
      lowerBoundS: plan.lowerBoundS,
      executedS,
      capped,
      fraction,
      idleShares: idleMs.map((ms) => ms / 1000 / executedS),
      etaErrorPct,
      etaSignedPct: signed,
      etaMissing: etaAt.filter((p) => p.etaS === null).length,
      ...(refill
        ? {
            refill: {
              trips: plannedRefills.trips.length,
              plannedQueueS: plannedRefills.queueSMax,
              waitedS: sim.sim?.refillWaitMaxS ?? 0,
            },
          }
        : {}),
    };
  } finally {
    sim.close();
  }
}

export interface ExecutedOptions {
  quick: boolean;
}

/** One run of the benchmark: a field, a fleet size, and whether the job has a refill point. */
export interface RunKey {
  field: string;
  tractors: number;
  kind: 'plain' | 'refill';
}

/**
 * Where a finished run comes from: `fresh` runs it now; a source may instead give back the same
 * run recorded by an earlier session (bench/plan-runs-file.ts).
 */
export interface RunSource {
  get(key: RunKey, fresh: () => ExecutedRun): ExecutedRun;
}

export const RUN_NOW: RunSource = { get: (_key, fresh) => fresh() };

/** Fleet sizes in the reference run and under --quick. */
export const EXECUTED_FLEETS = [2, 3, 5, 8, 12, 20];
export const QUICK_EXECUTED_FLEETS = [2, 6];
/**
 * Under --quick only the smallest field runs (its name goes in the conditions): a run steps the
 * whole job at 100 ms, so its CPU grows with the field's area.
 */
const QUICK_FIELDS = 1;

/** The fields and fleet sizes the executed figures run, in order (fewer with quick). */
export function executedJobs(
  fields: readonly ValidField[],
  options: ExecutedOptions,
): { field: ValidField; tractors: number }[] {
  const chosen = options.quick
    ? [...fields].sort((a, b) => a.areaM2 - b.areaM2).slice(0, QUICK_FIELDS)
    : fields;
  const fleets = options.quick ? QUICK_EXECUTED_FLEETS : EXECUTED_FLEETS;
  return chosen.flatMap((field) => fleets.map((tractors) => ({ field, tractors })));
}

/** The executed figures over `fields` × fleets (fewer with quick), each run from `source`. */
export function executedFigures(
  fields: readonly ValidField[],
  options: ExecutedOptions,
  source: RunSource = RUN_NOW,
): BenchResult[] {
  const runs = executedJobs(fields, options).map(({ field, tractors }) =>
    source.get({ field: field.geometry.name, tractors, kind: 'plain' }, () =>
      executeJob(field, tractors),
    ),
  );
  return executedResults(runs);
}

/** The figures, with conditions naming the fields and fleets, from finished runs. */
export function executedResults(runs: readonly ExecutedRun[]): BenchResult[] {
  const vsPlan = runs.map((r) => r.executedS / r.plannedS);
  const vsLb = runs.map((r) => r.executedS / r.lowerBoundS);
  const idle = runs.map((r) => Math.max(...r.idleShares));
  const eta = runs.flatMap((r) => r.etaErrorPct);
  const worst = (values: number[]): ExecutedRun | undefined =>
    runs[values.indexOf(Math.max(...values))];
  const conditions = {
    fields: [...new Set(runs.map((r) => r.field))].join('/'),
    fleets: [...new Set(runs.map((r) => r.tractors))].join('/'),
    runs: runs.length,
    capped: runs.filter((r) => r.capped).length,
    link: 'in-process fleet link, ManualClock',
    implementWidthM: 12,
    lowerBound:
      "fluid bound of work and the turns between and within sections, each machine after its way to the nearest section it could start at; contiguous runs each after the way to its first section; no refills (a bound of the plan's model)",
  };
  const at = (r: ExecutedRun | undefined): string => (r ? `${r.field} × ${r.tractors}` : 'none');
  // The same figures over the runs that finished, so a stuck fleet and a wrong plan read apart.
  const finished = (values: number[]): number[] => values.filter((_, i) => !runs[i]?.capped);
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  const maxOf = (values: number[]): number => Math.max(...values);
  return [
    {
      name: 'plan.executed_vs_planned_ratio_mean',
      value: round(mean(vsPlan), 4),
      unit: 'ratio',
      conditions: { ...conditions, finishedRunsOnly: round(mean(finished(vsPlan)), 4) },
    },
    {
      name: 'plan.executed_vs_planned_ratio_max',
      value: round(maxOf(vsPlan), 4),
      unit: 'ratio',
      conditions: {
        ...conditions,
        worst: at(worst(vsPlan)),
        finishedRunsOnly: round(maxOf(finished(vsPlan)), 4),
      },
    },
    {
      name: 'plan.executed_vs_lb_ratio_max',
      value: round(maxOf(vsLb), 4),
      unit: 'ratio',
      conditions: {
        ...conditions,
        worst: at(worst(vsLb)),
        finishedRunsOnly: round(maxOf(finished(vsLb)), 4),
      },
    },
    {
      name: 'plan.idle_share_max',
      value: round(maxOf(idle) * 100, 2),
      unit: '%',
      conditions: {
        ...conditions,
        worst: at(worst(idle)),
        idleBelowMps: IDLE_SPEED_MPS,
        finishedRunsOnly: round(maxOf(finished(idle)) * 100, 2),
      },
    },
    {
      name: 'plan.eta_error_pct_p95',
      value: round(percentile(eta, 95), 2),
      unit: '%',
      conditions: {
        ...conditions,
        points: ETA_POINTS.join('/'),
        samples: eta.length,
        finishedRunsOnly: round(
          percentile(
            runs.filter((r) => !r.capped).flatMap((r) => r.etaErrorPct),
            95,
          ),
          2,
        ),
        noEta: runs.reduce((s, r) => s + r.etaMissing, 0),
      },
    },
  ];
}
