import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { LonLat } from '../../shared/index.js';
import { toLatLng } from './geo.js';

interface DraftLayers {
  outline: L.Polyline;
  closing: L.Polyline;
  corners: L.LayerGroup;
}

/** The keep-out zone being drawn: its corners, its edges, and the edge that will close it. */
export function useZoneDraftLayer(map: L.Map | null, corners: readonly LonLat[] | null): void {
  const layers = useRef<DraftLayers | null>(null);
  const drawing = corners !== null;

  useEffect(() => {
    if (!map || !drawing) return;
    const style = { color: '#8c0a1f', weight: 3, interactive: false };
    const created: DraftLayers = {
      outline: L.polyline([], style).addTo(map),
      closing: L.polyline([], { ...style, dashArray: '6 6', opacity: 0.7 }).addTo(map),
      corners: L.layerGroup().addTo(map),
    };
    layers.current = created;
    return () => {
      created.outline.remove();
      created.closing.remove();
      created.corners.remove();
      layers.current = null;
    };
  }, [map, drawing]);

  useEffect(() => {
    const current = layers.current;
    if (!current || !corners) return;
    const points = corners.map(toLatLng);
    current.outline.setLatLngs(points);
    const first = points[0];
    const last = points[points.length - 1];
    current.closing.setLatLngs(points.length >= 3 && first && last ? [last, first] : []);
    current.corners.clearLayers();
    for (const point of points)
      current.corners.addLayer(
        L.circleMarker(point, {
          radius: 6,
          color: '#111111',
          weight: 2,
          fillColor: '#ffffff',
          fillOpacity: 1,
          interactive: false,
        }),
      );
  }, [corners, map, drawing]);
}
