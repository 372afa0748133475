/**
 * The figures of the busy-station benchmark (bench/safety-busy.ts) from its trials: the heartbeat
 * gap with each load's worst and its idle-thread peer, the idle thread's own gap, the click to
 * the last confirmation, the tractors' own stops beside the watchdog's holds, the capture's time
 * error, and the in-process comparison, each with the run's conditions.
 */
import { loadavg } from 'node:os';
import { STATION_HEARTBEAT_MS } from '../electron/link/index.js';
import { LONG_JOB_TRACTORS, type LongJob } from '../electron/records/test-helpers/long-job.js';
import { BLOCK_MS, DRAGS, EXPORTS, PAGES, PAGES_OPEN_MS } from './busy-loads.js';
import { type BenchResult, percentile, round } from './harness.js';
import type { RigPriority } from './rig-priority.js';
import type { BusyWindows } from './safety-busy.js';
import { BUSY_TRACTORS as TRACTORS } from './safety-busy-rig.js';
import { LOADS, type Load, type Trial } from './safety-busy-trial.js';
import type { CaptureTimeError } from './safety-capture-time.js';

/** The machine's 1-minute load average as the figures' conditions give it. */
export const load1 = (): string => loadavg()[0]?.toFixed(2) ?? '?';

/** What a busy-station run saw, beside its trials. */
export interface BusyRun {
  trials: readonly Trial[];
  trialsPerLoad: number;
  windows: BusyWindows;
  /** The remote tractors' own stops and the core's holds for a silent main thread. */
  counts: { ownStops: number; watchdogHolds: number };
  holdsByLoad: Readonly<Record<Load, number>>;
  captureTime: CaptureTimeError;
  /** What the tractors' process said of the station's silence. */
  tractorsSaid: string;
  coreScheduling: string;
  priority: RigPriority;
  /** The job the downloads exported. */
  longJob: LongJob;
  largestFieldName: string;
  loadBefore: string;
  inProcessGapMs: number;
}

export function busyResults(run: BusyRun): BenchResult[] {
  const { trials, trialsPerLoad, windows, counts, holdsByLoad, captureTime, longJob } = run;
  const conditions = {
    tractors: `${TRACTORS} in another process (headland sim --can socketcand://…)`,
    bitrateBps: 250_000,
    clock: 'real',
    core: 'process of its own',
    coreScheduling: run.coreScheduling,
    heardAt:
      'a socketcand client in a third process, each write dated by the kernel as it reached the socket (bench/capture-listener.py)',
    listenerScheduling: run.priority.described,
    machinesScheduling: run.priority.machinesDescribed,
    tractorsSaid: run.tractorsSaid,
    loads: `${trialsPerLoad} each: a ${BLOCK_MS} ms busy loop (click 200–800 ms in), ${DRAGS} assignSections sent at once from an operator's page over the bridge (click first), ${EXPORTS} downloads at once of the export of a ${longJob.hours} h × ${LONG_JOB_TRACTORS} job the station ran before (${longJob.segments} coverage segments), isoxml/shapefile (GET /api/export, click during; one renders at a time in the export thread, four wait, the rest are refused 503), ${PAGES} pages asking for the bridge for ${PAGES_OPEN_MS} ms (the connection caps serve 159), a ~10 MB document update over /sync (refused), planField of ${run.largestFieldName} on the main thread; and all of them together (the click 300 ms after the downloads, pages and update began, then the drags, the replan and the busy loop)`,
    warmupS: windows.warmupMs / 1000,
    warmup: 'the fleet at work, then one fleet stop and its release before the first trial',
    settleS: windows.settleMs / 1000,
    loadavg1Before: run.loadBefore,
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
      value: round(run.inProcessGapMs, 1),
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
