import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, ScenarioError } from './scenario.js';
import { demoFleet } from './test-helpers/demo-fleet.js';

describe('simulation scenarios', () => {
  it('cuts and restores a radio at the given times', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    runScenario(
      parseScenario({
        faults: [
          { atS: 1, tractor: 'sim-02', kind: 'radio-off' },
          { atS: 4, tractor: 'sim-02', kind: 'radio-on' },
        ],
      }),
      fleet.sim,
      fleet.clock,
    );
    fleet.run(3_000);
    expect(fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02')?.state).toBe(
      'comm-lost',
    );
    fleet.run(2_000);
    expect(fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02')?.state).not.toBe(
      'comm-lost',
    );
    fleet.close();
  });

  it('injects a machine fault and a mode refusal at the given times', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    runScenario(
      parseScenario({
        faults: [
          { atS: 2, tractor: 'sim-01', kind: 'fail', reason: 'seed blockage' },
          { atS: 2, tractor: 'sim-02', kind: 'refuse-mode', reason: 'no RTK fix' },
        ],
      }),
      fleet.sim,
      fleet.clock,
    );
    fleet.run(3_000);
    expect(fleet.sim.tractor('sim-01')?.currentState).toBe('stopped');
    fleet.station.command({ type: 'setMode', mode: 'supervised' });
    fleet.run(500);
    const messages = fleet.station.snapshot().alerts.map((a) => a.message);
    expect(messages.some((m) => m.includes('seed blockage'))).toBe(true);
    expect(messages.some((m) => m.includes('no RTK fix'))).toBe(true);
    fleet.close();
  });

  it('refuses a malformed scenario with a message naming the field', () => {
    expect(() =>
      parseScenario({ faults: [{ atS: -1, tractor: 'sim-01', kind: 'radio-off' }] }),
    ).toThrow(/faults\.0\.atS/);
    expect(() =>
      parseScenario({ faults: [{ atS: 1, tractor: 'sim-01', kind: 'explode' }] }),
    ).toThrow(ScenarioError);
  });

  it('refuses a scenario that names a tractor the fleet does not have', () => {
    const fleet = demoFleet(1);
    expect(() =>
      runScenario(
        parseScenario({ faults: [{ atS: 1, tractor: 'sim-09', kind: 'radio-off' }] }),
        fleet.sim,
        fleet.clock,
      ),
    ).toThrow(/sim-09/);
    fleet.close();
  });

  it('takes a refill setup and refuses a capacity it cannot trust, naming the figure', () => {
    const refill = { capacity: { kind: 'tank', amount: 3000, ratePerHa: 200, fillPerMin: 500 } };
    expect(parseScenario({ refill }).refill).toEqual(refill);
    expect(() =>
      parseScenario({ refill: { capacity: { ...refill.capacity, fillPerMin: 0 } } }),
    ).toThrow(/refill\.capacity/);
    expect(() => parseScenario({ refill: { point: [200, 0] } })).toThrow(/refill\.point/);
  });
});
