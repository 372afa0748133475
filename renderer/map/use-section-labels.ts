import L from 'leaflet';
import { useEffect } from 'react';
import { sectionLabel, type Ring, type SectionSnapshot } from '../../shared/index.js';
import { pressSection } from '../drag/section-drag.js';
import type { RolledBack } from '../store/selection-slice.js';
import { toLatLng } from './geo.js';
import { useKeyedLayers } from './keyed-layers.js';

function labelPosition(section: SectionSnapshot): L.LatLngTuple {
  const ring = section.polygon;
  const lon = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
  const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
  return toLatLng([lon, lat]);
}

/** Section ids on the map: names operators can say aloud, and handles to drag a section by. */
export function useSectionLabels(
  map: L.Map | null,
  sections: readonly SectionSnapshot[],
  selected: readonly string[],
  rolledBack: RolledBack | null,
): void {
  const labels = useKeyedLayers<{ marker: L.Marker; key: string; polygon: Ring }>(map, (entry) =>
    entry.marker.remove(),
  );

  useEffect(() => {
    if (!map) return;
    labels.sync(
      sections,
      (section) => section.id,
      (section) => {
        const marker = L.marker(labelPosition(section), {
          keyboard: false,
          interactive: true,
          zIndexOffset: -100,
        }).addTo(map);
        marker.on('add', () => attachPress(marker, section.id, map));
        return { marker, key: '', polygon: section.polygon };
      },
      (entry, section) => {
        // Same ring object: the store shared it with the last snapshot, the label is in place.
        if (entry.polygon !== section.polygon) {
          entry.marker.setLatLng(labelPosition(section));
          entry.polygon = section.polygon;
        }
        const isSelected = selected.includes(section.id);
        // The refusal's id in the key: a second refusal rebuilds the label and flashes again.
        const flash = rolledBack?.sectionIds.includes(section.id) ? rolledBack.id : 0;
        const key = `${section.id}|${isSelected}|${flash}`;
        if (entry.key === key) return;
        entry.marker.setIcon(
          L.divIcon({
            className: 'section-label-icon',
            html: `<span class="section-label${isSelected ? ' section-label--selected' : ''}${flash ? ' section-label--rolled-back' : ''}" data-section-id="${section.id}" title="Section ${sectionLabel(section.id)}">${sectionLabel(section.id)}</span>`,
            iconSize: [28, 18],
            iconAnchor: [14, 9],
          }),
        );
        attachPress(entry.marker, section.id, map);
        entry.key = key;
      },
    );
  }, [map, labels, sections, selected, rolledBack]);
}

function attachPress(marker: L.Marker, sectionId: string, map: L.Map): void {
  const element = marker.getElement();
  if (!element || element.dataset.pressBound === sectionId) return;
  element.dataset.pressBound = sectionId;
  element.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.preventDefault();
    map.dragging.disable();
    pressSection(
      sectionId,
      {
        x: event.clientX,
        y: event.clientY,
        additive: event.shiftKey || event.ctrlKey || event.metaKey,
      },
      () => map.dragging.enable(),
    );
  });
}
