/**
 * The safety figures of a busy station (bench/suites/safety.ts): the station as `headland serve`
 * composes it, its safety core in a process of its own and its bus open to socketcand clients, 20
 * tractors in another process (`headland sim --can socketcand://…`, as real machines join), on
 * the real clock, while the station's main thread is kept busy in turn by a 2 s synthetic block, a burst of 50 drags
 * (assignSections), ten exports of the job at once, 200 pages asking for the bridge, a document
 * update of about 10 MB over /sync, and the planning of the largest benchmark field. During each
 * load the operator clicks STOP ALL (the fast path); between trials every stop is released and
 * the job resumed. A socketcand client in a third process hears the bus throughout, for the
 * heartbeats' arrival and the capture's timing (bench/capture-listener.py).
 *  - safety.heartbeat_gap_max_ms.station_busy: the longest gap between two station heartbeats
 *    arriving at that client, over every load. Goal ≤ 50 ms. The tractors' process reports the
 *    longest silence its tractors heard over the whole run (in the conditions).
 *  - safety.estop_all_confirmed_p99_ms.station_busy: the click (on the main thread, during the
 *    load) to the 20th confirmation heard by the core. Goal ≤ 20 ms.
 *  - safety.false_stops.station_busy: stops the remote tractors made by themselves. Goal 0.
 *  - safety.heartbeat_gap_max_ms.station_busy_in_process: the same 2 s block with the core on
 *    the main thread (`serve --core-in-process`), for comparison.
 *  - safety.timer_floor_gap_max_ms.station_busy: the peer of the heartbeat gap, the longest gap
 *    an idle thread of the same process saw in its own 25 ms timer over the same trials
 *    (bench/timer-floor.ts); the gap's conditions give how far each trial's gap lay above it.
 * This file runs the benchmark; one trial under a load is safety-busy-trial.ts, the remote
 * tractors and the in-process comparison safety-busy-rig.ts, the figures safety-busy-figures.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadField, startStationRuntime } from '../electron/runtime/index.js';
import { STATION_HEARTBEAT_MS } from '../electron/link/index.js';
import type { StartedCli } from '../electron/commands/test-helpers/cli-process.js';
import { MAIN_THREAD_WATCHDOG_ACTOR } from '../electron/safety-core/index.js';
import type { BenchResult } from './harness.js';
import { sleepReal as sleep } from './safety-pace.js';
import { progress } from './safety-trials.js';
import {
  captureTimeError,
  startCaptureListener,
  type CaptureTimeError,
} from './safety-capture-time.js';
import { startTimerFloor } from './timer-floor.js';
import { rigPriority } from './rig-priority.js';
import { bigUpdate } from './busy-loads.js';
import { writeLongJob } from '../electron/records/test-helpers/long-job.js';
import { busyResults, load1 } from './safety-busy-figures.js';
import {
  inProcessBlockGap,
  ownStopsReported,
  startRemoteTractors,
  stopRemoteTractors,
} from './safety-busy-rig.js';
import { LOADS, releaseAll, trial, type Ears, type Load, type Trial } from './safety-busy-trial.js';

/** Trials per load in the full run (the quick run takes one). */
export const BUSY_TRIALS_PER_LOAD = 5;

/** How long the warm-up's stop holds the fleet before it is released. */
const WARMUP_STOP_MS = 500;

/** The busy station's fixed waits. */
export interface BusyWindows {
  /** After the job starts: the remote tractors out of the parking and working. */
  warmupMs: number;
  /** How long after the release and resume the fleet gets before the next load. */
  settleMs: number;
  /** The in-process comparison's fleet at work before its block. */
  inProcessWarmupMs: number;
  /** Hours of work of the 20-tractor job the downloads export. */
  exportHours: number;
}
export const FULL_BUSY_WINDOWS: BusyWindows = {
  warmupMs: 3_000,
  settleMs: 1_500,
  inProcessWarmupMs: 2_000,
  exportHours: 8,
};
/** --quick: the stops confirm and release within a few hundred ms (about 140 ms for releases). */
export const QUICK_BUSY_WINDOWS: BusyWindows = {
  warmupMs: 1_000,
  settleMs: 500,
  inProcessWarmupMs: 750,
  exportHours: 1,
};

/** The largest benchmark field (64 ha), planned on the main thread as a replan's load. */
const LARGEST_FIELD_PATH = join(
  import.meta.dirname,
  '..',
  'assets',
  'fields',
  'quarter-section.geojson',
);

