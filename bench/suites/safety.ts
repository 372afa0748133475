/**
 * Safety benchmarks: 20 simulated tractors and the station on one 250 kbit/s virtual
 * CAN bus, composed as `headland serve --sim 20` does, on the real clock; trials run back to
 * back, each stop released before the next. Figures:
 *  - safety.estop_all_confirmed_p99_ms.loss0 / .loss10: `fleetStop` command to the last of the
 *    20 confirmations, as the station records it, at 0% and 10% random frame loss (every
 *    receiver draws on its own). Goals ≤ 20 ms and ≤ 50 ms.
 *  - safety.heartbeat_loss_stop_ms_max: every tractor's radio cut at a random phase; the last
 *    station heartbeat a tractor heard → its safe stop. Goal ≤ 500 ms.
 *  - safety.comm_lost_shown_ms_max: same cuts; the last frame the station's link heard from a
 *    tractor → COMM LOST raised in the station. Goal ≤ 500 ms.
 *  - safety.false_stops_per_hour: tractors that stop by themselves in one simulated hour at 10%
 *    random loss with heartbeats only (ManualClock, bench/safety-hour.ts). Goal 0.
 *  - safety.estop_p99_real_vs_bus_time.loss0 / .loss10: the e-stop p99 above over the p99 of
 *    the same trials with the whole system on a ManualClock stepped a millisecond at a time
 *    (bus time: wire time, timers and protocol, no CPU) — the code's own floor. This ratio is
 *    not load-proof by design: it is how much the machine (load, scheduling, this code's CPU
 *    time) adds to what the protocol needs, so it grows with the load beside it.
 *  - safety.workflow_sequences / safety.workflow_violations: the model-based test of stop,
 *    release and resume with more sequences than CI runs (bench/safety-workflow.ts). Goals
 *    ≥ 2,000 and 0. BENCH_SAFETY=workflow runs only these; BENCH_WORKFLOW_SEQUENCES sets the
 *    count. These count sequences, not time: no peer.
 *  - safety.heartbeat_gap_max_ms.station_busy, safety.estop_all_confirmed_p99_ms.station_busy,
 *    safety.false_stops.station_busy: the same fleet while the station's main thread is kept
 *    busy, the safety core in its own process (bench/safety-busy.ts). Goals ≤ 50 ms, ≤ 20 ms, 0.
 *    BENCH_SAFETY=busy runs only these; BENCH_BUSY_TRIALS sets the trials per load and
 *    BENCH_BUSY_LOADS which loads (block,drags,exports).
 * --quick runs fewer trials of each (named in the conditions), half a simulated minute for the
 * false-stop figure, ten workflow sequences in this process, and the busy station with shorter
 * warm-up and settle windows (`warmupS`, `settleS`).
 */
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  startPhase,
  trials,
} from '../harness.js';
import { ratioResult } from '../peer.js';
import {
  BUSY_TRIALS_PER_LOAD,
  FULL_BUSY_WINDOWS,
  QUICK_BUSY_WINDOWS,
  busyFigures,
} from '../safety-busy.js';
import { falseStopHour } from '../safety-hour.js';
import { WORKFLOW_BENCH_SEQUENCES, workflowFigures } from '../safety-workflow.js';
import { TRACTORS, estopTrials, silenceTrials, workingFleet } from '../safety-trials.js';

const ESTOP_TRIALS = 1_000;
/** --quick: a p99 of 20 trials is their maximum either way. */
const QUICK_ESTOP_TRIALS = 20;
/** Bus-time trials are deterministic but cost CPU per simulated millisecond. */
const BUS_TIME_TRIALS = 300;
const QUICK_BUS_TIME_TRIALS = 20;
/** Each cut gives one sample per tractor: 50 cuts × 20 tractors = 1000 trials. */
const CUTS = 50;
/** --quick: 2 cuts × 20 tractors = 40 samples (each cut waits for the stops and the recovery). */
const QUICK_CUTS = 2;
/** Half a simulated minute: a smoke run of the heartbeat under loss (5 minutes cost ~20 s CPU). */
const QUICK_HOUR_MS = 30_000;
/** A smoke run, not evidence: in the benchmark's own process (bench/safety-workflow.ts). */
const QUICK_WORKFLOW_SEQUENCES = 10;
const LOSSES_PCT = [0, 10] as const;
const HOUR_MS = 3_600_000;
const BITRATE = 250_000;

