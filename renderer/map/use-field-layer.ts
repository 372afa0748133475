import L from 'leaflet';
import { useEffect, useMemo, useRef } from 'react';
import type { FieldSnapshot } from '../../shared/index.js';
import { ringToLatLngs, toLatLng } from './geo.js';

/**
 * Draws the field boundary (with holes) and the job's refill point, and fits the view to the field
 * the first time it appears.
 */
export function useFieldLayer(map: L.Map | null, field: FieldSnapshot | undefined): void {
  const layer = useRef<L.Polygon | null>(null);
  const fittedKey = useRef('');
  // The store keeps an unchanged field's identity across snapshots: stringify only on a change.
  const key = useMemo(
    () => (field ? JSON.stringify([field.rings, field.headlandLines, field.refillPoint]) : ''),
    [field],
  );
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
    // Headland passes as dashed centre lines: where the machines turn.
    const headland = L.polyline(
      field.headlandLines.map((line) => line.map(toLatLng)),
      {
        color: '#1b1b1b',
        weight: 1.5,
        dashArray: '6 6',
        opacity: 0.7,
        interactive: false,
      },
    ).addTo(map);
    // Where the machines refill: a ring at the field's edge, named on hover.
    const refill = field.refillPoint
      ? L.circleMarker(toLatLng(field.refillPoint), {
          radius: 7,
          color: '#1b1b1b',
          weight: 2,
          fillColor: '#ffd23f',
          fillOpacity: 1,
        })
          .bindTooltip('Refill point')
          .addTo(map)
      : null;
    layer.current = polygon;
    if (fittedKey.current !== key) {
      // Leaflet caches the map's size: the layout may have changed it since (the fleet list).
      map.invalidateSize({ animate: false });
      map.fitBounds(polygon.getBounds(), { padding: [24, 24] });
      fittedKey.current = key;
    }
    return () => {
      refill?.remove();
      headland.remove();
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
  map.invalidateSize({ animate: false });
  map.fitBounds(L.polygon(field.rings.map(ringToLatLngs)).getBounds(), { padding: [24, 24] });
}
