import { describe, expect, it } from 'vitest';
import { fleetHarness } from './test-helpers/fleet-harness.js';
import { ALL_TRACTORS, MSG } from './wire-format.js';

describe('priority lanes on the bus', () => {
  it('a saturating bulk flood delays neither a command nor an e-stop', async () => {
    const h = await fleetHarness({ tractors: 3 });
    const station = h.fleet.station;
    const keepFlooding = (): void => {
      for (const id of ['sim-01', 'sim-02', 'sim-03'])
        while (station.engine.queued(id).bulk < 200)
          station.sendReliable(id, MSG.BULK_DATA, Uint8Array.of(7, 7));
    };
    keepFlooding();
    await h.run(200);
    expect(h.bus.busLoad(100)).toBeGreaterThan(0.9);

    const delivered: { type: number; atMs: number }[] = [];
    h.fleet.tractors
      .get('sim-02')
      ?.link.onReliable((_p, type) => delivered.push({ type, atMs: h.clock.now() }));
    let estopAtMs = Number.NaN;
    h.fleet.tractorPort('sim-03').onMessage((m) => {
      if (m.kind === 'estop') estopAtMs = h.clock.now();
    });
    keepFlooding();
    const t0 = h.clock.now();
    station.sendReliable('sim-02', MSG.START, new Uint8Array());
    station.sendEstop(ALL_TRACTORS, 0x1234);
    for (let i = 0; i < 10; i++) {
      keepFlooding();
      await h.run(1);
    }
    const start = delivered.find((d) => d.type === MSG.START);
    // One frame on the wire (~0.5 ms) plus our own frame time: the flood adds at most a frame.
    expect(estopAtMs - t0).toBeLessThanOrEqual(2);
    expect((start?.atMs ?? Infinity) - t0).toBeLessThanOrEqual(4);
    h.fleet.close();
  });
});
