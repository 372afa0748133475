import L from 'leaflet';

/**
 * Panes with SVG renderers for what changes with every snapshot: the worked ground, and the
 * machines' trails and implements above it; over both, the outline of a highlighted section
 * (on the canvas it would lie under the worked ground). The field and the sections stay on the
 * map's canvas, which then changes only when a section does. Without a GPU a 2D canvas is
 * redrawn and handed to the compositor whole on every change (about 7 ms of main thread per
 * snapshot for the map's canvas with the ui benchmark's 20 tractors, measured with a
 * DevTools trace), while an SVG path that changes is repainted only where it lies.
 */
export type SvgPane = 'worked' | 'tracks' | 'outlines';

/** Above the sections' canvas (overlay pane, 400), below keep-out zones (450) and markers (600). */
const PANE_Z: Record<SvgPane, number> = { worked: 410, tracks: 420, outlines: 430 };

const renderers = new WeakMap<L.Map, Map<SvgPane, L.SVG>>();

/** Path options that draw a shape in `pane` (the pane and its renderer made on first use). */
export function inSvgPane(map: L.Map, pane: SvgPane): { renderer: L.SVG; pane: string } {
  let byPane = renderers.get(map);
  if (!byPane) {
    byPane = new Map();
    renderers.set(map, byPane);
  }
  let renderer = byPane.get(pane);
  if (!renderer) {
    const element = map.getPane(pane) ?? map.createPane(pane);
    element.style.zIndex = String(PANE_Z[pane]);
    // Nothing drawn here takes the pointer: the sections underneath stay draggable.
    element.style.pointerEvents = 'none';
    renderer = L.svg({ pane });
    byPane.set(pane, renderer);
  }
  return { renderer, pane };
}
