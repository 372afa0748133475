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
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { startCli, type StartedCli } from '../electron/commands/test-helpers/cli-process.js';
import { planField, type ValidField } from '../electron/fleet/index.js';
import {
  createSimulatedStation,
  DEMO_FIELD_PATH,
  loadField,
  startStationRuntime,
  type StationRuntime,
} from '../electron/runtime/index.js';
import { STATION_HEARTBEAT_MS } from '../electron/link/index.js';
import { MAIN_THREAD_WATCHDOG_ACTOR } from '../electron/safety-core/index.js';
import { machineMonotonicMs, SystemClock } from '../electron/time/index.js';
import { type BenchResult, percentile, round } from './harness.js';
import { sleepReal as sleep } from './safety-pace.js';
import { progress } from './safety-trials.js';
import {
  captureTimeError,
  startCaptureListener,
  type CaptureListener,
  type CaptureTimeError,
} from './safety-capture-time.js';
import { startTimerFloor, type TimerFloor } from './timer-floor.js';
import { rigPriority, type RigPriority } from './rig-priority.js';
import {
  BLOCK_MS,
  DRAGS,
  EXPORTS,
  PAGES,
  PAGES_OPEN_MS,
  bigUpdate,
  busyLoop,
  openDragPage,
  exports,
  pages,
  sendUpdate,
} from './busy-loads.js';
import { LONG_JOB_TRACTORS, writeLongJob } from '../electron/records/test-helpers/long-job.js';

const TRACTORS = 20;
/** Trials per load in the full run (the quick run takes one). */
export const BUSY_TRIALS_PER_LOAD = 5;

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

const LOADS = ['block', 'drags', 'exports', 'pages', 'update', 'replan', 'together'] as const;
type Load = (typeof LOADS)[number];

/** The largest benchmark field (64 ha), planned on the main thread as a replan's load. */
const LARGEST_FIELD_PATH = join(
  import.meta.dirname,
  '..',
  'assets',
  'fields',
  'quarter-section.geojson',
);
let largestField: ValidField;

/** How long the remote tractors get to join, and then to be given work. */
const JOIN_TIMEOUT_MS = 90_000;

interface Trial {
  load: Load;
  confirmAllMs: number;
  gapMaxMs: number;
  /** The longest gap an idle thread's timer of the heartbeat's period saw meanwhile. */
  floorGapMs: number;
  /** The station's main thread's longest turn (event-loop delay) during the trial. */
  mainBlockMs: number;
  /** The click to the core's issuing the stop (the fast path's pipe and the core's waking). */
  transitMs: number;
  /** The safety core's own longest late turn during the trial. */
  coreTurnMs: number;
}

const load1 = (): string => loadavg()[0]?.toFixed(2) ?? '?';

/** Releases every stop in force, resumes the job and lets the fleet settle for `settleMs`. */
async function releaseAll(runtime: StationRuntime, settleMs: number): Promise<void> {
  const { station } = runtime;
  for (const stop of station.snapshot().stops)
    station.command({ type: 'release', stopId: stop.id }, 'bench');
  station.command({ type: 'resumeJob' }, 'bench');
  await sleep(settleMs);
}

interface Ears {
  listener: CaptureListener;
  floor: TimerFloor;
  /** The station's source address on the bus (its heartbeats'). */
  stationAddress: number;
}

