import { describe, expect, it } from 'vitest';
import type { ImplementCapacity } from '../../shared/index.js';
import { allocate } from './allocate.js';
import type { TractorCapability } from './capability.js';
import { planRefills, withRefills, type RefillInput } from './refill-plan.js';
import { sections, tractor } from './test-helpers/fleet.js';
import type { XY } from './types.js';

/** 30 L at 100 L/ha: 3,000 m² a fill; 30 L/min: a 60 s refill. */
const TANK: ImplementCapacity = { kind: 'tank', amount: 30, ratePerHa: 100, fillPerMin: 30 };
/**
 * Every section 500 m from the point; each way the machine turns round (a half turn of 6 m
 * radius) and drives the last 40 m at 2.5 m/s, the rest at 5 m/s.
 */
const AWAY: XY = [500, 0];
const POINT: XY = [0, 0];
const LEG_S = 40 / 2.5 + (500 + Math.PI * 6 - 40) / 5;
const TRIP_S = LEG_S + 60 + LEG_S;

/** Machines 10 m wide at 1 m/s (10 m²/s) sharing sections of 1,000 m² (100 s each). */
function input(machines: TractorCapability[], count: number, extra: Partial<RefillInput> = {}) {
  const list = sections(new Array<number>(count).fill(1000));
  const plan = allocate({ sections: list, tractors: machines, operation: 'spraying' });
  const centroids = new Map(list.map((s) => [s.id, AWAY] as const));
  return { plan, centroids, tractors: machines, point: POINT, ...extra };
}

const sprayer = (id: string, capacity: ImplementCapacity = TANK): TractorCapability => ({
  ...tractor(id, 10, 1, 1, 'sprayer'),
  capacity,
});

