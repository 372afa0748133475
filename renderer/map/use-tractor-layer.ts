import L from 'leaflet';
import { useEffect } from 'react';
import type { TractorSnapshot } from '../../shared/index.js';
import { tractorColour } from '../palette.js';
import { implementEnds, toLatLng } from './geo.js';
import { useKeyedLayers } from './keyed-layers.js';
import { inSvgPane } from './svg-panes.js';

function iconHtml(tractor: TractorSnapshot, colour: string): string {
  const alarm = tractor.state === 'stopped' || tractor.state === 'comm-lost';
  const held = !alarm && tractor.hold !== null;
  const modifier = alarm ? ' tractor-marker--alarm' : held ? ' tractor-marker--held' : '';
  // The arrow points along the heading; the label keeps each machine identifiable at a glance.
  return `<div data-drop-tractor="${tractor.id}" class="tractor-marker${modifier}" data-testid="tractor-marker" data-tractor-id="${tractor.id}" data-state="${tractor.state}" data-mode="${tractor.mode}">
    <div class="tractor-marker__arrow" style="transform: rotate(${Math.round(tractor.headingDeg)}deg); background:${colour}"></div>
    <span class="tractor-marker__label">${escapeHtml(tractor.name)}</span>
  </div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface TractorLayers {
  marker: L.Marker;
  trail: L.Polyline;
  /** The implement, to scale: a dark casing under a bar in the tractor's colour. */
  implementCasing: L.Polyline;
  implement: L.Polyline;
  iconKey: string;
}

/** Casing and bar widths in pixels: thick enough to see, thin next to any real implement. */
const IMPLEMENT_CASING_PX = 7;
const IMPLEMENT_BAR_PX = 4;

/**
 * One marker per tractor, moved in place, with its implement drawn across the heading at its
 * real width (metres, so it scales with the zoom) and a short trail; the icon is rebuilt only
 * when its look changes.
 */
export function useTractorLayer(
  map: L.Map | null,
  tractors: readonly TractorSnapshot[],
  focusedId: string | null,
  /** A click on a marker selects its machine (its card opens, as from its fleet row). */
  onSelect: (tractorId: string) => void,
): void {
  const markers = useKeyedLayers<TractorLayers>(map, (entry) => {
    entry.marker.remove();
    entry.trail.remove();
    entry.implementCasing.remove();
    entry.implement.remove();
  });

  useEffect(() => {
    if (!map) return;
    markers.sync(
      tractors,
      (tractor) => (tractor.position ? tractor.id : null),
      (tractor) => ({
        marker: L.marker(toLatLng(tractor.position ?? [0, 0]), {
          keyboard: false,
          title: tractor.name,
        })
          .on('click', () => onSelect(tractor.id))
          .addTo(map),
        trail: L.polyline([], {
          color: '#111111',
          weight: 2,
          opacity: 0.55,
          dashArray: '2 4',
          interactive: false,
          ...inSvgPane(map, 'tracks'),
        }).addTo(map),
        implementCasing: L.polyline([], {
          color: '#111111',
          weight: IMPLEMENT_CASING_PX,
          lineCap: 'butt',
          interactive: false,
          ...inSvgPane(map, 'tracks'),
        }).addTo(map),
        implement: L.polyline([], {
          weight: IMPLEMENT_BAR_PX,
          lineCap: 'butt',
          opacity: 1,
          interactive: false,
          ...inSvgPane(map, 'tracks'),
        }).addTo(map),
        iconKey: '',
      }),
      (entry, tractor) => {
        if (!tractor.position) return;
        const colour = tractorColour(tractor.id);
        const iconKey = `${Math.round(tractor.headingDeg / 5)}|${tractor.state}|${colour}|${tractor.name}|${tractor.mode}|${tractor.hold?.action ?? ''}`;
        entry.marker.setLatLng(toLatLng(tractor.position));
        appendTrail(entry.trail, toLatLng(tractor.position));
        const ends = implementEnds(
          tractor.position,
          tractor.headingDeg,
          tractor.implementWidthM,
        ).map(toLatLng);
        entry.implementCasing.setLatLngs(ends);
        entry.implement.setLatLngs(ends);
        if (entry.implement.options.color !== colour) entry.implement.setStyle({ color: colour });
        if (entry.iconKey !== iconKey) {
          entry.marker.setIcon(
            L.divIcon({
              className: 'tractor-icon',
              html: iconHtml(tractor, colour),
              iconSize: [34, 34],
              iconAnchor: [17, 17],
            }),
          );
          entry.iconKey = iconKey;
        }
        if (tractor.id === focusedId) map.panTo(toLatLng(tractor.position), { animate: false });
      },
    );
  }, [map, markers, tractors, focusedId, onSelect]);
}

/** Positions kept in a tractor's trail (about 30 s at the UI's 5 Hz updates). */
const TRAIL_POINTS = 150;

function appendTrail(trail: L.Polyline, point: L.LatLngTuple): void {
  const points = trail.getLatLngs() as L.LatLng[];
  const last = points[points.length - 1];
  if (last && last.lat === point[0] && last.lng === point[1]) return;
  const next = [...points.slice(-(TRAIL_POINTS - 1)), L.latLng(point[0], point[1])];
  trail.setLatLngs(next);
}
