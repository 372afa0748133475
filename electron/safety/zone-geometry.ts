/** Plane geometry the zone guard needs, in a local metric frame (metres). */
import { pointInRing, type XY } from '../geometry/index.js';

export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t =
    len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export function distanceToRing(ring: readonly XY[], p: XY): number {
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (a && b) best = Math.min(best, distanceToSegment(p, a, b));
  }
  return best;
}

/**
 * Signed clearance of a disc of `radiusM` at `p` from a keep-out ring: negative when the disc
 * overlaps the zone.
 */
export function clearanceFromZone(ring: readonly XY[], p: XY, radiusM: number): number {
  const d = distanceToRing(ring, p);
  return pointInRing(p, ring) ? -d - radiusM : d - radiusM;
}

/**
 * How far a disc of `radiusM` at `p` stays inside the fence widened by `marginM`: negative when
 * any of it is beyond.
 */
export function clearanceInsideFence(
  ring: readonly XY[],
  p: XY,
  radiusM: number,
  marginM: number,
): number {
  const d = distanceToRing(ring, p);
  const inward = pointInRing(p, ring) ? d : -d;
  return inward + marginM - radiusM;
}
