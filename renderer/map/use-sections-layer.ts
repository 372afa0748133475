import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { SectionSnapshot } from '../../shared/index.js';
import { tractorColour, UNASSIGNED_COLOUR } from '../palette.js';
import { ringToLatLngs } from './geo.js';

interface SectionLayers {
  ground: L.Polygon;
  done: L.Polygon;
  tractorId: string | null;
  doneKey: string;
}

/**
 * Sections coloured by their tractor, with the worked part drawn solid over them. Leaflet
 * objects live in a ref, keyed by section id, and are updated in place as snapshots arrive.
 */
export function useSectionsLayer(
  map: L.Map | null,
  sections: readonly SectionSnapshot[],
  tractorIndex: ReadonlyMap<string, number>,
): void {
  const layers = useRef(new Map<string, SectionLayers>());

  useEffect(() => {
    const current = layers.current;
    return () => {
      for (const entry of current.values()) {
        entry.ground.remove();
        entry.done.remove();
      }
      current.clear();
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    const seen = new Set<string>();
    for (const section of sections) {
      seen.add(section.id);
      const colour = section.tractorId === null ? UNASSIGNED_COLOUR : tractorColour(tractorIndex.get(section.tractorId) ?? 0);
      let entry = layers.current.get(section.id);
      if (!entry) {
        entry = {
          ground: L.polygon(ringToLatLngs(section.polygon), { weight: 1, color: '#ffffff', fillOpacity: 0.35 }).addTo(map),
          done: L.polygon([], { stroke: false, fillOpacity: 0.85 }).addTo(map),
          tractorId: null,
          doneKey: '',
        };
        layers.current.set(section.id, entry);
      }
      if (entry.tractorId !== section.tractorId || entry.ground.options.fillColor !== colour) {
        entry.ground.setStyle({ fillColor: colour });
        entry.done.setStyle({ fillColor: colour });
        entry.tractorId = section.tractorId;
      }
      const doneKey = section.doneFraction.toFixed(4);
      if (entry.doneKey !== doneKey) {
        entry.done.setLatLngs(section.donePolygons.map(ringToLatLngs));
        entry.doneKey = doneKey;
      }
    }
    for (const [id, entry] of layers.current) {
      if (!seen.has(id)) {
        entry.ground.remove();
        entry.done.remove();
        layers.current.delete(id);
      }
    }
  }, [map, sections, tractorIndex]);
}
