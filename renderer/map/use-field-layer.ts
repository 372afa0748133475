import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { FieldSnapshot } from '../../shared/index.js';
import { ringToLatLngs } from './geo.js';

/** Draws the field boundary (with holes) and fits the view to it the first time it appears. */
export function useFieldLayer(map: L.Map | null, field: FieldSnapshot | undefined): void {
  const layer = useRef<L.Polygon | null>(null);
  const fitted = useRef(false);
  const key = field ? JSON.stringify(field.rings) : '';
  useEffect(() => {
    if (!map || !field) return;
    const polygon = L.polygon(field.rings.map(ringToLatLngs), {
      color: '#1b1b1b',
      weight: 3,
      fill: true,
      fillColor: '#fbfbf6',
      fillOpacity: 0.55,
      interactive: false,
    }).addTo(map);
    polygon.bringToBack();
    layer.current = polygon;
    if (!fitted.current) {
      map.fitBounds(polygon.getBounds(), { padding: [24, 24] });
      fitted.current = true;
    }
    return () => {
      polygon.remove();
      layer.current = null;
    };
    // Redraw only when the geometry changes, not on every snapshot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key]);
}

/** Fits the map to the field on demand (the "fit field" control). */
export function fitField(map: L.Map | null, field: FieldSnapshot | undefined): void {
  if (!map || !field) return;
  map.fitBounds(L.polygon(field.rings.map(ringToLatLngs)).getBounds(), { padding: [24, 24] });
}
