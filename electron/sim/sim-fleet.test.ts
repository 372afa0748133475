import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalFleetBus } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { SIM_STEP_MS, SimFleet } from './sim-fleet.js';

const PARKING: [number, number][] = [
  [10.0, 50.0],
  [10.001, 50.0],
  [10.001, 50.001],
];

const fleets: SimFleet[] = [];
afterEach(() => {
  for (const fleet of fleets.splice(0)) fleet.close();
});

/** A manual clock that also has input to let through: each later turn waits until `turn()`. */
function clockWithInput(): { clock: ManualClock; waiting: () => number; turn: () => void } {
  const later: (() => void)[] = [];
  const clock = Object.assign(new ManualClock(), {
    afterPendingInput: (fn: () => void) => later.push(fn),
  });
  return { clock, waiting: () => later.length, turn: () => later.shift()?.() };
}

function fleetOf(clock: ManualClock, count: number) {
  const fleet = new SimFleet({
    clock,
    bus: new LocalFleetBus({ clock }),
    count,
    parking: PARKING,
    implementWidthM: 12,
    fleetKey: FleetKey.generate(),
  });
  fleets.push(fleet);
  return {
    fleet,
    steps: fleet.tractors.map((t) => vi.spyOn(t, 'step')),
    reports: fleet.tractors.map((t) => vi.spyOn(t, 'report')),
  };
}

const calls = (spies: { mock: { calls: unknown[] } }[]): number[] =>
  spies.map((s) => s.mock.calls.length);

describe('SimFleet steps', () => {
  it('steps and reports every machine in one turn on a clock without input', () => {
    const clock = new ManualClock();
    const { steps, reports } = fleetOf(clock, 3);
    clock.advance(SIM_STEP_MS);
    expect(calls(steps)).toEqual([1, 1, 1]);
    expect(calls(reports)).toEqual([1, 1, 1]);
  });

  it('gives each machine a turn of its own where input may be waiting, reports after every step', () => {
    const { clock, waiting, turn } = clockWithInput();
    const { steps, reports } = fleetOf(clock, 3);
    clock.advance(SIM_STEP_MS);
    expect(calls(steps)).toEqual([1, 0, 0]);
    expect(waiting()).toBe(1);
    turn();
    expect(calls(steps)).toEqual([1, 1, 0]);
    turn();
    expect(calls(steps)).toEqual([1, 1, 1]);
    expect(calls(reports)).toEqual([0, 0, 0]);
    turn();
    expect(calls(reports)).toEqual([1, 0, 0]);
    turn();
    turn();
    expect(calls(reports)).toEqual([1, 1, 1]);
  });

  it('starts the next step only after the last machine has had its turn', () => {
    const { clock, waiting, turn } = clockWithInput();
    const { steps } = fleetOf(clock, 3);
    clock.advance(SIM_STEP_MS);
    clock.advance(3 * SIM_STEP_MS); // the turns have not come yet (a loaded machine)
    expect(calls(steps)).toEqual([1, 0, 0]);
    while (waiting() > 0) turn();
    expect(calls(steps)).toEqual([1, 1, 1]);
    // Time went on while the turns waited: the next step is due at once and covers it all.
    clock.advance(0);
    expect(calls(steps)).toEqual([2, 1, 1]);
    expect(steps[0]?.mock.calls[1]?.[0]).toBeCloseTo((3 * SIM_STEP_MS) / 1000, 6);
  });

  it('takes no further turn once closed', () => {
    const { clock, waiting, turn } = clockWithInput();
    const { fleet, steps } = fleetOf(clock, 3);
    clock.advance(SIM_STEP_MS);
    fleet.close();
    while (waiting() > 0) turn();
    expect(calls(steps)).toEqual([1, 0, 0]);
  });
});
