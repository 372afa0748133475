import { TangentFrame, type FrameOrigin } from './tangent-frame.js';
import type { FieldPlan } from './plan-types.js';
import type { LocalPolygon, LonLat } from './types.js';

/** Local metres -> closed WGS84 rings, for the map and for export (RFC 7946 ring closure). */
export function polygonToLonLat(origin: FrameOrigin, poly: LocalPolygon): LonLat[][] {
  const frame = new TangentFrame(origin);
  return poly.map((ring) => {
    const ll = ring.map((p) => frame.toLonLat(p));
    const first = ll[0];
    return first ? [...ll, [first[0], first[1]]] : ll;
  });
}

/** The plan's sections as a GeoJSON FeatureCollection (id, kind, order, area, work length). */
export function planSectionsGeoJson(plan: FieldPlan): {
  type: 'FeatureCollection';
  features: unknown[];
} {
  return {
    type: 'FeatureCollection',
    features: plan.sections.map((s) => ({
      type: 'Feature',
      id: s.id,
      properties: {
        id: s.id,
        kind: s.kind,
        order: s.order,
        areaM2: s.areaM2,
        workLengthM: s.workLengthM,
      },
      geometry: { type: 'Polygon', coordinates: polygonToLonLat(plan.origin, s.polygon) },
    })),
  };
}
