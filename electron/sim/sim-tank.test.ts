import { describe, expect, it } from 'vitest';
import type { RefillPlan, RefillTrip } from '../fleet/index.js';
import { SimTank, plannedShareReader } from './sim-tank.js';

const trip = (tractorId: string, usedShare: number): RefillTrip => ({
  tractorId,
  sectionId: 'S1',
  usedShare,
  leaveS: 0,
  arriveS: 0,
  fillStartS: 0,
  fillEndS: 0,
  backS: 0,
  queueS: 0,
});

describe('a simulated tank', () => {
  it('is due when the plan’s share of its fill is worked, and full again after a fill', () => {
    // 120 kg at 100 kg/ha: 12,000 m² a fill, 1,000 m of work at 12 m.
    const tank = new SimTank(
      { kind: 'hopper', amount: 120, ratePerHa: 100, fillPerMin: 60 },
      12,
      (k) => (k === 0 ? 0.5 : 1),
    );
    expect(tank.refillS).toBe(120);
    expect(tank.workLeftM()).toBeCloseTo(500, 6);
    tank.worked(500);
    expect(tank.due).toBe(true);
    expect(tank.level).toBeCloseTo(0.5, 6);
    tank.filled();
    expect(tank.level).toBe(1);
    expect(tank.workLeftM()).toBeCloseTo(1000, 6);
  });
});

describe('the plan’s trips as a machine reads them', () => {
  it('counts a new plan’s trips from the machine’s next one', () => {
    let plan: RefillPlan = { trips: [trip('a', 0.6), trip('b', 1), trip('a', 1)], queueSMax: 0 };
    const share = plannedShareReader(() => plan);
    expect(share('a', 0)).toBe(0.6);
    expect(share('a', 1)).toBe(1);
    // A replan after two trips: its first trip for the machine is the machine's third.
    plan = { trips: [trip('a', 0.8)], queueSMax: 0 };
    expect(share('a', 2)).toBe(0.8);
    expect(share('a', 3)).toBe(1);
  });
});
