/**
 * The refill point laid out as a farm lays out a nurse trailer's stand: the fill position (the
 * point itself) and, beside it along the field's edge, waiting places. A machine that finds the
 * point taken (another fills there, or waits its turn before it) drives to a waiting place
 * instead of at the machine filling, and goes in when its turn comes. The first waiting place is
 * REFILL_WAIT_OFFSET_M from the point, each further one as far again along the same line, so a
 * machine driving to any of them passes the machines standing at the others as it passes the
 * filling one.
 *
 * Why a waiting place and not a queue behind the point: the station's separation guard
 * (electron/safety/zone-guard.ts) holds a machine whose path, driven on for its 4 s horizon,
 * would bring it within the buffered gap of one standing. A machine driving at the filling one
 * is held from about 21.5 m out and stands there until the other has left, in the way of the
 * machine leaving; one driving to a place beside the point passes no nearer than the guard allows.
 */
import { pointInRing, type XY } from '../geometry/index.js';
import { DEFAULT_ZONE_GUARD } from '../safety/index.js';

/** The body disc the station's guard keeps apart (zone-supervisor.ts: a 2.5 m radius each). */
const MACHINE_RADIUS_M = 2.5;
/** The speed a machine drives in its last 40 m to a target (sim-fleet.ts turn speed). */
const APPROACH_MPS = 2.5;
/** Room for the machine's turn onto its way in (it steers, it does not slide sideways). */
const STEER_MARGIN_M = 3.5;
/**
 * Centre to centre, fill position to waiting place: the guard's buffered gap between two bodies
 * (11.5 m) plus the 4 s its prediction looks ahead at approach speed (10 m), so a machine driving
 * to the waiting place from any side is never predicted into the filling one, and room to steer.
 */
export const REFILL_WAIT_OFFSET_M =
  2 * MACHINE_RADIUS_M +
  DEFAULT_ZONE_GUARD.minGapM +
  DEFAULT_ZONE_GUARD.bufferM +
  DEFAULT_ZONE_GUARD.horizonS * APPROACH_MPS +
  STEER_MARGIN_M;

/**
 * The waiting place for a refill point at `fill` in a plane, `fence` the field's outer boundary
 * in that plane (null: none known). It stands REFILL_WAIT_OFFSET_M from the fill position along
 * the nearest edge of the boundary, at the same distance from the edge, on whichever side stays
 * inside the field furthest from its other edges (a corner of the field on one side: the other).
 */
export function refillWaitingPlace(fill: XY, fence: readonly XY[] | null): XY {
  const along = fence && fence.length >= 3 ? nearestEdgeDirection(fill, fence) : ([1, 0] as XY);
  const candidates: XY[] = [1, -1].map((side) => [
    fill[0] + side * along[0] * REFILL_WAIT_OFFSET_M,
    fill[1] + side * along[1] * REFILL_WAIT_OFFSET_M,
  ]);
  if (!fence || fence.length < 3) return candidates[0] ?? fill;
  const ring = fence as XY[];
  const room = (p: XY): number => (pointInRing(p, ring) ? distanceToRing(p, ring) : -Infinity);
  const [first, second] = candidates as [XY, XY];
  return room(second) > room(first) ? second : first;
}

/** Unit direction of the boundary edge nearest `p`. */
function nearestEdgeDirection(p: XY, ring: readonly XY[]): XY {
  let best: XY = [1, 0];
  let bestM = Infinity;
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length] ?? a;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (length === 0) return;
    const d = segmentDistance(p, a, b);
    if (d < bestM) [best, bestM] = [[(b[0] - a[0]) / length, (b[1] - a[1]) / length], d];
  });
  return best;
}

function distanceToRing(p: XY, ring: readonly XY[]): number {
  let best = Infinity;
  ring.forEach((a, i) => {
    best = Math.min(best, segmentDistance(p, a, ring[(i + 1) % ring.length] ?? a));
  });
  return best;
}

function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t =
    len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
}