async function trial(
  runtime: StationRuntime,
  load: Load,
  ears: Ears,
  exportJobId: string,
): Promise<Trial> {
  const mainDelay = monitorEventLoopDelay({ resolution: 10 });
  mainDelay.enable();
  // A turn counts from the monitor's first sample: one must come before the load begins.
  await sleep(50);
  const core = runtime.coreProcess;
  if (!core) throw new Error('bench: no safety core process');
  await core.probe(); // counts anew from here
  await ears.floor.take();
  await ears.listener.heartbeatGap(ears.stationAddress);
  let stopId = '';
  let clickMonoMs = 0;
  const click = (): void => {
    clickMonoMs = machineMonotonicMs();
    const result = runtime.station.fastStop('bench');
    stopId = result.ok ? (result.stopId ?? '') : '';
  };
  if (load === 'block') {
    const clickAt = 200 + Math.random() * 600;
    const start = performance.now();
    busyLoop(clickAt);
    click();
    busyLoop(BLOCK_MS - (performance.now() - start));
  } else if (load === 'drags') {
    const page = await openDragPage(runtime);
    click();
    await page.drag();
    page.close();
  } else if (load === 'exports') {
    const running = exports(runtime, exportJobId);
    click();
    await running;
  } else if (load === 'pages') {
    const running = pages(runtime);
    await sleep(300);
    click();
    await running;
  } else if (load === 'update') {
    const running = sendUpdate(runtime, bigUpdate());
    click();
    await running;
  } else if (load === 'replan') {
    // The planning a replan of the largest benchmark field does, on the main thread.
    click();
    planField(largestField);
  } else {
    // Every load at once: the downloads, pages and update under way, then the click, and the
    // drags, the replan and the block on the main thread while they go on.
    const running = Promise.all([
      exports(runtime, exportJobId),
      pages(runtime),
      sendUpdate(runtime, bigUpdate()),
    ]);
    const page = await openDragPage(runtime);
    await sleep(300);
    click();
    const dragging = page.drag();
    planField(largestField);
    busyLoop(BLOCK_MS);
    await Promise.all([running, dragging]);
    page.close();
  }
  await sleep(200);
  const probe = await core.probe();
  const floorGapMs = await ears.floor.take();
  const heard = await ears.listener.heartbeatGap(ears.stationAddress);
  const confirmations = probe.confirmations.filter((c) => c.stopId === stopId);
  // The click to the core's hearing it (the fast path's pipe), on the machine's monotonic clock
  // both processes read, then to the last confirm.
  const heardStop = probe.fastStopsHeard.find((f) => f.stopId === stopId);
  const transitMs = heardStop
    ? Math.max(0, heardStop.heardAtMs - clickMonoMs)
    : Number.POSITIVE_INFINITY;
  const confirmAllMs =
    confirmations.length >= TRACTORS
      ? transitMs + Math.max(...confirmations.map((c) => c.latencyMs))
      : Number.POSITIVE_INFINITY;
  const gapMaxMs = heard.count > 0 ? heard.maxGapMs : Number.POSITIVE_INFINITY;
  mainDelay.disable();
  return {
    load,
    confirmAllMs,
    gapMaxMs,
    floorGapMs,
    mainBlockMs: mainDelay.max / 1e6,
    transitMs,
    coreTurnMs: probe.longestTurnMs,
  };
}

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
  largestField = await loadField(LARGEST_FIELD_PATH);
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
    const loads = (process.env.BENCH_BUSY_LOADS ?? LOADS.join(','))
      .split(',')
      .filter((l): l is Load => (LOADS as readonly string[]).includes(l));
    for (const load of loads)
      for (let i = 0; i < trialsPerLoad; i++) {
        const t = await trial(runtime, load, ears, exportJobId);
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
  const conditions = {
    tractors: `${TRACTORS} in another process (headland sim --can socketcand://…)`,
    bitrateBps: 250_000,
    clock: 'real',
    core: 'process of its own',
    coreScheduling,
    heardAt:
      'a socketcand client in a third process, each write dated by the kernel as it reached the socket (bench/capture-listener.py)',
    listenerScheduling: priority.described,
    machinesScheduling: priority.machinesDescribed,
    tractorsSaid,
    loads: `${trialsPerLoad} each: a ${BLOCK_MS} ms busy loop (click 200–800 ms in), ${DRAGS} assignSections sent at once from an operator's page over the bridge (click first), ${EXPORTS} downloads at once of the export of a ${longJob.hours} h × ${LONG_JOB_TRACTORS} job the station ran before (${longJob.segments} coverage segments), isoxml/shapefile (GET /api/export, click during; one renders at a time in the export thread, four wait, the rest are refused 503), ${PAGES} pages asking for the bridge for ${PAGES_OPEN_MS} ms (the connection caps serve 159), a ~10 MB document update over /sync (refused), planField of ${largestField.geometry.name} on the main thread; and all of them together (the click 300 ms after the downloads, pages and update began, then the drags, the replan and the busy loop)`,
    warmupS: windows.warmupMs / 1000,
    settleS: windows.settleMs / 1000,
    loadavg1Before: loadBefore,
    loadavg1After: load1(),
  };
  const gaps = trials.map((t) => t.gapMaxMs);
  const confirms = trials.map((t) => t.confirmAllMs);
  const floors = trials.map((t) => t.floorGapMs);
  const aboveFloor = trials.map((t) => t.gapMaxMs - t.floorGapMs);
  const byLoad = (load: Load, of: (t: Trial) => number): number =>
    round(Math.max(...trials.filter((t) => t.load === load).map(of)), 1);
  return [
    {
      name: 'safety.heartbeat_gap_max_ms.station_busy',
      value: round(Math.max(...gaps), 1),
      unit: 'ms',
      conditions: {
        ...conditions,
        p50Ms: round(percentile(gaps, 50), 1),
        blockMaxMs: byLoad('block', (t) => t.gapMaxMs),
        dragsMaxMs: byLoad('drags', (t) => t.gapMaxMs),
        exportsMaxMs: byLoad('exports', (t) => t.gapMaxMs),
        pagesMaxMs: byLoad('pages', (t) => t.gapMaxMs),
        updateMaxMs: byLoad('update', (t) => t.gapMaxMs),
        replanMaxMs: byLoad('replan', (t) => t.gapMaxMs),
        togetherMaxMs: byLoad('together', (t) => t.gapMaxMs),
        idleThreadGapMaxMs: round(Math.max(...floors), 1),
        aboveIdleThreadMaxMs: round(Math.max(...aboveFloor), 1),
        aboveIdleThreadP50Ms: round(percentile(aboveFloor, 50), 1),
      },
    },
    {
      name: 'safety.timer_floor_gap_max_ms.station_busy',
      value: round(Math.max(...floors), 1),
      unit: 'ms',
      conditions: {
        ...conditions,
        p50Ms: round(percentile(floors, 50), 1),
        what: `an idle worker thread of the station's process keeping a ${STATION_HEARTBEAT_MS} ms timer through the same trials: the peer of the heartbeat gap (what the machine allows any thread then)`,
      },
    },
    {
      name: 'safety.estop_all_confirmed_p99_ms.station_busy',
      value: round(percentile(confirms, 99), 2),
      unit: 'ms',
      conditions: {
        ...conditions,
        lossPct: 0,
        trials: confirms.length,
        p50Ms: round(percentile(confirms, 50), 2),
        from: 'the click on the main thread (fast path) to the 20th confirmation heard by the core',
      },
    },
    {
      name: 'safety.false_stops.station_busy',
      value: counts.ownStops,
      unit: 'stops',
      conditions: {
        ...conditions,
        watchdogHolds: counts.watchdogHolds,
        watchdogHoldsByLoad: LOADS.map((l) => `${l} ${holdsByLoad[l]}`).join(', '),
        note: 'a 2 s block is longer than MAIN_THREAD_SILENCE_MS: the core holds the fleet then (not a false stop)',
      },
    },
    {
      name: 'safety.capture_time_error_ms_max',
      value: captureTime.maxMs,
      unit: 'ms',
      conditions: {
        ...conditions,
        ...captureTime,
        goalMs: 2,
        against:
          'arrival at a socketcand client in another process, dated by the kernel as it reached the socket (SO_TIMESTAMPNS; bench/capture-listener.py); readMaxMs: the same against the time the listener read it',
      },
    },
    {
      name: 'safety.heartbeat_gap_max_ms.station_busy_in_process',
      value: round(inProcessGapMs, 1),
      unit: 'ms',
      conditions: {
        tractors: TRACTORS,
        clock: 'real',
        core: 'main thread (serve --core-in-process)',
        load: `one ${BLOCK_MS} ms busy loop`,
        warmupS: windows.inProcessWarmupMs / 1000,
        loadavg1: load1(),
      },
    },
  ];
}

