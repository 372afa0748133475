/**
 * A station restarted without its outbox starts its numbering over: it must take a new epoch,
 * or a tractor that already delivered those numbers from the station takes every fresh message
 * for a duplicate, acknowledges it and drops it (an assignment or a start silently lost).
 */
import { describe, expect, it } from 'vitest';
import { fleetHarness } from './test-helpers/fleet-harness.js';

describe('a station restarted without its outbox', () => {
  it('takes a new epoch every time, so each message after a restart reaches the tractor', async () => {
    const h = await fleetHarness({ tractors: 1, seed: 3 });
    const heard = (): number => h.atTractor.get('sim-01')!.filter((m) => m.kind === 'pause').length;
    const epochs = [h.fleet.station.engine.epoch];
    const restarts = 150;
    for (let i = 0; i < restarts; i++) {
      // A few messages each life, so the tractor's numbering of the station runs ahead of 0.
      for (let k = 0; k < 3; k++) h.fleet.stationPort().send('sim-01', { kind: 'pause' });
      await h.run(300);
      const started = h.fleet.restartStation();
      await h.run(700);
      await started;
      epochs.push(h.fleet.station.engine.epoch);
    }
    h.fleet.stationPort().send('sim-01', { kind: 'pause' });
    await h.run(300);
    expect(heard()).toBe(restarts * 3 + 1);
    for (let i = 1; i < epochs.length; i++) expect(epochs[i]).not.toBe(epochs[i - 1]);
    h.fleet.close();
  }, 60_000);
});
