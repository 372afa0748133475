import { describe, expect, it } from 'vitest';
import { LocalFleetBus, MAIN_THREAD_SILENCE_MS, type StationToTractor } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { MAIN_THREAD_WATCHDOG_ACTOR, SafetyCore, type StopOrder } from './safety-core.js';

function rig() {
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const core = new SafetyCore({
    clock,
    port: bus.stationPort(),
    fleetKey: FleetKey.generate(),
    mainThreadSilenceMs: MAIN_THREAD_SILENCE_MS,
  });
  const heard: StationToTractor[] = [];
  const tractor = bus.tractorPort('t1');
  tractor.onMessage((m) => {
    if (m.kind === 'estop') heard.push(m);
  });
  tractor.send({ kind: 'hello', name: 'T1', implementWidthM: 12, workSpeedMps: 3 });
  const fastStops: StopOrder[] = [];
  const silences: { silentMs: number; stopId: string }[] = [];
  core.listen({
    message: () => undefined,
    confirmed: () => undefined,
    fastStop: (order) => fastStops.push(order),
    mainThreadSilent: (silentMs, stopId) => silences.push({ silentMs, stopId }),
  });
  clock.advance(10);
  return { clock, core, heard, fastStops, silences };
}

describe('the safety core’s watch on the station’s main thread', () => {
  it('holds the fleet once when the main thread is silent beyond the bound, and says so', () => {
    const { clock, core, heard, fastStops, silences } = rig();
    core.mainThreadAnswered();
    clock.advance(MAIN_THREAD_SILENCE_MS - 50);
    expect(fastStops).toEqual([]);
    clock.advance(100);
    expect(fastStops).toHaveLength(1);
    expect(fastStops[0]).toMatchObject({ scope: 'fleet', tractorIds: ['t1'] });
    expect(fastStops[0]?.issuedBy).toBe(MAIN_THREAD_WATCHDOG_ACTOR);
    expect(silences).toEqual([
      { silentMs: expect.any(Number) as number, stopId: fastStops[0]?.id },
    ]);
    expect(silences[0]!.silentMs).toBeGreaterThan(MAIN_THREAD_SILENCE_MS);
    expect(heard.some((m) => m.kind === 'estop' && m.stopId === fastStops[0]?.id)).toBe(true);
    // One hold per silence, however long it lasts.
    clock.advance(5_000);
    expect(fastStops).toHaveLength(1);
    // Back, then silent again: held again.
    core.mainThreadAnswered();
    clock.advance(MAIN_THREAD_SILENCE_MS + 50);
    expect(fastStops).toHaveLength(2);
    core.close();
  });

  it('never holds while the main thread keeps answering, nor before it first answers', () => {
    const { clock, core, fastStops } = rig();
    clock.advance(3 * MAIN_THREAD_SILENCE_MS);
    expect(fastStops).toEqual([]);
    for (let i = 0; i < 50; i++) {
      core.mainThreadAnswered();
      clock.advance(MAIN_THREAD_SILENCE_MS / 2);
    }
    expect(fastStops).toEqual([]);
    core.close();
  });

  it('does not take its own stall for the main thread’s silence: the next look decides', () => {
    const { clock, core, fastStops } = rig();
    core.mainThreadAnswered();
    clock.advance(100);
    // The core's own loop stalls: the main thread's words wait behind the stall.
    clock.stall(MAIN_THREAD_SILENCE_MS + 200);
    clock.advance(1);
    expect(fastStops).toEqual([]);
    core.mainThreadAnswered();
    clock.advance(200);
    expect(fastStops).toEqual([]);
    core.close();
  });
});
