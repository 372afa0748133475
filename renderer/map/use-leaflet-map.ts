import L from 'leaflet';
import { useCallback, useState } from 'react';

/**
 * Creates the Leaflet map when its container mounts and removes it when the container goes.
 * Returns the ref callback for the container and the map (null until mounted).
 */
export function useLeafletMap(): [
  (element: HTMLDivElement | null) => (() => void) | undefined,
  L.Map | null,
] {
  const [map, setMap] = useState<L.Map | null>(null);
  const attach = useCallback((element: HTMLDivElement | null) => {
    if (!element) return undefined;
    // The canvas draws the field and the many section polygons, which rarely change; what changes
    // with every snapshot goes to SVG panes (svg-panes.ts: performance).
    const created = L.map(element, {
      preferCanvas: true,
      zoomControl: true,
      attributionControl: false,
      zoomSnap: 0.25,
    });
    created.setView([0, 0], 2);
    setMap(created);
    // The panel layout can resize the map after creation (e.g. when the job header appears).
    const resize = new ResizeObserver(() => created.invalidateSize({ animate: false }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.remove();
      setMap(null);
    };
  }, []);
  return [attach, map];
}
