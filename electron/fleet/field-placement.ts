/**
 * Whether a field read from a file lies where the fleet works. A file with latitude and
 * longitude swapped, or the wrong file, is still a valid polygon (a European field swapped lands
 * in the Indian Ocean or Somalia): the only sign is that it lies far from every machine. Checked
 * before the field becomes the job, so the operator confirms or picks another file.
 */
import geodesic from 'geographiclib-geodesic';
import type { LonLat } from './types.js';

/**
 * Distance from the nearest machine beyond which a field is questioned, m. Contractors move a
 * fleet by road between fields up to a day's drive apart, a couple of hundred kilometres at
 * most; a swap moves a field thousands of kilometres at any latitude but within a few degrees
 * of the lon = lat diagonal.
 */
export const FAR_FROM_FLEET_M = 200_000;

export type Placement =
  | { kind: 'near' }
  /** No machine reports a position: nothing to compare with. */
  | { kind: 'unknown' }
  | { kind: 'far'; distanceM: number; swappedLooksNear: boolean };

function distanceM(a: LonLat, b: LonLat): number {
  return geodesic.Geodesic.WGS84.Inverse(a[1], a[0], b[1], b[0]).s12 ?? Infinity;
}

/** The centre of the outer ring's extent. */
function centreOf(ring: readonly LonLat[]): LonLat {
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
}

/** Where the field lies from the nearest machine; `far` says too whether a swap would fix it. */
export function fieldPlacement(outer: readonly LonLat[], machines: readonly LonLat[]): Placement {
  if (machines.length === 0 || outer.length === 0) return { kind: 'unknown' };
  const centre = centreOf(outer);
  const nearest = (p: LonLat): number => Math.min(...machines.map((m) => distanceM(p, m)));
  const d = nearest(centre);
  if (d <= FAR_FROM_FLEET_M) return { kind: 'near' };
  const swapped: LonLat = [centre[1], centre[0]];
  const swappedValid = Math.abs(swapped[1]) <= 90;
  return {
    kind: 'far',
    distanceM: d,
    swappedLooksNear: swappedValid && nearest(swapped) <= FAR_FROM_FLEET_M,
  };
}
