import L from 'leaflet';
import { useEffect } from 'react';
import type { Basemap } from '../../shared/index.js';

/** Draws the station's offline basemap (XYZ tiles) under everything else, when it has one. */
export function useBasemapLayer(
  map: L.Map | null,
  basemap: Basemap | null | undefined,
  visible: boolean,
): void {
  const key = basemap ? JSON.stringify(basemap) : '';
  useEffect(() => {
    if (!map || !basemap || !visible) return;
    const [west, south, east, north] = basemap.bounds ?? [-180, -85, 180, 85];
    const layer = L.tileLayer(basemap.urlTemplate, {
      // Hidden when zoomed out past the tiles: scaling z14 tiles to a world view would ask
      // Leaflet to consider millions of tiles (minNativeZoom does exactly that).
      minZoom: Math.max(0, basemap.minZoom - 1),
      maxZoom: 22,
      maxNativeZoom: basemap.maxNativeZoom,
      bounds: L.latLngBounds([south, west], [north, east]),
      className: 'basemap-tiles',
    }).addTo(map);
    return () => {
      layer.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the basemap's content
  }, [map, key, visible]);
}
