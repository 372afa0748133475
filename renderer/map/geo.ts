import type { LatLngTuple } from 'leaflet';
import type { LonLat, Ring } from '../../shared/index.js';

/** The contract orders positions as GeoJSON does ([lon, lat]); Leaflet wants [lat, lon]. */
export function toLatLng([lon, lat]: LonLat): LatLngTuple {
  return [lat, lon];
}

export function ringToLatLngs(ring: Ring): LatLngTuple[] {
  return ring.map(toLatLng);
}

/** Mean Earth radius (IUGG), metres: plenty for offsets of a few metres on a field. */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = 180 / Math.PI;

/** The point `eastM`/`northM` metres from `origin` (local flat-Earth offset). */
export function offsetMetres([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  const dLat = (northM / EARTH_RADIUS_M) * DEG;
  const dLon = (eastM / (EARTH_RADIUS_M * Math.cos(lat / DEG))) * DEG;
  return [lon + dLon, lat + dLat];
}

/**
 * The two ends of an implement `widthM` wide, centred on `position` and square to the heading
 * (degrees clockwise from north, as the telemetry reports it): the swath the machine works.
 */
export function implementEnds(
  position: LonLat,
  headingDeg: number,
  widthM: number,
): [LonLat, LonLat] {
  const rad = headingDeg / DEG;
  // Unit vector to the machine's right: the heading turned 90° clockwise.
  const rightEast = Math.cos(rad);
  const rightNorth = -Math.sin(rad);
  const half = widthM / 2;
  return [
    offsetMetres(position, -rightEast * half, -rightNorth * half),
    offsetMetres(position, rightEast * half, rightNorth * half),
  ];
}
