import { describe, expect, it } from 'vitest';
import type { TractorToStation } from './fleet-messages.js';
import { fleetHarness } from './test-helpers/fleet-harness.js';

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

function telemetry(toM: number, state: Telemetry['state'] = 'working'): Telemetry {
  return {
    kind: 'telemetry',
    position: [10.1, 50.2],
    headingDeg: 0,
    speedMps: state === 'working' ? 2.5 : 0,
    state,
    mode: 'autonomous',
    currentSectionId: 'S0001',
    coverage: { sectionId: 'S0001', fromM: 0, toM },
  };
}

describe('FleetLinkTractorPort progress', () => {
  it('sends a stopped machine’s unchanged progress once, and again when it grows', async () => {
    const h = await fleetHarness({ tractors: 1 });
    const port = h.fleet.tractorPort('sim-01');
    const engine = h.fleet.tractor('sim-01').link.engine;
    const before = engine.counters.accepted;
    // Stopped 12.5 m into its leg: the same cumulative interval at 10 Hz for 10 s.
    for (let i = 0; i < 100; i++) {
      port.send(telemetry(12.5, 'stopped'));
      await h.run(100);
    }
    expect(engine.counters.accepted - before).toBe(1);
    port.send(telemetry(15));
    await h.run(2_100);
    port.send(telemetry(15));
    await h.run(2_100);
    expect(engine.counters.accepted - before).toBe(2);
  });

  it('does not fill the sync lane with copies while the station is unreachable', async () => {
    const h = await fleetHarness({ tractors: 1 });
    const port = h.fleet.tractorPort('sim-01');
    const link = h.fleet.tractor('sim-01').link;
    h.fleet.setConnected('sim-01', false);
    for (let i = 0; i < 600; i++) {
      port.send(telemetry(12.5, 'stopped'));
      await h.run(100);
    }
    expect(link.engine.queued('station').sync).toBeLessThanOrEqual(1);
  });

  it('sends an unchanged report again once its copy expired undelivered', async () => {
    const ttl = { safety: 10_000, control: 60_000, sync: 3_000, bulk: 600_000 };
    const h = await fleetHarness({ tractors: 1, config: { reliable: { defaultTtlMs: ttl } } });
    const port = h.fleet.tractorPort('sim-01');
    const link = h.fleet.tractor('sim-01').link;
    h.fleet.setConnected('sim-01', false);
    const before = link.engine.counters.accepted;
    for (let i = 0; i < 50; i++) {
      port.send(telemetry(12.5, 'stopped'));
      await h.run(100);
    }
    // One copy, expired after 3 s; the next flush sends it again.
    expect(link.engine.counters.accepted - before).toBe(2);
  });
});
