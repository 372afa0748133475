import type L from 'leaflet';
import { useEffect, useRef } from 'react';
import {
  layoutLabels,
  type Box,
  type FixedLabelInput,
  type TractorLabelInput,
  type TractorLabelPlace,
} from './label-layout.js';

/** What lies over the map in FieldMap.tsx (Leaflet's zoom buttons included). */
const OVERLAYS =
  '.leaflet-control, .map-controls > *, .map-legend, .reassign-bar > *, .zone-draw__bar';
/** The overlays that change size without the map rendering (the legend as its font loads). */
const RESIZING_OVERLAYS = '.map-legend';
/** How often the labels are laid out again even when the map did not render. */
const SETTLE_LAYOUT_MS = 500;
/** Set on a section or zone label's marker element that label-layout.ts hides. */
const HIDDEN_CLASS = 'map-label--hidden';
/** Where a machine's name goes (`right`, `left`, `above`, `below`, or `none`); styles.css. */
const PLACE_ATTRIBUTE = 'data-place';
/** On a machine's name that lies over another's marker: styles.css raises its marker above. */
const OVER_MARKER_ATTRIBUTE = 'data-over-marker';

const boxOf = (el: Element): Box => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
};

/** Machines in trouble are named first, then machines held, then the rest in map order. */
function tractorRank(marker: HTMLElement): number {
  if (marker.classList.contains('tractor-marker--alarm')) return 0;
  if (marker.classList.contains('tractor-marker--held')) return 1;
  return 2;
}

/** A selected or just rolled-back section's label is the one the operator is looking for. */
function sectionRank(label: HTMLElement): number {
  return label.classList.contains('section-label--selected') ||
    label.classList.contains('section-label--rolled-back')
    ? 0
    : 1;
}

function byRank<T>(items: T[], rank: (item: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.item);
}

function fixedLabels(
  container: HTMLElement,
  selector: string,
  idOf: (el: HTMLElement) => string | undefined,
  rank: (el: HTMLElement) => number,
): { input: FixedLabelInput[]; holders: Map<string, HTMLElement> } {
  const holders = new Map<string, HTMLElement>();
  const input: FixedLabelInput[] = [];
  for (const label of byRank([...container.querySelectorAll<HTMLElement>(selector)], rank)) {
    const id = idOf(label);
    const holder = label.parentElement;
    if (id === undefined || !holder) continue;
    holders.set(id, holder);
    input.push({ id, box: boxOf(label) });
  }
  return { input, holders };
}

function applyLayout(map: L.Map, previous: Map<string, TractorLabelPlace | null>): void {
  const container = map.getContainer();
  const tractorLabels = new Map<string, HTMLElement>();
  const tractors: TractorLabelInput[] = [];
  const markers = [...container.querySelectorAll<HTMLElement>('.tractor-marker')];
  for (const marker of byRank(markers, tractorRank)) {
    const id = marker.dataset['tractorId'];
    const label = marker.querySelector<HTMLElement>('.tractor-marker__label');
    const arrow = marker.querySelector('.tractor-marker__arrow');
    if (id === undefined || !label || !arrow) continue;
    tractorLabels.set(id, label);
    tractors.push({
      id,
      marker: boxOf(marker),
      // The browser's box of the turned arrow: what it covers depends on the heading.
      arrow: boxOf(arrow),
      label: { width: label.offsetWidth, height: label.offsetHeight },
      previous: previous.get(id) ?? null,
    });
  }
  const zones = fixedLabels(
    container,
    '.zone-label',
    (el) => el.dataset['zoneId'],
    () => 0,
  );
  const sections = fixedLabels(
    container,
    '.section-label',
    (el) => el.dataset['sectionId'],
    sectionRank,
  );
  const overlays = [...(container.parentElement ?? container).querySelectorAll(OVERLAYS)].map(
    boxOf,
  );
  const layout = layoutLabels({
    bounds: boxOf(container),
    overlays: overlays.filter((b) => b.width > 0 && b.height > 0),
    zones: zones.input,
    tractors,
    sections: sections.input,
  });
  previous.clear();
  for (const [id, place] of layout.tractors) {
    previous.set(id, place);
    const label = tractorLabels.get(id);
    label?.setAttribute(PLACE_ATTRIBUTE, place ?? 'none');
    label?.toggleAttribute(OVER_MARKER_ATTRIBUTE, layout.overMarkers.has(id));
  }
  for (const [id, holder] of zones.holders)
    holder.classList.toggle(HIDDEN_CLASS, layout.hiddenZones.has(id));
  for (const [id, holder] of sections.holders)
    holder.classList.toggle(HIDDEN_CLASS, layout.hiddenSections.has(id));
}

/**
 * Keeps the map's labels from hiding each other (label-layout.ts): laid out again after every
 * render of the map (declare this hook after the layers it lays out, so it runs after they
 * drew), after every pan, zoom and resize, and when an overlay changes size.
 */
export function useLabelLayout(map: L.Map | null): void {
  const previous = useRef(new Map<string, TractorLabelPlace | null>());

  // No dependency list: whatever made the map render may have moved or redrawn a label.
  useEffect(() => {
    if (map) applyLayout(map, previous.current);
  });

  useEffect(() => {
    if (!map) return;
    const run = (): void => applyLayout(map, previous.current);
    map.on('zoomend moveend resize', run);
    // An overlay changing size changes what lies over the map without the map rendering.
    const resized = new ResizeObserver(run);
    const root = map.getContainer().parentElement;
    for (const el of root?.querySelectorAll(RESIZING_OVERLAYS) ?? []) resized.observe(el);
    // Markers and labels can also move between the map's renders (a machine's last metres
    // before it stands still): a look every so often catches what no render did.
    const settle = setInterval(run, SETTLE_LAYOUT_MS);
    return () => {
      map.off('zoomend moveend resize', run);
      resized.disconnect();
      clearInterval(settle);
    };
  }, [map]);
}
