import L from 'leaflet';
import { useEffect, useState, type RefObject } from 'react';

/** Creates the Leaflet map once for the container and removes it on unmount. */
export function useLeafletMap(container: RefObject<HTMLDivElement | null>): L.Map | null {
  const [map, setMap] = useState<L.Map | null>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    // Canvas rendering keeps many polygons and frequent updates cheap (issue 9, performance).
    const created = L.map(element, { preferCanvas: true, zoomControl: true, attributionControl: false, zoomSnap: 0.25 });
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
  }, [container]);
  return map;
}
