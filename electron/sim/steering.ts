/**
 * Driving towards a point the way a tractor can: heading changes by at most one radian per
 * turning radius travelled (a bicycle model at low speed). A target inside the turning circle
 * on its side cannot be reached by turning towards it, so the machine turns the long way round,
 * away from it, until it can — it never circles a point it cannot reach, and goes no further
 * ahead than its turning radius (driving on straight first took a machine at the edge of a
 * field a dozen metres out of it).
 */
import { bearingDeg } from '../geometry/index.js';

export interface Pose {
  x: number;
  y: number;
  /** Degrees clockwise from grid north. */
  headingDeg: number;
  /**
   * Turning the long way round to a point it could not reach (1 right, -1 left) until it can:
   * kept between calls, or the machine would flip sides at the edge of its turning circle and
   * drive on straight.
   */
  longWay?: 1 | -1;
}

/** A tractor with an implement turns on a radius of about 5–7 m. */
export const MIN_TURN_RADIUS_M = 6;
/** Integration step along the path. */
const SUB_STEP_M = 0.5;
/** Closer than this the machine is at the target (within steering accuracy of a swath start). */
export const ARRIVE_M = 1;

const RAD = Math.PI / 180;

function wrap(deg: number): number {
  const d = ((((deg + 180) % 360) + 360) % 360) - 180;
  return d === -180 ? 180 : d;
}

/**
 * Drives up to `distanceM` towards `target`. Returns the new pose and, when the target was
 * reached, the distance left over.
 */
export function steerToward(
  start: Pose,
  target: { x: number; y: number },
  distanceM: number,
  radiusM = MIN_TURN_RADIUS_M,
): { pose: Pose; leftoverM: number | null } {
  let pose = { ...start };
  let remaining = distanceM;
  while (remaining > 1e-9) {
    const d = Math.hypot(target.x - pose.x, target.y - pose.y);
    if (d <= ARRIVE_M)
      return {
        pose: { x: target.x, y: target.y, headingDeg: pose.headingDeg },
        leftoverM: remaining,
      };
    const step = Math.min(SUB_STEP_M, remaining);
    const error = wrap(bearingDeg(pose, target) - pose.headingDeg);
    const side = Math.sign(error);
    const centre = {
      x: pose.x + Math.cos(pose.headingDeg * RAD) * radiusM * side,
      y: pose.y - Math.sin(pose.headingDeg * RAD) * radiusM * side,
    };
    const reachable = Math.hypot(target.x - centre.x, target.y - centre.y) >= radiusM;
    const maxTurnDeg = step / radiusM / RAD;
    let longWay = pose.longWay;
    if (longWay !== undefined && side === longWay && reachable) longWay = undefined;
    else if (longWay === undefined && !reachable && side !== 0) longWay = side > 0 ? -1 : 1;
    const turn =
      longWay === undefined ? side * Math.min(Math.abs(error), maxTurnDeg) : longWay * maxTurnDeg;
    const mid = (pose.headingDeg + turn / 2) * RAD;
    pose = {
      x: pose.x + Math.sin(mid) * step,
      y: pose.y + Math.cos(mid) * step,
      headingDeg: wrap(pose.headingDeg + turn),
      ...(longWay === undefined ? {} : { longWay }),
    };
    remaining -= step;
  }
  return { pose, leftoverM: null };
}