/**
 * The same e-stop trials in bus time, right after the real-clock ones, and the ratio of the
 * real p99 to the bus-time p99 at each loss.
 */
async function busTimeRatios(
  options: BenchOptions,
  realP99: ReadonlyMap<number, number>,
  realTrials: number,
): Promise<BenchResult[]> {
  const count = trials(options, BUS_TIME_TRIALS, QUICK_BUS_TIME_TRIALS);
  const setup = startPhase('safety', 'bus-time fleet working');
  const w = await workingFleet('bus time');
  const setupWallS = setup();
  const out: BenchResult[] = [];
  try {
    for (const loss of LOSSES_PCT) {
      const wall0 = performance.now();
      const phase = startPhase('safety', `bus-time e-stops at ${loss}% loss`);
      const { latencies } = await estopTrials(w, count, loss / 100);
      phase();
      out.push(
        ratioResult({
          name: `safety.estop_p99_real_vs_bus_time.loss${loss}`,
          ours: realP99.get(loss) ?? Number.NaN,
          peer: percentile(latencies, 99),
          unit: 'ms',
          peerName:
            'the same trials with station, tractors and bus on a ManualClock stepped 1 ms at a time (wire time and protocol only)',
          better: 'lower',
          conditions: {
            lossPct: loss,
            real_trials: realTrials,
            bus_time_trials: latencies.length,
            bus_time_p50_ms: round(percentile(latencies, 50), 2),
            bus_time_max_ms: round(Math.max(...latencies), 2),
            bus_time_wall_s: round((performance.now() - wall0) / 1000, 1),
            bus_time_setup_wall_s: setupWallS,
            order: 'after the real-clock trials',
          },
        }),
      );
    }
  } finally {
    w.close();
  }
  return out;
}

function withPhaseWall(results: BenchResult[], seconds: number): BenchResult[] {
  return results.map((r) => ({ ...r, conditions: { ...r.conditions, phase_wall_s: seconds } }));
}

