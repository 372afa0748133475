/**
 * Fault injection on the real fleet link: the station and simulated tractors as ISOBUS nodes on
 * a 250 kbit/s virtual CAN bus (ManualClock, seeded faults), stopping under random and burst
 * loss, with a tractor partitioned during the stop, and with a tractor joining while a stop is
 * in force. electron/sim/fleet-stop.test.ts covers the same on the in-process bus without faults.
 */
import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../shared/index.js';
import { STATION_SILENCE_STOP_MS } from '../link/index.js';
import { canFleet, movingIds, type CanFleet } from './test-helpers/can-fleet.js';

/** Positions of every tractor now, by id. */
function positions(f: CanFleet): Map<string, LonLat> {
  return new Map(f.tractors.tractors.map((t) => [t.id, t.currentPosition]));
}

/** Runs `ms` and fails if a tractor that was stopped at the start moves or leaves 'stopped'. */
async function expectStill(f: CanFleet, ms: number): Promise<void> {
  const at = positions(f);
  for (let t = 0; t < ms; t += 10) {
    await f.run(10, 10);
    for (const tractor of f.tractors.tractors) {
      expect(tractor.currentState).toBe('stopped');
      expect(tractor.currentPosition).toEqual(at.get(tractor.id));
    }
  }
}

async function workingFleet(count: number): Promise<CanFleet> {
  const f = await canFleet(count);
  expect(f.station.command({ type: 'startJob' }).ok).toBe(true);
  expect(await f.runUntil(() => movingIds(f.tractors).length === count, 20_000, 10)).toBe(true);
  return f;
}

function stopOf(f: CanFleet, stopId: string | undefined) {
  return f.station.snapshot().stops.find((s) => s.id === stopId);
}

describe('fleet stop on the CAN link under frame loss', () => {
  it.each([0, 0.1, 0.2, 0.3])(
    'every tractor stops and confirms at %s random frame loss, and none moves afterwards',
    async (loss) => {
      const f = await workingFleet(6);
      f.bus.configureFaults({ lossProbability: loss });
      const issuedAt = f.clock.now();
      const stop = f.station.command({ type: 'fleetStop' });
      const stopId = stop.ok ? stop.stopId : undefined;
      const allStopped = (): boolean =>
        f.tractors.tractors.every((t) => t.currentState === 'stopped');
      expect(await f.runUntil(allStopped, 1_000)).toBe(true);
      const stoppedAfter = f.clock.now() - issuedAt;
      const confirmed = (): boolean => stopOf(f, stopId)?.confirmed === 6;
      expect(await f.runUntil(confirmed, 1_000, 5)).toBe(true);
      // Stops travel as repeated single frames: a few lost copies cost milliseconds, not seconds.
      expect(stoppedAfter).toBeLessThanOrEqual(loss === 0 ? 5 : 200);
      await expectStill(f, 3_000);
      f.close();
    },
  );

  it('holds under burst loss (every receiver deaf for runs of frames) on top of 5% random loss', async () => {
    const f = await workingFleet(6);
    // Gilbert–Elliott: a burst starts on 2% of frames and lasts ~1/0.15 ≈ 7 frames on average.
    f.bus.configureFaults({
      lossProbability: 0.05,
      burstEnterProbability: 0.02,
      burstExitProbability: 0.15,
    });
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? stop.stopId : undefined;
    expect(await f.runUntil(() => stopOf(f, stopId)?.confirmed === 6, 2_000)).toBe(true);
    await expectStill(f, 3_000);
    expect(f.bus.stats().deliveriesLost).toBeGreaterThan(0);
    f.close();
  });
});

