import L from 'leaflet';
import { useEffect, useMemo } from 'react';
import type { ZoneSnapshot } from '../../shared/index.js';
import { ringToLatLngs } from './geo.js';
import { useKeyedLayers } from './keyed-layers.js';

/** The SVG pattern (rendered once by `ZoneHatch`) that fills every keep-out zone. */
export const ZONE_HATCH_ID = 'headland-keepout-hatch';
const ZONES_PANE = 'keepout-zones';
/** Above sections and worked ground (overlay pane, 400), below markers and labels (600). */
const ZONES_PANE_Z = 450;

interface ZoneLayers {
  shape: L.Polygon;
  label: L.Marker;
  key: string;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function labelIcon(zone: ZoneSnapshot): L.DivIcon {
  return L.divIcon({
    className: 'zone-label-icon',
    html: `<span class="zone-label" data-testid="zone-label" data-zone-id="${escapeHtml(zone.id)}">${escapeHtml(zone.name)}</span>`,
    // A zero-size anchor at the zone's centre; CSS centres the label on it whatever its length.
    iconSize: [0, 0],
    iconAnchor: [0, 0],
  });
}

/**
 * Keep-out zones, hatched so they read as "no entry" over any section colour. They are drawn
 * with an SVG renderer of their own (the canvas cannot fill with a pattern) in a pane between
 * the sections and the markers, and take no pointer events: sections stay draggable beneath.
 */
export function useZonesLayer(map: L.Map | null, zones: readonly ZoneSnapshot[]): void {
  const renderer = useMemo(() => {
    if (!map) return null;
    const pane = map.getPane(ZONES_PANE) ?? map.createPane(ZONES_PANE);
    pane.style.zIndex = String(ZONES_PANE_Z);
    pane.style.pointerEvents = 'none';
    return L.svg({ pane: ZONES_PANE });
  }, [map]);
  const layers = useKeyedLayers<ZoneLayers>(map, (entry) => {
    entry.shape.remove();
    entry.label.remove();
  });

  useEffect(() => {
    if (!map || !renderer) return;
    layers.sync(
      zones,
      (zone) => zone.id,
      (zone) => {
        const shape = L.polygon(ringToLatLngs(zone.ring), {
          renderer,
          pane: ZONES_PANE,
          interactive: false,
          color: '#8c0a1f',
          weight: 3,
          dashArray: '10 5',
          fill: true,
          fillColor: `url(#${ZONE_HATCH_ID})`,
          fillOpacity: 1,
          className: `keepout-zone keepout-zone--${zone.source}`,
        }).addTo(map);
        const label = L.marker(shape.getBounds().getCenter(), {
          icon: labelIcon(zone),
          interactive: false,
          keyboard: false,
          zIndexOffset: -200,
        }).addTo(map);
        return { shape, label, key: '' };
      },
      (entry, zone) => {
        const key = JSON.stringify([zone.name, zone.ring]);
        if (entry.key === key) return;
        if (entry.key !== '') {
          entry.shape.setLatLngs(ringToLatLngs(zone.ring));
          entry.label.setLatLng(entry.shape.getBounds().getCenter());
          entry.label.setIcon(labelIcon(zone));
        }
        entry.key = key;
      },
    );
  }, [map, renderer, layers, zones]);
}
