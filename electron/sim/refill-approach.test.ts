import { describe, expect, it } from 'vitest';
import type { XY } from '../geometry/index.js';
import { DEFAULT_ZONE_GUARD, assessZones, type GuardedMachine } from '../safety/index.js';
import { REFILL_WAIT_OFFSET_M, refillWaitingPlace } from './refill-approach.js';

/** A 200 × 100 m field, counter-clockwise, its first edge along y = 0. */
const FIELD: XY[] = [
  [0, 0],
  [200, 0],
  [200, 100],
  [0, 100],
];
const APPROACH_MPS = 2.5;
const BODY_M = 2.5;

const machine = (
  id: string,
  position: XY,
  headingDeg: number,
  speedMps: number,
): GuardedMachine => ({
  id,
  position,
  headingDeg,
  speedMps,
  radiusM: BODY_M,
  moving: true,
  turning: true,
});

describe('the refill point’s waiting place', () => {
  it('stands beside the fill position along the nearest edge, as far from the edge', () => {
    const [x, y] = refillWaitingPlace([100, 12], FIELD);
    expect(Math.hypot(x - 100, y - 12)).toBeCloseTo(REFILL_WAIT_OFFSET_M, 6);
    expect(y).toBeCloseTo(12, 6);
  });

  it('takes the side away from a corner of the field', () => {
    // 14 m from the west edge: the other side would be beyond it.
    expect(refillWaitingPlace([14, 12], FIELD)[0]).toBeGreaterThan(14);
    expect(refillWaitingPlace([186, 12], FIELD)[0]).toBeLessThan(186);
  });

  it('is reached from the field without the separation guard holding the machine for one filling', () => {
    const fill: XY = [100, 12];
    expect(heldOnTheWay(fill, refillWaitingPlace(fill, FIELD))).toEqual([]);
  });

  it('would not be, were it only the guard’s gap from the fill position', () => {
    // The guard looks 4 s ahead: a place just outside its gap is driven at the filling machine.
    const fill: XY = [100, 12];
    const gapM = 2 * BODY_M + DEFAULT_ZONE_GUARD.minGapM + DEFAULT_ZONE_GUARD.bufferM;
    expect(heldOnTheWay(fill, [fill[0] + gapM + 1, fill[1]])).not.toEqual([]);
  });
});

/**
 * Where the guard holds a machine driving straight to `waiting` at approach speed while another
 * stands filling at `fill`: from every direction into the field whose straight way keeps clear
 * of the filling machine by the guard's gap, starting 40 m out.
 */
function heldOnTheWay(fill: XY, waiting: XY): string[] {
  const gapM = 2 * BODY_M + DEFAULT_ZONE_GUARD.minGapM + DEFAULT_ZONE_GUARD.bufferM;
  const filling = machine('filling', fill, 0, 0);
  const held: string[] = [];
  for (let deg = 0; deg <= 180; deg += 5) {
    const rad = (deg * Math.PI) / 180;
    const start: XY = [waiting[0] + 40 * Math.cos(rad), waiting[1] + 40 * Math.sin(rad)];
    if (closestApproach(start, waiting, fill) < gapM) continue;
    const heading = (Math.atan2(waiting[0] - start[0], waiting[1] - start[1]) * 180) / Math.PI;
    for (let d = 40; d > 0; d -= 0.5) {
      const t = d / 40;
      const at: XY = [
        waiting[0] + (start[0] - waiting[0]) * t,
        waiting[1] + (start[1] - waiting[1]) * t,
      ];
      const actions = assessZones({ ...DEFAULT_ZONE_GUARD, fence: FIELD, zones: [] }, [
        machine('arriving', at, heading, APPROACH_MPS),
        filling,
      ]);
      if (actions.some((a) => a.tractorId === 'arriving' && a.action !== 'slow')) {
        held.push(`from ${deg}° at ${d} m`);
        break;
      }
    }
  }
  return held;
}

/** Least distance from `p` to the segment a→b. */
function closestApproach(a: XY, b: XY, p: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(
    0,
    Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)),
  );
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}