export const suite: BenchSuite = {
  name: 'safety',
  description:
    'e-stop confirmation p99 at 0/10% loss, heartbeat-loss stop, COMM LOST, false stops per hour',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const sequences = Number(
      process.env.BENCH_WORKFLOW_SEQUENCES ??
        trials(options, WORKFLOW_BENCH_SEQUENCES, QUICK_WORKFLOW_SEQUENCES),
    );
    const workflowIn = options.quick ? 'in process' : 'children';
    if (process.env.BENCH_SAFETY === 'workflow') return workflowFigures(sequences, workflowIn);
    const busyTrials = Number(
      process.env.BENCH_BUSY_TRIALS ?? trials(options, BUSY_TRIALS_PER_LOAD, 1),
    );
    const busyWindows = options.quick ? QUICK_BUSY_WINDOWS : FULL_BUSY_WINDOWS;
    if (process.env.BENCH_SAFETY === 'busy') return busyFigures(busyTrials, busyWindows);
    const conditions = { tractors: TRACTORS, bitrateBps: BITRATE, clock: 'real' };
    const results: BenchResult[] = [];
    const estopCount = trials(options, ESTOP_TRIALS, QUICK_ESTOP_TRIALS);
    const realP99 = new Map<number, number>();
    const setup = startPhase('safety', 'real-clock fleet working');
    const w = await workingFleet();
    const setupWallS = setup();
    try {
      // Silence first: the tractors must be out working for a safe stop to happen.
      const cuts = trials(options, CUTS, QUICK_CUTS);
      const silencePhase = startPhase('safety', 'radio cuts');
      const silence = await silenceTrials(w, cuts);
      const silenceWallS = silencePhase();
      const stop = silence.stopMs;
      results.push({
        name: 'safety.heartbeat_loss_stop_ms_max',
        value: round(Math.max(...stop), 1),
        unit: 'ms',
        conditions: {
          ...conditions,
          trials: stop.length,
          missed: silence.missed,
          p50Ms: round(percentile(stop, 50), 1),
          p99Ms: round(percentile(stop, 99), 1),
          minMs: round(Math.min(...stop), 1),
          cut: `every tractor partitioned from the station at a random phase, ${cuts} times`,
          phase_wall_s: silenceWallS,
          setup_wall_s: setupWallS,
        },
      });
      const lost = silence.commLostMs;
      results.push({
        name: 'safety.comm_lost_shown_ms_max',
        value: round(Math.max(...lost), 1),
        unit: 'ms',
        conditions: {
          ...conditions,
          trials: lost.length,
          missed: silence.missed,
          p50Ms: round(percentile(lost, 50), 1),
          p99Ms: round(percentile(lost, 99), 1),
          from: "the last frame of the tractor the station's link heard",
          phase_wall_s: silenceWallS,
        },
      });
      for (const loss of LOSSES_PCT) {
        const phase = startPhase('safety', `e-stops at ${loss}% loss`);
        const { latencies, crossCheckMaxDiffMs, stationStopsReleased } = await estopTrials(
          w,
          estopCount,
          loss / 100,
        );
        const phaseWallS = phase();
        realP99.set(loss, percentile(latencies, 99));
        results.push({
          name: `safety.estop_all_confirmed_p99_ms.loss${loss}`,
          value: round(percentile(latencies, 99), 2),
          unit: 'ms',
          conditions: {
            ...conditions,
            lossPct: loss,
            trials: latencies.length,
            p50Ms: round(percentile(latencies, 50), 2),
            maxMs: round(Math.max(...latencies), 2),
            vsStationLatencyMaxDiffMs: round(crossCheckMaxDiffMs, 3),
            lossDuring: 'click to last confirm (release and resume loss-free)',
            between: 'released, release arrived, job resumed',
            stationStopsReleasedBetween: stationStopsReleased,
            phase_wall_s: phaseWallS,
          },
        });
      }
    } finally {
      w.close();
    }
    results.push(...(await busTimeRatios(options, realP99, estopCount)));
    const hourPhase = startPhase('safety', 'false-stop hour');
    const hour = await falseStopHour({
      tractors: TRACTORS,
      loss: 0.1,
      durationMs: trials(options, HOUR_MS, QUICK_HOUR_MS),
      seed: 8,
    });
    const hourWallS = hourPhase();
    results.push({
      name: 'safety.false_stops_per_hour',
      value: hour.falseStops / (hour.simulatedMs / HOUR_MS),
      unit: 'stops/h',
      conditions: {
        tractors: TRACTORS,
        bitrateBps: BITRATE,
        lossPct: 10,
        clock: options.quick
          ? `manual (${hour.simulatedMs / 60_000} simulated min)`
          : 'manual (one simulated hour)',
        traffic: 'heartbeats only (telemetry held back)',
        simulatedS: hour.simulatedMs / 1000,
        heartbeatsHeard: hour.heartbeatsHeard,
        longestSilenceMs: round(hour.longestSilenceMs, 1),
        movingAtEnd: hour.movingAtEnd,
        busLoadPct: round(hour.busLoadPct, 2),
        phase_wall_s: hourWallS,
      },
    });
    results.push(...(await workflowFigures(sequences, workflowIn)));
    const busyPhase = startPhase('safety', 'busy station');
    results.push(...withPhaseWall(await busyFigures(busyTrials, busyWindows), busyPhase()));
    return results;
  },
};
