/**
 * Machines that run out: the station plans refill trips, the simulated machines empty their
 * hoppers as they work, drive to the job's refill point with the implement up, fill and come back
 * to where they stopped, and the job still finishes with its ground worked. In-process fleet
 * link, ManualClock.
 */
import { describe, expect, it } from 'vitest';
import type { ImplementCapacity, LonLat } from '../../shared/index.js';
import { TangentFrame, type ValidField } from '../fleet/index.js';
import { assetField } from '../fleet/test-helpers/fields.js';
import { edgeRefillPoint } from '../sim/index.js';
import { ManualClock } from '../time/index.js';
import { createSimulatedStation } from './simulation.js';
import { startedJob } from './test-helpers/started-job.js';

const STEP_MS = 100;
/** A machine counts as at the point within this (the way finder's arrival tolerance and more). */
const AT_POINT_M = 3;

const paddock = (): Promise<ValidField> => assetField('small-paddock.geojson');

interface Run {
  finished: boolean;
  fraction: number;
  trips: number;
  /** The plan's own longest queue at the point. */
  plannedQueueS: number;
  plannedS: number;
  lastTripBackS: number;
  reached: string[];
  workingWhileAway: string[];
  waitMaxS: number;
  /** The map's view of sim-01's hopper: the lowest level shown, and the highest after it. */
  levels: { low: number; refilledTo: number };
  refillPoint: LonLat | null | undefined;
}

/** Two machines work the paddock to the end (or 3× the planned makespan). */
function work(field: ValidField, refill?: { point: LonLat; capacity: ImplementCapacity }): Run {
  const clock = new ManualClock();
  const sim = createSimulatedStation({
    clock,
    field,
    simCount: 2,
    link: 'local',
    name: 'refill',
    ...(refill ? { refill } : {}),
  });
  try {
    const { station } = sim;
    const tractors = sim.sim?.tractors ?? [];
    const plannedS = startedJob(sim, clock, 2, STEP_MS);
    const trips = station.refillPlan().trips;
    const frame = new TangentFrame(field.origin);
    const [px, py] = refill ? frame.toLocal(refill.point) : [NaN, NaN];
    const reached = new Set<string>();
    const workingWhileAway: string[] = [];
    const startMs = clock.now();
    const levels = { low: 1, refilledTo: 0 };
    while (station.jobState() !== 'finished' && clock.now() - startMs < plannedS * 3000) {
      clock.advance(STEP_MS);
      if ((clock.now() - startMs) % 1_000 === 0) {
        const level = station.snapshot().tractors.find((t) => t.id === 'sim-01')?.tank?.level;
        if (level !== undefined && level < levels.low) levels.low = level;
        else if (level !== undefined && levels.low < 0.2)
          levels.refilledTo = Math.max(levels.refilledTo, level);
      }
      for (const t of tractors) {
        if (!t.refilling) continue;
        if (t.currentState === 'working') workingWhileAway.push(t.id);
        const [x, y] = frame.toLocal(t.currentPosition);
        if (Math.hypot(x - px, y - py) <= AT_POINT_M) reached.add(t.id);
      }
    }
    return {
      finished: station.jobState() === 'finished',
      fraction: station.snapshot().job.progress.fraction,
      trips: trips.length,
      plannedQueueS: station.refillPlan().queueSMax,
      plannedS,
      lastTripBackS: Math.max(0, ...trips.map((t) => t.backS)),
      reached: [...reached].sort(),
      workingWhileAway,
      waitMaxS: sim.sim?.refillWaitMaxS ?? 0,
      levels,
      refillPoint: station.snapshot().field.refillPoint,
    };
  } finally {
    sim.close();
  }
}

