import { describe, expect, it } from 'vitest';
import { TangentFrame, type LonLat } from '../fleet/index.js';
import { RefillVisits, SAME_STOP_WITHIN_MS } from './refill-visits.js';

const POINT: LonLat = [10, 52];
const frame = new TangentFrame({ lon: POINT[0], lat: POINT[1] });
const T0 = Date.UTC(2026, 4, 1, 8);

/** A report `eastM` metres east of the point. */
const report = (eastM: number, speedMps = 0, working = false) => ({
  position: frame.toLonLat([eastM, 0]),
  working,
  speedMps,
});

describe('RefillVisits', () => {
  it('makes a stop of the reports standing at the point with the work off, arrival to the last one there', () => {
    const visits = new RefillVisits(POINT);
    expect(visits.observe('a', report(30, 3), T0)).toBe(false); // on its way
    expect(visits.observe('a', report(2, 1.5), T0 + 8_000)).toBe(false); // still rolling in
    expect(visits.observe('a', report(1), T0 + 9_000)).toBe(true); // standing: arrived
    expect(visits.observe('a', report(1), T0 + 25_000)).toBe(true); // filling
    expect(visits.observe('a', report(1), T0 + 40_000)).toBe(true);
    expect(visits.observe('a', report(3, 2), T0 + 41_000)).toBe(false); // drives off
    expect(visits.observe('a', report(40, 3), T0 + 50_000)).toBe(false);
    expect(visits.stops()).toEqual([
      {
        tractorId: 'a',
        arrivedAtWallMs: T0 + 9_000,
        leftAtWallMs: T0 + 40_000,
        position: frame.toLonLat([1, 0]),
      },
    ]);
  });

  it('takes no stop from a machine parked at the point from the start until it comes back', () => {
    const visits = new RefillVisits(POINT);
    visits.observe('a', report(2), T0);
    visits.observe('a', report(2), T0 + 1_000);
    visits.observe('a', report(30, 3), T0 + 10_000);
    visits.observe('a', report(2), T0 + 100_000);
    expect(visits.stops().map((s) => s.arrivedAtWallMs - T0)).toEqual([100_000]);
  });

  it('takes no stop from a machine driving past, working, or standing beyond the point’s reach', () => {
    const visits = new RefillVisits(POINT);
    for (const id of ['a', 'b', 'c']) visits.observe(id, report(50, 3), T0 - 10_000);
    visits.observe('a', report(0, 3), T0);
    visits.observe('b', report(0, 0, true), T0);
    visits.observe('c', report(12, 0), T0);
    expect(visits.stops()).toEqual([]);
  });

  it('keeps one stop while a machine moves up within the point’s reach, and starts another after a while away', () => {
    const visits = new RefillVisits(POINT);
    visits.observe('a', report(50, 3), T0 - 10_000);
    visits.observe('a', report(6), T0);
    visits.observe('a', report(4, 0.8), T0 + 1_000); // lines up with the tank
    visits.observe('a', report(1), T0 + 2_000);
    visits.observe('a', report(1), T0 + 20_000);
    visits.observe('a', report(50, 3), T0 + 30_000);
    visits.observe('a', report(1), T0 + 20_000 + SAME_STOP_WITHIN_MS + 1);
    expect(visits.stops().map((s) => [s.arrivedAtWallMs - T0, s.leftAtWallMs - T0])).toEqual([
      [0, 20_000],
      [20_000 + SAME_STOP_WITHIN_MS + 1, 20_000 + SAME_STOP_WITHIN_MS + 1],
    ]);
  });

  it('carries on a stop read back from the record when the machine is still there', () => {
    const visits = new RefillVisits(POINT);
    const kept = { tractorId: 'a', arrivedAtWallMs: T0, leftAtWallMs: T0 + 5_000, position: POINT };
    visits.restore([kept]);
    visits.observe('a', report(1), T0 + 12_000);
    visits.observe('b', report(50, 3), T0 + 2_000);
    visits.observe('b', report(1), T0 + 12_000);
    expect(
      visits.stops().map((s) => [s.tractorId, s.arrivedAtWallMs - T0, s.leftAtWallMs - T0]),
    ).toEqual([
      ['a', 0, 12_000],
      ['b', 12_000, 12_000],
    ]);
  });

  it('keeps the stops read back for a job without a point, and notes none', () => {
    const visits = new RefillVisits(null);
    const kept = { tractorId: 'a', arrivedAtWallMs: T0, leftAtWallMs: T0 + 5_000, position: POINT };
    visits.restore([kept]);
    expect(visits.observe('a', report(1), T0 + 6_000)).toBe(false);
    expect(visits.stops()).toEqual([kept]);
  });
});