/** `headland sim --can …` with the bench's tractors, joined, given work and started. */
async function startRemoteTractors(
  runtime: StationRuntime,
  dataDir: string,
  priority: RigPriority,
): Promise<StartedCli> {
  const remote = await startCli(
    [
      'sim',
      '--can',
      `socketcand://127.0.0.1:${runtime.canServerPort ?? 0}/can0`,
      '--tractors',
      String(TRACTORS),
      '--fleet-key-file',
      join(dataDir, 'fleet.key'),
    ],
    new RegExp(`${TRACTORS} tractors? joined`),
    (command, args) => priority.wrapMachines(command, args),
  );
  const until = async (what: string, ok: () => boolean): Promise<void> => {
    const deadline = performance.now() + JOIN_TIMEOUT_MS;
    while (!ok()) {
      if (performance.now() > deadline) throw new Error(`bench: the remote tractors ${what}`);
      await sleep(100);
    }
  };
  const tractors = (): StationSnapshot['tractors'] => runtime.station.snapshot().tractors;
  try {
    await until('did not join', () => tractors().length === TRACTORS);
    // On a loaded machine the main thread can stay silent past the watchdog's bound while the
    // tractors join; the core then holds the fleet, rightly. Its stop is released (and named).
    const held = runtime.station.snapshot().stops.map((s) => s.issuedBy);
    if (held.length > 0) {
      progress(`busy: stops before the start (${held.join(', ')}) released`);
      for (const stop of runtime.station.snapshot().stops)
        runtime.station.command({ type: 'release', stopId: stop.id }, 'bench');
      await until('stayed stopped', () => runtime.station.snapshot().stops.length === 0);
    }
    const started = runtime.station.command({ type: 'startJob' }, 'bench');
    if (!started.ok) throw new Error(`bench: the job did not start: ${started.error.message}`);
    // A plan may leave a machine without work where one more would not finish sooner.
    await until('were given no work', () => tractors().some((t) => t.sectionIds.length > 0));
  } catch (error) {
    remote.child.kill('SIGKILL');
    throw error;
  }
  const working = tractors().filter((t) => t.sectionIds.length > 0).length;
  if (working < TRACTORS)
    progress(`busy: ${working} of ${TRACTORS} tractors have work in the plan`);
  return remote;
}

