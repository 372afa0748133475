/**
 * Safety benchmarks (issue 8): 20 simulated tractors and the station on one 250 kbit/s virtual
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
 *  - safety.workflow_sequences / safety.workflow_violations: the model-based test of stop,
 *    release and resume with more sequences than CI runs (bench/safety-workflow.ts). Goals
 *    ≥ 2,000 and 0. BENCH_SAFETY=workflow runs only these; BENCH_WORKFLOW_SEQUENCES sets the
 *    count.
 */
import { type BenchResult, type BenchSuite, percentile, round } from '../harness.js';
import { falseStopHour } from '../safety-hour.js';
import { WORKFLOW_BENCH_SEQUENCES, workflowFigures } from '../safety-workflow.js';
import { TRACTORS, estopTrials, silenceTrials, workingFleet } from '../safety-trials.js';

const ESTOP_TRIALS = 1_000;
/** Each cut gives one sample per tractor: 50 cuts × 20 tractors = 1000 trials. */
const CUTS = 50;
const HOUR_MS = 3_600_000;
const BITRATE = 250_000;

export const suite: BenchSuite = {
  name: 'safety',
  description:
    'e-stop confirmation p99 at 0/10% loss, heartbeat-loss stop, COMM LOST, false stops per hour',
  async run(): Promise<BenchResult[]> {
    const sequences = Number(process.env.BENCH_WORKFLOW_SEQUENCES ?? WORKFLOW_BENCH_SEQUENCES);
    if (process.env.BENCH_SAFETY === 'workflow') return workflowFigures(sequences);
    const conditions = { tractors: TRACTORS, bitrateBps: BITRATE, clock: 'real' };
    const results: BenchResult[] = [];
    const w = await workingFleet();
    try {
      // Silence first: the tractors must be out working for a safe stop to happen.
      const silence = await silenceTrials(w, CUTS);
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
          cut: 'every tractor partitioned from the station at a random phase, 50 times',
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
        },
      });
      for (const loss of [0, 10]) {
        const { latencies, crossCheckMaxDiffMs, stationStopsReleased } = await estopTrials(
          w,
          ESTOP_TRIALS,
          loss / 100,
        );
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
          },
        });
      }
    } finally {
      w.close();
    }
    const hour = await falseStopHour({
      tractors: TRACTORS,
      loss: 0.1,
      durationMs: HOUR_MS,
      seed: 8,
    });
    results.push({
      name: 'safety.false_stops_per_hour',
      value: hour.falseStops / (hour.simulatedMs / HOUR_MS),
      unit: 'stops/h',
      conditions: {
        tractors: TRACTORS,
        bitrateBps: BITRATE,
        lossPct: 10,
        clock: 'manual (one simulated hour)',
        traffic: 'heartbeats only (telemetry held back)',
        simulatedS: hour.simulatedMs / 1000,
        heartbeatsHeard: hour.heartbeatsHeard,
        longestSilenceMs: round(hour.longestSilenceMs, 1),
        movingAtEnd: hour.movingAtEnd,
        busLoadPct: round(hour.busLoadPct, 2),
      },
    });
    results.push(...(await workflowFigures(sequences)));
    return results;
  },
};