describe('refill trips in a simulated job', () => {
  it('empties, refills at the point with the work off, returns, and finishes the field', async () => {
    const field = await paddock();
    // A hopper for a fifth of the paddock: each of two machines needs about two trips.
    const perFillHa = field.areaM2 / 10_000 / 5;
    const capacity: ImplementCapacity = {
      kind: 'hopper',
      amount: perFillHa * 100,
      ratePerHa: 100,
      fillPerMin: perFillHa * 300, // 20 s to fill: room at the point to stagger the two
    };
    const without = work(field);
    const run = work(field, { point: edgeRefillPoint(field), capacity });
    expect(run.trips).toBeGreaterThanOrEqual(2);
    // The trips are in the plan's makespan.
    expect(run.plannedS).toBeGreaterThan(without.plannedS);
    expect(run.plannedS).toBeGreaterThanOrEqual(run.lastTripBackS);
    expect(run.finished).toBe(true);
    // Every machine went to the point; none worked on the way; the ground left is the same.
    expect(run.reached).toEqual(['sim-01', 'sim-02']);
    expect(run.workingWhileAway).toEqual([]);
    expect(run.fraction).toBeGreaterThanOrEqual(without.fraction - 0.002);
    // The plan staggered the trips (one tops up early) and nobody waited at the point.
    expect(run.plannedQueueS).toBe(0);
    expect(run.waitMaxS).toBe(0);
    // The map shows the point, and the hopper running low and full again after the trip.
    expect(run.refillPoint).toEqual(edgeRefillPoint(field));
    expect(run.levels.low).toBeLessThan(0.2);
    expect(run.levels.refilledTo).toBeGreaterThan(0.9);
  }, 60_000);

  it('keeps the plan’s stagger after a rebalance replans the trips mid-job: nobody waits', async () => {
    const field = await paddock();
    // About 2.5 trips a machine, each fill a quarter of a fill's work at the slowest machine's
    // 3.6 m/s with the 12 m implement: the live rebalance replans the run between two trips,
    // from each machine's fill as the station reads it.
    const perFillM2 = field.areaM2 / (2 * 3.5);
    const amount = (perFillM2 / 10_000) * 150;
    const fillS = perFillM2 / (12 * 3.6) / 4;
    const capacity: ImplementCapacity = {
      kind: 'hopper',
      amount,
      ratePerHa: 150,
      fillPerMin: (amount / fillS) * 60,
    };
    const run = work(field, { point: edgeRefillPoint(field), capacity });
    expect(run.finished).toBe(true);
    expect(run.plannedQueueS).toBe(0);
    expect(run.waitMaxS).toBe(0);
  }, 60_000);

  it('places the trips again when a machine leaves for the point, its trip under way kept out of them', async () => {
    const field = await paddock();
    const count = 3;
    // A hopper for about 2.5 trips a machine (the bench's): three machines' trips overlap, so
    // another machine is nearly always away when one leaves or comes back.
    const perFillM2 = field.areaM2 / (count * 3.5);
    const amount = (perFillM2 / 10_000) * 150;
    const fillS = perFillM2 / (12 * 3.6) / (2 * count);
    const capacity: ImplementCapacity = {
      kind: 'hopper',
      amount,
      ratePerHa: 150,
      fillPerMin: (amount / fillS) * 60,
    };
    const clock = new ManualClock();
    const sim = createSimulatedStation({
      clock,
      field,
      simCount: count,
      link: 'local',
      name: 'refill',
      refill: { point: edgeRefillPoint(field), capacity },
    });
    try {
      const { station } = sim;
      const plannedS = startedJob(sim, clock, count, STEP_MS);
      const first = station.refillPlan();
      const startMs = clock.now();
      const leaving = (): string | undefined => sim.sim?.tractors.find((t) => t.refilling)?.id;
      while (!leaving() && clock.now() - startMs < plannedS * 1000) clock.advance(STEP_MS);
      const id = leaving();
      expect(id).toBeDefined();
      clock.advance(1_000);
      const again = station.refillPlan();
      expect(again).not.toBe(first);
      // Timed from now: the machine's first trip in it is its next one, a fill's work after this.
      const own = again.trips.filter((t) => t.tractorId === id);
      const before = first.trips.filter((t) => t.tractorId === id);
      expect(own.length).toBe(before.length - 1);
      expect(own[0]?.leaveS ?? Infinity).toBeGreaterThan(fillS);
    } finally {
      sim.close();
    }
  }, 60_000);
});
