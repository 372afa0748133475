import { describe, expect, it } from 'vitest';
import { canFleet, movingIds } from './test-helpers/can-fleet.js';

describe('stop, release and resume on the real fleet link', () => {
  it('never lets a start sent before a stop arrive after its release', async () => {
    const f = await canFleet(2);
    f.station.command({ type: 'startJob' });
    await f.run(2_000, 5);
    f.station.command({ type: 'pauseJob' });
    await f.run(500, 5);
    expect(movingIds(f.tractors)).toEqual([]);

    // The resume's start to sim-02 is lost on the radio and waits to be tried again when the
    // fleet is stopped: the stop takes it back, so no later try can follow the release.
    f.fleet.setConnected('sim-02', false);
    f.station.command({ type: 'resumeJob' });
    await f.run(50, 5);
    const controlQueued = (): number | undefined =>
      f.fleet.station.linkStatus().find((p) => p.id === 'sim-02')?.queued.control;
    expect(controlQueued()).toBe(1);
    const stop = f.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? (stop.stopId ?? '') : '';
    expect(controlQueued()).toBe(0);
    f.fleet.setConnected('sim-02', true);
    expect(await f.runUntil(() => f.station.snapshot().stops[0]?.confirmed === 2, 1_000)).toBe(
      true,
    );
    expect(f.station.command({ type: 'release', stopId }).ok).toBe(true);
    await f.run(5_000, 5);

    expect(f.tractors.tractors.map((t) => t.currentState)).toEqual(['paused', 'paused']);
    f.close();
  });
});