describe('partitions and late joiners during a stop', () => {
  it('a tractor cut off during a fleet stop stops by itself, shows lost, and confirms when it is back', async () => {
    const f = await workingFleet(4);
    const cut = f.tractors.tractors.find((t) => t.id === 'sim-03')!;
    let lastBeat = Number.NaN;
    f.fleet.tractorPort('sim-03').onMessage((m) => {
      if (m.kind === 'heartbeat') lastBeat = f.clock.now();
    });
    await f.run(100);
    f.fleet.setConnected('sim-03', false);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? stop.stopId : undefined;
    expect(await f.runUntil(() => cut.currentState === 'stopped', 1_000)).toBe(true);
    // Stopped by the silence of the station, not by the e-stop it never heard.
    expect(f.clock.now() - lastBeat).toBeGreaterThanOrEqual(STATION_SILENCE_STOP_MS);
    expect(f.clock.now() - lastBeat).toBeLessThanOrEqual(STATION_SILENCE_STOP_MS + 1);
    await f.run(600, 10);
    const tractor = (): string | undefined =>
      f.station.snapshot().tractors.find((t) => t.id === 'sim-03')?.stop.status;
    expect(tractor()).toBe('lost');
    expect(stopOf(f, stopId)).toMatchObject({ confirmed: 3, total: 4 });
    await expectStill(f, 2_000);

    f.fleet.setConnected('sim-03', true);
    expect(await f.runUntil(() => tractor() === 'confirmed', 2_000)).toBe(true);
    // The fleet stop holds it; the station does not add a stop of its own for the silence.
    expect(f.station.snapshot().stops).toHaveLength(1);
    await expectStill(f, 1_000);
    expect(f.station.command({ type: 'release', stopId: stopId! }).ok).toBe(true);
    expect(
      await f.runUntil(() => f.tractors.tractors.every((t) => t.currentState === 'paused'), 1_000),
    ).toBe(true);
    f.close();
  });

  it('a tractor that joins while a fleet stop is active is stopped at once and never moves', async () => {
    const f = await workingFleet(3);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? stop.stopId : undefined;
    expect(await f.runUntil(() => stopOf(f, stopId)?.confirmed === 3, 500)).toBe(true);
    const late = f.join(1, 'late-');
    const newcomer = late.tractors[0]!;
    const parked = newcomer.currentPosition;
    expect(await f.runUntil(() => stopOf(f, stopId)?.total === 4, 3_000, 5)).toBe(true);
    expect(await f.runUntil(() => stopOf(f, stopId)?.confirmed === 4, 1_000)).toBe(true);
    expect(newcomer.currentState).toBe('stopped');
    expect(f.station.command({ type: 'resumeJob' }).ok).toBe(false);
    await f.run(3_000, 10);
    expect(newcomer.currentState).toBe('stopped');
    expect(newcomer.currentPosition).toEqual(parked);
    f.close();
  });

  it('a resume given right after a release, which overtakes it on the wire, still sets the fleet working', async () => {
    const f = await workingFleet(3);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? stop.stopId : undefined;
    expect(await f.runUntil(() => stopOf(f, stopId)?.confirmed === 3, 500)).toBe(true);
    expect(f.station.command({ type: 'release', stopId: stopId! }).ok).toBe(true);
    // Same instant: the start (one frame) beats the authenticated release (a TP transfer).
    expect(f.station.command({ type: 'resumeJob' }).ok).toBe(true);
    await f.run(5);
    expect(f.tractors.tractors.some((t) => t.currentState === 'stopped')).toBe(true);
    expect(await f.runUntil(() => movingIds(f.tractors).length === 3, 3_000, 5)).toBe(true);
    f.close();
  });

  it('a released tractor stays paused while the job runs, even when a replan hands it work', async () => {
    const f = await workingFleet(2);
    const stop = f.station.command({ type: 'tractorStop', tractorId: 'sim-01' });
    const stopId = stop.ok ? stop.stopId : undefined;
    expect(await f.runUntil(() => stopOf(f, stopId)?.confirmed === 1, 500)).toBe(true);
    expect(f.station.command({ type: 'release', stopId: stopId! }).ok).toBe(true);
    const sim01 = f.tractors.tractors.find((t) => t.id === 'sim-01')!;
    expect(await f.runUntil(() => sim01.currentState === 'paused', 1_000)).toBe(true);
    // The other tractor falls silent long enough for its work to be replanned onto sim-01.
    const sim02Sections = new Set(
      f.station
        .snapshot()
        .sections.filter((s) => s.tractorId === 'sim-02')
        .map((s) => s.id),
    );
    f.fleet.setConnected('sim-02', false);
    await f.run(12_000, 10);
    const moved = f.station
      .snapshot()
      .sections.filter((s) => sim02Sections.has(s.id) && s.tractorId === 'sim-01');
    expect(moved.length).toBeGreaterThan(0);
    expect(sim01.currentState).toBe('paused');
    // The operator sets it going again; a tractor still held cannot be.
    expect(f.station.command({ type: 'resumeTractor', tractorId: 'sim-02' })).toMatchObject({
      ok: false,
    });
    expect(f.station.command({ type: 'resumeTractor', tractorId: 'sim-01' }).ok).toBe(true);
    expect(await f.runUntil(() => movingIds(f.tractors).includes('sim-01'), 2_000)).toBe(true);
    f.close();
  });
});