describe('refill trips in a planned run', () => {
  it('sends a machine to the point each time its tank runs out, and counts the trips in its finish', () => {
    const i = input([sprayer('a')], 10);
    const refills = planRefills(i);
    expect(refills.trips.map((t) => t.usedShare)).toEqual([1, 1, 1]);
    const leaves = refills.trips.map((t) => t.leaveS);
    [300, 600 + TRIP_S, 900 + 2 * TRIP_S].forEach((s, k) => expect(leaves[k]).toBeCloseTo(s, 6));
    expect(refills.trips[0]?.arriveS).toBeCloseTo(300 + LEG_S, 6);
    expect(refills.trips[0]?.fillEndS).toBeCloseTo(300 + LEG_S + 60, 6);
    expect(refills.trips[0]?.backS).toBeCloseTo(300 + TRIP_S, 6);
    const plan = withRefills(i.plan, refills);
    expect(plan.makespanS).toBeCloseTo(1000 + 3 * TRIP_S, 6);
    // The section after the first trip starts when the machine is back.
    const s3 = plan.assignments.find((a) => a.sectionId === 'S3');
    expect(s3?.startS).toBeCloseTo(300 + TRIP_S, 6);
    expect(plan.assignments.find((a) => a.sectionId === 'S2')?.finishS).toBeCloseTo(
      s3?.startS ?? 0,
    );
  });

  it('plans no trip for a machine with nothing to refill or a tank that lasts the run', () => {
    const plain = input([tractor('p', 10, 1, 1, 'sprayer')], 10);
    expect(planRefills(plain).trips).toEqual([]);
    expect(withRefills(plain.plan, planRefills(plain))).toBe(plain.plan);
    const big = input([sprayer('a', { ...TANK, amount: 100 })], 10);
    expect(planRefills(big).trips).toEqual([]);
  });

  it('staggers two machines that would run out together: one tops up early, nobody queues', () => {
    const refills = planRefills(input([sprayer('a'), sprayer('b')], 20, { gapS: 0 }));
    expect(refills.queueSMax).toBe(0);
    const [first, second] = refills.trips.slice(0, 2).sort((x, y) => x.fillStartS - y.fillStartS);
    expect(first && second).toBeTruthy();
    expect(first!.fillEndS).toBeLessThanOrEqual(second!.fillStartS + 1e-6);
    expect(Math.min(first!.usedShare, second!.usedShare)).toBeCloseTo(0.8, 6);
    const fills = refills.trips.map((t) => [t.fillStartS, t.fillEndS] as const);
    for (const [s, e] of fills)
      for (const [s2, e2] of fills)
        if (s !== s2) expect(e <= s2 + 1e-6 || e2 <= s + 1e-6).toBe(true);
  });

  it('keeps the gap between fills and reports the wait when no early top-up is worth it', () => {
    // With 120 s kept free either side, the second machine would have to leave at 40% used.
    const refills = planRefills(input([sprayer('a'), sprayer('b')], 20, { gapS: 120 }));
    const b = refills.trips.find((t) => t.tractorId === 'b');
    expect(b?.usedShare).toBe(1);
    expect(b?.fillStartS).toBeCloseTo(300 + LEG_S + 60 + 120, 6);
    expect(b?.queueS).toBeCloseTo(180, 6);
    expect(refills.queueSMax).toBeCloseTo(180, 6);
  });

  it('keeps as much free either side of a fill as the fill takes, by default', () => {
    // 60 s fills: the second machine's fill may start 60 s after the first's ends, or end 60 s
    // before it starts; leaving at 60% used does that.
    const refills = planRefills(input([sprayer('a'), sprayer('b')], 20));
    expect(refills.queueSMax).toBe(0);
    const b = refills.trips.find((t) => t.tractorId === 'b');
    expect(b?.usedShare).toBeCloseTo(0.6, 6);
    expect(b?.fillEndS).toBeCloseTo(300 + LEG_S - 60, 6);
  });

  it('starts from the ground a machine has already worked on its fill', () => {
    const refills = planRefills(input([sprayer('a')], 10, { usedM2: { a: 2000 } }));
    expect(refills.trips[0]?.leaveS).toBeCloseTo(100, 6);
  });

  it('counts a section by the ground the machine spreads on it, not by its ground left', () => {
    // A neighbour's passes reached 40% of every section: 600 m² of each is left unworked, but
    // the machine drives all of its swaths and spreads on 1,000 m² (3,000 m² a fill).
    const base = input([sprayer('a')], 10);
    const plan = {
      ...base.plan,
      assignments: base.plan.assignments.map((a) => ({ ...a, remainingM2: 600 })),
    };
    const spreadLeftM2 = new Map(plan.assignments.map((a) => [a.sectionId, 1000]));
    const refills = planRefills({ ...base, plan, spreadLeftM2 });
    expect(refills.trips.map((t) => t.sectionId)).toEqual(['S2', 'S5', 'S8']);
    expect(refills.trips[0]?.leaveS).toBeCloseTo(300, 6);
    // By the ground left it would have lasted five sections.
    expect(planRefills({ ...base, plan }).trips[0]?.leaveS).toBeCloseTo(500, 6);
  });

  it('has the machine met at the point top up earlier when the one that would wait cannot', () => {
    // 60 s fills, 60 s kept free either side. a starts 400 m² used and runs out at 260 s, b at
    // 300 s: b would have to leave at 140 s (47% used) to fill before a, so it would wait 80 s.
    // a instead tops up at 180 s (73% used) and b fills on time.
    const refills = planRefills(input([sprayer('a'), sprayer('b')], 20, { usedM2: { a: 400 } }));
    expect(refills.queueSMax).toBe(0);
    const [a, b] = ['a', 'b'].map((id) => refills.trips.find((t) => t.tractorId === id));
    expect(a?.leaveS).toBeCloseTo(180, 6);
    expect(a?.usedShare).toBeCloseTo(2200 / 3000, 6);
    expect(b?.leaveS).toBeCloseTo(300, 6);
    expect(b?.usedShare).toBe(1);
    expect(b!.fillStartS - a!.fillEndS).toBeGreaterThanOrEqual(60 - 1e-6);
  });

  it('keeps the point for a machine filling there when the trips are placed again, its run going on after its fill', () => {
    // b runs out at 1 s and would fill on arrival; a fills now (0-60 s), 60 s kept free after it.
    const arriveS = 1 + LEG_S;
    const base = input([sprayer('a'), sprayer('b')], 20, { usedM2: { b: 2990 } });
    const unseen = planRefills(base);
    expect(unseen.trips.find((t) => t.tractorId === 'b')?.fillStartS).toBeCloseTo(arriveS, 6);
    const refills = planRefills({
      ...base,
      away: [{ tractorId: 'a', position: POINT, filling: true }],
    });
    const b = refills.trips.find((t) => t.tractorId === 'b');
    expect(b?.fillStartS).toBeCloseTo(60 + 60, 6);
    expect(b?.queueS).toBeCloseTo(120 - arriveS, 6);
    // a is full once its fill is done, and its next trip comes a whole fill's work after that.
    const a = refills.trips.filter((t) => t.tractorId === 'a');
    expect(a[0]?.leaveS).toBeCloseTo(60 + 300, 6);
    expect(unseen.trips.find((t) => t.tractorId === 'a')?.leaveS).toBeCloseTo(300, 6);
  });

  it('keeps the point for a machine on its way there from where it is', () => {
    // a is 250 m from the point: 40 m at 2.5 m/s and 210 m at 5 m/s, a fill from 58 s to 118 s.
    const base = input([sprayer('a'), sprayer('b')], 20, { usedM2: { b: 2990 } });
    const refills = planRefills({
      ...base,
      away: [{ tractorId: 'a', position: [250, 0], filling: false }],
    });
    expect(refills.trips.find((t) => t.tractorId === 'b')?.fillStartS).toBeCloseTo(58 + 60 + 60, 6);
    expect(refills.trips.find((t) => t.tractorId === 'a')?.leaveS).toBeCloseTo(118 + 300, 6);
  });
});
