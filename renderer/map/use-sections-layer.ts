import L from 'leaflet';
import { useEffect } from 'react';
import type { SectionSnapshot } from '../../shared/index.js';
import { pressSection } from '../drag/section-drag.js';
import type { PendingMove, RolledBack } from '../store/selection-slice.js';
import { tractorColour, UNASSIGNED_COLOUR } from '../palette.js';
import { ringToLatLngs } from './geo.js';
import { useKeyedLayers } from './keyed-layers.js';

interface SectionLayers {
  ground: L.Polygon;
  /** One shape per pass, semi-transparent: ground driven twice shows darker (overlap). */
  done: L.LayerGroup;
  doneColour: string;
  tractorId: string | null;
  outlineKey: string;
  doneKey: string;
  /** The geometry drawn, so a section that keeps its id in a new plan is redrawn. */
  polygonKey: string;
}

/**
 * Opacity of one pass: a single pass reads as worked, two overlapping passes as clearly darker
 * (1 − 0.4² ≈ 0.84 against 0.6), which is how the map shows overlap.
 */
const PASS_OPACITY = 0.6;

function polygonKeyOf(section: SectionSnapshot): string {
  return JSON.stringify(section.polygon);
}

interface Outline {
  weight: number;
  color: string;
  dashArray: number[];
}

const PLAIN: Outline = { weight: 1, color: '#ffffff', dashArray: [] };
const SELECTED: Outline = { weight: 4, color: '#111111', dashArray: [] };
/** A move sent and not yet answered. */
const PENDING: Outline = { weight: 3, color: '#111111', dashArray: [6, 4] };
/** A refused move, back with its holder: loud for the few seconds of the flash. */
const ROLLED_BACK: Outline = { weight: 5, color: '#c8102e', dashArray: [] };

/**
 * Sections coloured by their tractor, with the worked part drawn solid over them. Leaflet
 * objects live in a ref, keyed by section id, and are updated in place as snapshots arrive.
 */
export function useSectionsLayer(
  map: L.Map | null,
  sections: readonly SectionSnapshot[],
  tractorIndex: ReadonlyMap<string, number>,
  selected: readonly string[],
  showWorked: boolean,
  pending: PendingMove | null,
  rolledBack: RolledBack | null,
): void {
  const layers = useKeyedLayers<SectionLayers>(map, (entry) => {
    entry.ground.remove();
    entry.done.remove();
  });

  useEffect(() => {
    if (!map) return;
    layers.sync(
      sections,
      (section) => section.id,
      (section) => {
        const ground = L.polygon(ringToLatLngs(section.polygon), {
          weight: 1,
          color: '#ffffff',
          fillOpacity: 0.35,
        }).addTo(map);
        // Press on a section: drag it to a tractor, or click to select (Shift/Ctrl adds).
        ground.on('mousedown', (event: L.LeafletMouseEvent) => {
          const original = event.originalEvent;
          if (original.button !== 0) return;
          L.DomEvent.stop(event);
          map.dragging.disable();
          pressSection(
            section.id,
            {
              x: original.clientX,
              y: original.clientY,
              additive: original.shiftKey || original.ctrlKey || original.metaKey,
            },
            () => map.dragging.enable(),
          );
        });
        const done = L.layerGroup().addTo(map);
        return {
          ground,
          done,
          doneColour: '',
          tractorId: null,
          outlineKey: '',
          doneKey: '',
          polygonKey: polygonKeyOf(section),
        };
      },
      (entry, section) => {
        const polygonKey = polygonKeyOf(section);
        if (entry.polygonKey !== polygonKey) {
          entry.ground.setLatLngs(ringToLatLngs(section.polygon));
          entry.polygonKey = polygonKey;
        }
        // A pending move shows the new holder's colour until the station answers.
        const pendingTo = pending?.sectionIds.includes(section.id) ? pending.toTractorId : null;
        const holder = pendingTo ?? section.tractorId;
        const colour =
          holder === null ? UNASSIGNED_COLOUR : tractorColour(tractorIndex.get(holder) ?? 0);
        const flashing = rolledBack?.sectionIds.includes(section.id) ?? false;
        const outline = selected.includes(section.id)
          ? SELECTED
          : flashing
            ? ROLLED_BACK
            : pendingTo !== null
              ? PENDING
              : PLAIN;
        const outlineKey = JSON.stringify(outline);
        if (entry.outlineKey !== outlineKey) {
          entry.ground.setStyle(outline);
          if (outline !== PLAIN) entry.ground.bringToFront();
          entry.outlineKey = outlineKey;
        }
        if (entry.tractorId !== holder || entry.ground.options.fillColor !== colour) {
          entry.ground.setStyle({ fillColor: colour });
          entry.tractorId = holder;
        }
        const doneKey = showWorked
          ? `${section.donePolygons.length}|${section.doneFraction.toFixed(4)}|${colour}`
          : 'hidden';
        if (entry.doneKey !== doneKey) {
          entry.done.clearLayers();
          if (showWorked) {
            for (const ring of section.donePolygons) {
              entry.done.addLayer(
                L.polygon(ringToLatLngs(ring), {
                  stroke: false,
                  fillColor: colour,
                  fillOpacity: PASS_OPACITY,
                  interactive: false,
                }),
              );
            }
          }
          entry.doneKey = doneKey;
        }
      },
    );
  }, [map, layers, sections, tractorIndex, selected, showWorked, pending, rolledBack]);
}
