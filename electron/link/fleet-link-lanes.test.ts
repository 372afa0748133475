import { describe, expect, it } from 'vitest';
import { fleetHarness } from './test-helpers/fleet-harness.js';
import { STATION_HEARTBEAT_MS } from './safety-timing.js';
import { ALL_TRACTORS, MSG, PGN_ESTOP, PGN_HEARTBEAT, PGN_STOP_CONFIRM } from './wire-format.js';

const pgnOf = (id: number): number => (id >>> 8) & 0x3ffff;

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

  it("keeps the station's heartbeat ahead of the machines' stop confirmations", async () => {
    const h = await fleetHarness({ tractors: 20 });
    for (const id of h.fleet.tractors.keys()) {
      const port = h.fleet.tractorPort(id);
      port.onMessage((m) => {
        if (m.kind === 'estop') port.send({ kind: 'stop-confirm', stopId: m.stopId });
      });
    }
    const station = h.fleet.stationNode.address;
    const heartbeatsAtMs: number[] = [];
    const confirmsAtMs: number[] = [];
    let estops = 0;
    h.bus.onCapture((frame) => {
      if (pgnOf(frame.id) === PGN_HEARTBEAT && (frame.id & 0xff) === station)
        heartbeatsAtMs.push(h.clock.now());
      if (pgnOf(frame.id) === PGN_STOP_CONFIRM) confirmsAtMs.push(h.clock.now());
      if (pgnOf(frame.id) === PGN_ESTOP) estops++;
    });
    await h.run(100);
    // Three stops in a row: sixty confirmations, 30 ms of wire at 250 kbit/s, all at once.
    for (let i = 0; i < 3; i++) h.fleet.stationPort().broadcast({ kind: 'estop', stopId: `s${i}` });
    await h.run(200);
    expect(confirmsAtMs.length).toBeGreaterThanOrEqual(60);
    // No confirmation still waiting its turn on the wire is taken for a lost one: the three
    // stops went out once each, with no targeted copies chasing them.
    expect(estops).toBe(3);
    const gaps = heartbeatsAtMs.slice(1).map((t, i) => t - (heartbeatsAtMs[i] ?? t));
    // A period, and at most a frame or two on the wire ahead of it (each ~0.5 ms).
    expect(Math.max(...gaps)).toBeLessThanOrEqual(STATION_HEARTBEAT_MS + 2);
    h.fleet.close();
  });
});
