/**
 * GeoJSON (RFC 7946) of the job: one FeatureCollection, WGS84 [lon, lat], every feature tagged
 * with its `layer` (field, sections, passes: polygons; refills: points). Coordinates are written as JavaScript prints
 * doubles (shortest round-trip form), so nothing is rounded; RFC 7946 §11.2 advises ~6 decimals
 * for size, but a coverage record must keep centimetres.
 */
import { POLYGON_LAYERS, type ExportLayers } from './export-layers.js';

export function writeGeoJson(
  layers: ExportLayers,
  totals: Record<string, number | string>,
): string {
  const features: unknown[] = [];
  for (const layer of POLYGON_LAYERS) {
    for (const f of layers[layer])
      features.push({
        type: 'Feature',
        properties: { layer, ...f.properties },
        geometry: { type: 'Polygon', coordinates: f.rings },
      });
  }
  for (const f of layers.refills)
    features.push({
      type: 'Feature',
      properties: { layer: 'refills', ...f.properties },
      geometry: { type: 'Point', coordinates: f.at },
    });
  // A foreign member (RFC 7946 §6.1) with the job's totals, for readers that look.
  return JSON.stringify({ type: 'FeatureCollection', headland: totals, features });
}
