import { at } from './at.js';
import geodesic from 'geographiclib-geodesic';
import type { LonLat } from './types.js';

/**
 * Area on the WGS84 ellipsoid by geodesic polygons (Karney 2013, "Algorithms for geodesics",
 * §6), the reference the local-frame areas are held to (within 0.1%).
 */
export function geodesicRingAreaM2(ring: readonly LonLat[]): number {
  const poly = geodesic.Geodesic.WGS84.Polygon(false);
  const n = ring.length;
  const closed =
    n > 1 && at(ring, 0)[0] === at(ring, n - 1)[0] && at(ring, 0)[1] === at(ring, n - 1)[1];
  for (let i = 0; i < (closed ? n - 1 : n); i++) poly.AddPoint(at(ring, i)[1], at(ring, i)[0]);
  return Math.abs(poly.Compute(false, true).area ?? 0);
}

/** Outer ring minus holes. */
export function geodesicAreaM2(boundary: readonly LonLat[][]): number {
  return boundary.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * geodesicRingAreaM2(ring), 0);
}
