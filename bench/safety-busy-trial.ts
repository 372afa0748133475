/**
 * One trial of the busy-station benchmark (bench/safety-busy.ts): a load thrown at the station's
 * main thread (bench/busy-loads.ts), STOP ALL clicked by the fast path during it, and what was
 * heard meanwhile — the longest heartbeat gap at a socketcand client, an idle thread's timer gap
 * beside it, the click to the last confirmation, the main thread's and the core's longest
 * turns. Between trials every stop is released and the job resumed.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { planField, type ValidField } from '../electron/fleet/index.js';
import type { StationRuntime } from '../electron/runtime/index.js';
import { machineMonotonicMs } from '../electron/time/index.js';
import {
  BLOCK_MS,
  bigUpdate,
  busyLoop,
  exports,
  openDragPage,
  pages,
  sendUpdate,
} from './busy-loads.js';
import type { CaptureListener } from './safety-capture-time.js';
import { BUSY_TRACTORS } from './safety-busy-rig.js';
import { sleepReal as sleep } from './safety-pace.js';
import type { TimerFloor } from './timer-floor.js';

export const LOADS = [
  'block',
  'drags',
  'exports',
  'pages',
  'update',
  'replan',
  'together',
] as const;
export type Load = (typeof LOADS)[number];

export interface Trial {
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

export interface Ears {
  listener: CaptureListener;
  floor: TimerFloor;
  /** The station's source address on the bus (its heartbeats'). */
  stationAddress: number;
}

/** What the loads work on: the job the downloads export, the field a replan plans. */
export interface TrialWork {
  exportJobId: string;
  /** The largest benchmark field (64 ha), planned on the main thread as a replan's load. */
  largestField: ValidField;
}

/** Releases every stop in force, resumes the job and lets the fleet settle for `settleMs`. */
export async function releaseAll(runtime: StationRuntime, settleMs: number): Promise<void> {
  const { station } = runtime;
  for (const stop of station.snapshot().stops)
    station.command({ type: 'release', stopId: stop.id }, 'bench');
  station.command({ type: 'resumeJob' }, 'bench');
  await sleep(settleMs);
}

export async function trial(
  runtime: StationRuntime,
  load: Load,
  ears: Ears,
  work: TrialWork,
): Promise<Trial> {
  const { exportJobId, largestField } = work;
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
    confirmations.length >= BUSY_TRACTORS
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
