/**
 * Driving towards a point the way a tractor can: heading changes by at most one radian per
 * turning radius travelled (a bicycle model at low speed). A target inside the turning circle
 * on its side cannot be reached by turning, so the machine drives on straight until it is
 * outside, then turns in — it never circles a point it cannot reach.
 */
export interface Pose {
  x: number;
  y: number;
  /** Degrees clockwise from grid north. */
  headingDeg: number;
}

/** A tractor with an implement turns on a radius of about 5–7 m. */
export const MIN_TURN_RADIUS_M = 6;
/** Integration step along the path. */
const SUB_STEP_M = 0.5;
/** Closer than this the machine is at the target (within steering accuracy of a swath start). */
export const ARRIVE_M = 1;

const RAD = Math.PI / 180;

export function bearingDeg(from: { x: number; y: number }, to: { x: number; y: number }): number {
  return Math.atan2(to.x - from.x, to.y - from.y) / RAD;
}

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
    if (d <= ARRIVE_M) return { pose: { ...pose, x: target.x, y: target.y }, leftoverM: remaining };
    const step = Math.min(SUB_STEP_M, remaining);
    const error = wrap(bearingDeg(pose, target) - pose.headingDeg);
    const side = Math.sign(error);
    const centre = {
      x: pose.x + Math.cos(pose.headingDeg * RAD) * radiusM * side,
      y: pose.y - Math.sin(pose.headingDeg * RAD) * radiusM * side,
    };
    const reachable = Math.hypot(target.x - centre.x, target.y - centre.y) >= radiusM;
    const maxTurnDeg = step / radiusM / RAD;
    const turn = reachable ? side * Math.min(Math.abs(error), maxTurnDeg) : 0;
    const mid = (pose.headingDeg + turn / 2) * RAD;
    pose = {
      x: pose.x + Math.sin(mid) * step,
      y: pose.y + Math.cos(mid) * step,
      headingDeg: wrap(pose.headingDeg + turn),
    };
    remaining -= step;
  }
  return { pose, leftoverM: null };
}
