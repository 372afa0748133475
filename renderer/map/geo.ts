import type { LatLngTuple } from 'leaflet';
import type { LonLat, Ring } from '../../shared/index.js';

/** The contract orders positions as GeoJSON does ([lon, lat]); Leaflet wants [lat, lon]. */
export function toLatLng([lon, lat]: LonLat): LatLngTuple {
  return [lat, lon];
}

export function ringToLatLngs(ring: Ring): LatLngTuple[] {
  return ring.map(toLatLng);
}