/** Ends the tractors' process; returns what it said of the station's silence and its own stops. */
async function stopRemoteTractors(remote: StartedCli): Promise<string> {
  const exited = new Promise<void>((resolve) => remote.child.once('exit', () => resolve()));
  remote.child.kill('SIGTERM');
  await exited;
  return /sim: longest station silence heard[^\n]*/.exec(remote.output())?.[0] ?? '';
}

/** Each stop a remote tractor made by itself is reported as it happens (`… stopped itself`). */
function ownStopsReported(output: string): number {
  return output.split('\n').filter((line) => line.includes('stopped itself')).length;
}

/** The same block with the link on the main thread: the gap a tractor hears. */
async function inProcessBlockGap(warmupMs: number): Promise<number> {
  const clock = new SystemClock();
  const sim = createSimulatedStation({
    clock,
    field: await loadField(DEMO_FIELD_PATH),
    simCount: TRACTORS,
  });
  try {
    await sim.station.whenTractors(TRACTORS);
    sim.station.command({ type: 'startJob' });
    await sleep(warmupMs);
    let last: number | null = null;
    let maxGap = 0;
    const off = sim.transport.tractorPort('sim-01').onMessage((m) => {
      if (m.kind !== 'heartbeat') return;
      const now = performance.now();
      if (last !== null) maxGap = Math.max(maxGap, now - last);
      last = now;
    });
    await sleep(200);
    busyLoop(BLOCK_MS);
    await sleep(200);
    off();
    return maxGap;
  } finally {
    sim.close();
  }
}
