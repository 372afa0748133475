import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import type { Motion } from './capability.js';
import type { SwathSegment } from './plan-types.js';
import { tractor } from './test-helpers/fleet.js';
import { legTimeS, sequenceTravelS, TURN_DISTANCE_M, withinS } from './travel-cost.js';
import type { XY } from './types.js';

const MOTION: Motion = { turningRadiusM: 6, turnSpeedMps: 2.5, transitSpeedMps: 5 };

function swath(start: XY, end: XY, widthM = 12): SwathSegment {
  return { start, end, widthM, lengthM: Math.hypot(end[0] - start[0], end[1] - start[1]) };
}

/** Back-and-forth swaths of `lengthM` every `widthM` metres north, starting eastbound at y = 0. */
function boustrophedon(rows: number, lengthM: number, widthM: number): SwathSegment[] {
  return Array.from({ length: rows }, (_, k) =>
    k % 2 === 0
      ? swath([0, k * widthM], [lengthM, k * widthM], widthM)
      : swath([lengthM, k * widthM], [0, k * widthM], widthM),
  );
}

describe('turn and transit cost', () => {
  it('times a headland turn into the adjacent swath as a semicircle when w = 2r', () => {
    const turnS = withinS({ swaths: boustrophedon(2, 100, 12) }, MOTION);
    expect(turnS).toBeCloseTo((Math.PI * 6) / 2.5, 6);
  });

  it('times the bulb turn of swaths closer than 2r and the straight between arcs past 2r', () => {
    const narrow = withinS({ swaths: boustrophedon(2, 100, 6) }, MOTION);
    const bulbM = 6 * (3 * Math.PI - 4 * Math.asin((6 + 12) / 24));
    expect(narrow).toBeCloseTo(bulbM / 2.5, 4);
    const wide = withinS({ swaths: boustrophedon(2, 100, 20) }, MOTION);
    expect(wide).toBeCloseTo((Math.PI * 6 + 8) / 2.5, 6);
  });

  it('drives straight on into a swath that continues the last one', () => {
    const run = [swath([0, 0], [50, 0]), swath([50, 0], [100, 0])];
    expect(withinS({ swaths: run }, MOTION)).toBe(0);
  });

  it('drives far approaches at transit speed beyond the last 40 m, as the machines do', () => {
    expect(legTimeS(30, 30, MOTION)).toBeCloseTo(12, 9);
    expect(legTimeS(140, 120, MOTION)).toBeCloseTo(TURN_DISTANCE_M / 2.5 + 100 / 5, 9);
  });

  it('reaches a section from where the machine stands, and skips sections with nothing to drive', () => {
    const a = { swaths: [swath([0, 0], [100, 0])] };
    const empty = {};
    const b = { swaths: [swath([100, 12], [0, 12])] };
    const [toA, none, toB] = sequenceTravelS([a, empty, b], MOTION, [0, -30]);
    expect(toA).toBeCloseTo(30 / 2.5, 9); // no heading known: the straight line
    expect(none).toBe(0);
    expect(toB).toBeCloseTo((Math.PI * 6) / 2.5, 6); // from a's end, not from nowhere
  });
});

describe('a plan with turns and transit', () => {
  // Eight sections, one 100 m swath each, rows 12 m apart driven back and forth.
  const rows = boustrophedon(8, 100, 12);
  const sections = rows.map((s, i) => ({
    id: `S${i}`,
    order: i,
    areaM2: 1200,
    centroid: [50, s.start[1]] as XY,
    swaths: [s],
  }));
  const turnS = (Math.PI * 6) / 2.5;

  it('counts every turn between the sections a machine drives in its makespan', () => {
    const plan = allocate({ sections, tractors: [tractor('a', 12, 4)], operation: 'tillage' });
    const workS = (8 * 1200) / 48;
    expect(plan.makespanS).toBeCloseTo(workS + 7 * turnS, 6);
    expect(plan.tractors[0]?.travelS).toBeCloseTo(7 * turnS, 6);
    // One machine: nothing to share, the bound is the plan.
    expect(plan.lowerBoundS).toBeLessThanOrEqual(plan.makespanS);
    expect(plan.lowerBoundS).toBeCloseTo(plan.makespanS, 3);
  });

  it('counts the way from where each machine stands to its first section', () => {
    const plan = allocate({
      sections,
      tractors: [tractor('a', 12, 4), tractor('b', 12, 4)],
      operation: 'tillage',
      positions: { a: [0, -20], b: [0, 200] },
    });
    for (const t of plan.tractors) {
      const own = plan.assignments.filter((x) => x.tractorId === t.tractorId);
      const first = own.find((x) => x.startS === 0);
      expect(first?.travelS).toBeGreaterThan(0);
      const workS = own.reduce((s, x) => s + x.remainingM2, 0) / 48;
      expect(t.finishS).toBeCloseTo(workS + t.travelS, 6);
      expect(plan.makespanS).toBeGreaterThanOrEqual(t.finishS);
    }
    // b stands 200 m north of the field: its way in is longer than a's 20 m.
    const into = (id: string): number =>
      plan.assignments.find((x) => x.tractorId === id && x.startS === 0)?.travelS ?? 0;
    expect(into('b')).toBeGreaterThan(into('a') + 20);
    expect(plan.makespanS).toBeGreaterThanOrEqual(plan.lowerBoundS);
  });

  it('leaves out a machine whose declared turning radius or speed is not a machine', () => {
    const plan = allocate({
      sections,
      tractors: [tractor('a', 12, 4), { ...tractor('b', 12, 4), turningRadiusM: -3 }],
      operation: 'tillage',
    });
    expect(plan.excluded).toEqual([{ tractorId: 'b', reason: 'invalid-motion' }]);
  });
});
