/**
 * The station's main thread busy for 2 s (a busy loop standing for an export, a burst of drags,
 * a large document update) while 20 tractors work on the virtual bus with the safety core in its
 * own process, on the real clock: the tractors hear every heartbeat, none stops itself, and a
 * fleet stop given during the block (the fast path) is confirmed by every machine at once. The
 * block starts with a burst of 50 drags, whose orders reach the core together.
 */
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FIELD_PATH } from './app-paths.js';
import {
  MAIN_THREAD_SILENCE_MS,
  STATION_HEARTBEAT_MS,
  STATION_SILENCE_STOP_MS,
} from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { MAIN_THREAD_WATCHDOG_ACTOR } from '../safety-core/index.js';
import { loadField } from './station.js';
import type { Station } from '../station/index.js';
import { startCoreProcessStation, type CoreProcessStation } from './core-process-station.js';
import { SystemClock } from '../time/index.js';

const TRACTORS = 20;
const BLOCK_MS = 2_000;
/** Drags at the start of the block. */
const DRAGS = 50;
/** The click comes this long into the block. */
const CLICK_AT_MS = 300;
/**
 * The longest heartbeat gap a tractor may hear, whatever the station's main thread does: less
 * than its silence stop, so a real tractor (in another process, with no stall of its own to
 * excuse the silence) would not stop itself. A main thread that carried the link would make the
 * gap the whole block (2 s). The goal is 50 ms (two periods); that figure is the benchmark's
 * (`npm run bench -- safety`, safety.heartbeat_gap_max_ms.station_busy, with the load), since on
 * a machine shared with other work the operating system alone delays a thread by 100 ms or more.
 */
const HEARTBEAT_GAP_LIMIT_MS = STATION_SILENCE_STOP_MS;
/**
 * The stop, from the core's hearing it to the last confirmation: within the tractors' silence
 * stop, where the core on the main thread would have sent its first frame only after the block
 * (1.7 s later). The goal is 20 ms (the loss-free floor is ~11 ms of wire); that figure is the
 * benchmark's (safety.estop_all_confirmed_p99_ms.station_busy), for the reason above.
 */
const CONFIRM_LIMIT_MS = STATION_SILENCE_STOP_MS;

/**
 * Runnable threads per CPU beyond which real-clock bounds say nothing about the code: with two
 * CPU-bound processes per CPU of other work (measured here: load 15–16 on 2 CPUs) the operating
 * system alone keeps the core's process off the CPU for 0.6–1 s. The test is then skipped, and
 * says so; the benchmark reports its figures with the load beside them.
 */
const RUNNABLE_PER_CPU_MAX = 4;
const overloaded = (loadavg()[0] ?? 0) > RUNNABLE_PER_CPU_MAX * availableParallelism();
if (overloaded)
  console.warn(
    `core-process-busy: skipped, load ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`,
  );

const open: CoreProcessStation[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function until(ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds the main thread for `ms`, running each step once `atMs` into it. */
function block(ms: number, steps: { atMs: number; run: () => void }[]): void {
  const start = performance.now();
  const due = [...steps];
  while (performance.now() - start < ms) {
    if (due[0] && performance.now() - start >= due[0].atMs) due.shift()?.run();
  }
}

/** A burst of drags: every section moved to a tractor, one command each (orders for the core). */
function drags(station: Station, count: number): void {
  const { sections, tractors } = station.snapshot();
  for (let i = 0; i < count; i++) {
    const section = sections[i % sections.length];
    const tractor = tractors[i % tractors.length];
    if (section && tractor)
      station.command({ type: 'assignSection', sectionId: section.id, tractorId: tractor.id });
  }
}

describe('a busy station main thread', () => {
  it.skipIf(overloaded)(
    'delays no heartbeat, stops no tractor by silence, and does not hold up a fleet stop',
    async () => {
      const started = await startCoreProcessStation({
        clock: new SystemClock({ unref: true }),
        field: await loadField(DEMO_FIELD_PATH),
        simCount: TRACTORS,
        fleetKey: FleetKey.generate(),
        // The persistent outbox, as serve has it: the burst of drags writes a record per order.
        dataDir: mkdtempSync(join(tmpdir(), 'headland-busy-')),
      });
      open.push(started);
      const { station, core } = started;
      await station.whenTractors(TRACTORS);
      expect(station.command({ type: 'startJob' }, 'test').ok).toBe(true);
      await until(() =>
        station.snapshot().tractors.every((t) => t.state === 'working' || t.state === 'turning'),
      );
      await core.probe(); // heartbeat gaps are counted from here

      let stopId = '';
      block(BLOCK_MS, [
        // A burst of orders for the core first: they arrive at once, and must not hold its loop.
        { atMs: 0, run: () => drags(station, DRAGS) },
        {
          atMs: CLICK_AT_MS,
          run: () => {
            const result = station.fastStop('operator:test');
            stopId = result.ok ? (result.stopId ?? '') : '';
          },
        },
      ]);

      const probe = await core.probe();
      expect(probe.tractors).toHaveLength(TRACTORS);
      for (const tractor of probe.tractors) {
        // Heartbeats all through the block (at least half of them on a loaded machine).
        expect(tractor.heartbeats).toBeGreaterThanOrEqual(BLOCK_MS / STATION_HEARTBEAT_MS / 2);
        expect(tractor.heartbeatGapMaxMs).toBeLessThanOrEqual(HEARTBEAT_GAP_LIMIT_MS);
        expect(tractor.ownStops).toBe(0);
        expect(tractor.state).toBe('stopped');
      }
      const confirmed = probe.confirmations.filter((c) => c.stopId === stopId);
      expect(confirmed.map((c) => c.tractorId).sort()).toEqual(
        probe.tractors.map((t) => t.id).sort(),
      );
      expect(Math.max(...confirmed.map((c) => c.latencyMs))).toBeLessThanOrEqual(CONFIRM_LIMIT_MS);

      // Once the main thread answers again the station records the stop as its own, and the hold
      // the core's watchdog made after MAIN_THREAD_SILENCE_MS, with an alert saying why.
      await until(() =>
        station.snapshot().stops.some((s) => s.id === stopId && s.confirmed === TRACTORS),
      );
      const snapshot = station.snapshot();
      expect(snapshot.stops.find((s) => s.id === stopId)?.issuedBy).toBe('operator:test');
      expect(BLOCK_MS).toBeGreaterThan(MAIN_THREAD_SILENCE_MS);
      expect(snapshot.stops.some((s) => s.issuedBy === MAIN_THREAD_WATCHDOG_ACTOR)).toBe(true);
      expect(
        snapshot.alerts.some(
          (a) => a.severity === 'critical' && a.message.includes('did not answer its safety core'),
        ),
      ).toBe(true);
      expect(station.jobState()).toBe('stopped');
    },
  );
});