export async function busyFigures(
  trialsPerLoad: number,
  windows: BusyWindows = FULL_BUSY_WINDOWS,
): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-busy-'));
  // The downloads export a long job the station ran before (in its store, not its current job).
  const longJob = writeLongJob(dataDir, { hours: windows.exportHours });
  const exportJobId = longJob.jobId;
  const loadBefore = load1();
  let coreScheduling = 'normal (BENCH_CORE_PRIORITY=normal)';
  const largestField = await loadField(LARGEST_FIELD_PATH);
  bigUpdate();
  const runtime = await startStationRuntime({
    simCount: 0,
    dataDir,
    host: '127.0.0.1',
    basemapDir: null,
    coreProcess: true,
    port: 0,
    syncEndpoint: true,
    canServer: { host: '127.0.0.1', port: 0 },
    capturePath: join(dataDir, 'bus.log'),
    realtimeCore: process.env.BENCH_CORE_PRIORITY !== 'normal',
    log: (line) => {
      if (line.startsWith('safety core: real-time')) coreScheduling = line;
    },
  });
  const trials: Trial[] = [];
  const counts = { ownStops: 0, watchdogHolds: 0 };
  const holdsByLoad = Object.fromEntries(LOADS.map((l) => [l, 0])) as Record<Load, number>;
  const arrivalsPath = join(dataDir, 'arrivals.txt');
  let captureTime: CaptureTimeError;
  let tractorsSaid: string;
  const floor = startTimerFloor(STATION_HEARTBEAT_MS);
  const priority = rigPriority();
  let remote: StartedCli | null = null;
  try {
    remote = await startRemoteTractors(runtime, dataDir, priority);
    const listener = await startCaptureListener(runtime.canServerPort ?? 0, arrivalsPath, priority);
    const stationAddress = runtime.station.snapshot().station.canAddress;
    if (stationAddress === null || stationAddress === undefined)
      throw new Error('bench: the station has no address on the bus');
    const ears: Ears = { listener, floor, stationAddress };
    await sleep(windows.warmupMs); // out of the parking and working
    // One stop and release before the trials, so the stop path has run once in every process:
    // the simulated machines' code is compiled as it first runs (a machine's own is not), and
    // the first trial had timed that.
    runtime.station.fastStop('bench');
    await sleep(WARMUP_STOP_MS);
    await releaseAll(runtime, windows.settleMs);
    const loads = (process.env.BENCH_BUSY_LOADS ?? LOADS.join(','))
      .split(',')
      .filter((l): l is Load => (LOADS as readonly string[]).includes(l));
    for (const load of loads)
      for (let i = 0; i < trialsPerLoad; i++) {
        const t = await trial(runtime, load, ears, { exportJobId, largestField });
        trials.push(t);
        const holds = runtime.station
          .snapshot()
          .stops.filter((s) => s.issuedBy === MAIN_THREAD_WATCHDOG_ACTOR).length;
        counts.watchdogHolds += holds;
        holdsByLoad[load] += holds;
        progress(
          `busy ${load} #${i + 1}: gap ${t.gapMaxMs.toFixed(1)} ms (an idle thread's ${t.floorGapMs.toFixed(1)} ms), all confirmed ${t.confirmAllMs.toFixed(1)} ms, main thread's longest turn ${t.mainBlockMs.toFixed(0)} ms, the core's ${t.coreTurnMs.toFixed(1)} ms, click to core ${t.transitMs.toFixed(1)} ms, watchdog holds ${holds} (load ${load1()})`,
        );
        await releaseAll(runtime, windows.settleMs);
      }
    tractorsSaid = await stopRemoteTractors(remote);
    counts.ownStops = ownStopsReported(remote.output());
    await listener.stop();
    await runtime.close(); // the capture is complete once closed
    captureTime = captureTimeError(join(dataDir, 'bus.log'), arrivalsPath);
  } finally {
    if (remote?.child.exitCode === null) remote.child.kill('SIGKILL');
    await floor.close();
    await runtime.close();
    // BENCH_KEEP_DATA=1 keeps the station's folder (its bus.log and the listener's arrivals) to read.
    if (process.env.BENCH_KEEP_DATA === '1') progress(`busy station's folder kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  const inProcessGapMs = await inProcessBlockGap(windows.inProcessWarmupMs);
  return busyResults({
    trials,
    trialsPerLoad,
    windows,
    counts,
    holdsByLoad,
    captureTime,
    tractorsSaid,
    coreScheduling,
    priority,
    longJob,
    largestFieldName: largestField.geometry.name,
    loadBefore,
    inProcessGapMs,
  });
}
