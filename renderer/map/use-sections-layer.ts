import L from 'leaflet';
import { useEffect } from 'react';
import type { Ring, SectionSnapshot } from '../../shared/index.js';
import { pressSection } from '../drag/section-drag.js';
import type { PendingMove, RolledBack } from '../store/selection-slice.js';
import { tractorColour, UNASSIGNED_COLOUR } from '../palette.js';
import { ringToLatLngs } from './geo.js';
import { inSvgPane } from './svg-panes.js';
import { useKeyedLayers } from './keyed-layers.js';

interface SectionLayers {
  ground: L.Polygon;
  /** One shape per worked ring, semi-transparent: ground driven twice shows darker (overlap). */
  done: L.LayerGroup;
  /** The shapes in `done`, in the order of the rings they draw. */
  doneShapes: L.Polygon[];
  /**
   * The rings drawn, by reference: the store shares unchanged parts of a snapshot with the one
   * before (store/share-unchanged.ts), so a ring that is the same object is drawn already.
   */
  doneRings: readonly Ring[];
  doneColour: string;
  tractorId: string | null;
  outline: Outline;
  /**
   * The outline of a selected, pending or refused section, drawn over the worked ground (whose
   * pane lies above the sections' canvas); null while the section's outline is plain.
   */
  highlight: L.Polygon | null;
  /** The geometry drawn, so a section that keeps its id in a new plan is redrawn. */
  polygon: Ring;
  /** Ground left unworked once the section's work is over, hatched over everything else. */
  unworked: L.LayerGroup;
  unworkedDrawn: SectionSnapshot['unworked'];
}

/** The pattern ground left unworked is filled with (components/ZoneHatch.tsx defines it). */
export const UNWORKED_HATCH_ID = 'headland-unworked-hatch';

/**
 * Opacity of one pass: a single pass reads as worked, two overlapping passes as clearly darker
 * (1 − 0.4² ≈ 0.84 against 0.6), which is how the map shows overlap.
 */
const PASS_OPACITY = 0.6;

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
  selected: readonly string[],
  showWorked: boolean,
  pending: PendingMove | null,
  rolledBack: RolledBack | null,
): void {
  const layers = useKeyedLayers<SectionLayers>(map, (entry) => {
    entry.ground.remove();
    entry.done.remove();
    entry.highlight?.remove();
    entry.unworked.remove();
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
          doneShapes: [],
          doneRings: [],
          doneColour: '',
          tractorId: null,
          outline: PLAIN,
          highlight: null,
          polygon: section.polygon,
          unworked: L.layerGroup().addTo(map),
          unworkedDrawn: [],
        };
      },
      (entry, section) => {
        if (entry.polygon !== section.polygon) {
          entry.ground.setLatLngs(ringToLatLngs(section.polygon));
          entry.highlight?.setLatLngs(ringToLatLngs(section.polygon));
          entry.polygon = section.polygon;
        }
        // A pending move shows the new holder's colour until the station answers.
        const pendingTo = pending?.sectionIds.includes(section.id) ? pending.toTractorId : null;
        const holder = pendingTo ?? section.tractorId;
        const colour = holder === null ? UNASSIGNED_COLOUR : tractorColour(holder);
        const flashing = rolledBack?.sectionIds.includes(section.id) ?? false;
        const outline = selected.includes(section.id)
          ? SELECTED
          : flashing
            ? ROLLED_BACK
            : pendingTo !== null
              ? PENDING
              : PLAIN;
        if (entry.outline !== outline) updateHighlight(map, entry, outline);
        if (entry.tractorId !== holder || entry.ground.options.fillColor !== colour) {
          entry.ground.setStyle({ fillColor: colour });
          entry.tractorId = holder;
        }
        updateDone(map, entry, showWorked ? section.donePolygons : NO_RINGS, colour);
        if (entry.unworkedDrawn !== section.unworked) {
          entry.unworked.clearLayers();
          for (const polygon of section.unworked)
            entry.unworked.addLayer(
              L.polygon(
                polygon.map((ring) => ringToLatLngs(ring)),
                {
                  color: '#1a1a1a',
                  weight: 1.5,
                  fillColor: `url(#${UNWORKED_HATCH_ID})`,
                  fillOpacity: 1,
                  interactive: false,
                  className: 'unworked-ground',
                  ...inSvgPane(map, 'outlines'),
                },
              ),
            );
          entry.unworkedDrawn = section.unworked;
        }
      },
    );
  }, [map, layers, sections, selected, showWorked, pending, rolledBack]);
}

const NO_RINGS: readonly Ring[] = Object.freeze([]);

function updateHighlight(map: L.Map, entry: SectionLayers, outline: Outline): void {
  entry.outline = outline;
  if (outline === PLAIN) {
    entry.highlight?.remove();
    entry.highlight = null;
  } else if (entry.highlight) {
    entry.highlight.setStyle(outline);
  } else {
    entry.highlight = L.polygon(ringToLatLngs(entry.polygon), {
      ...outline,
      fill: false,
      interactive: false,
      ...inSvgPane(map, 'outlines'),
    }).addTo(map);
  }
}

/**
 * Brings a section's worked ground in line with `rings`: a ring that changed is reshaped in
 * place, new rings get a shape, shapes past the end are removed. Only what changed since the
 * last snapshot touches Leaflet (recreating every shape on every update was garbage at 5 Hz).
 */
function updateDone(
  map: L.Map,
  entry: SectionLayers,
  rings: readonly Ring[],
  colour: string,
): void {
  if (entry.doneColour !== colour) {
    for (const shape of entry.doneShapes) shape.setStyle({ fillColor: colour });
    entry.doneColour = colour;
  }
  if (entry.doneRings === rings) return;
  const shapes = entry.doneShapes;
  rings.forEach((ring, i) => {
    const shape = shapes[i];
    if (shape === undefined) {
      const created = L.polygon(ringToLatLngs(ring), {
        stroke: false,
        fillColor: colour,
        fillOpacity: PASS_OPACITY,
        interactive: false,
        ...inSvgPane(map, 'worked'),
      });
      entry.done.addLayer(created);
      shapes.push(created);
    } else if (entry.doneRings[i] !== ring) {
      shape.setLatLngs(ringToLatLngs(ring));
    }
  });
  for (const shape of shapes.splice(rings.length)) entry.done.removeLayer(shape);
  entry.doneRings = rings;
}
