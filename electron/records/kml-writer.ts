/**
 * KML 2.2 (OGC 07-147r2) for a quick look: a folder per layer, a placemark per feature with its
 * attributes as ExtendedData, passes drawn semi-transparent so ground worked twice shows darker,
 * and the refill stops as pins in a folder of their own.
 */
import { machineLabel } from '../../shared/index.js';
import type { LonLat } from '../fleet/index.js';
import {
  POLYGON_LAYERS,
  type ExportLayers,
  type LayerFeature,
  type LayerName,
  type PointFeature,
} from './export-layers.js';

const STYLES: Readonly<Record<LayerName, string>> = {
  // KML colours are aabbggrr.
  field:
    '<LineStyle><color>ff00a5ff</color><width>3</width></LineStyle><PolyStyle><fill>0</fill></PolyStyle>',
  sections:
    '<LineStyle><color>80ffffff</color><width>1</width></LineStyle><PolyStyle><fill>0</fill></PolyStyle>',
  passes:
    '<LineStyle><color>00000000</color></LineStyle><PolyStyle><color>5500c000</color></PolyStyle>',
};

const FOLDER_NAMES: Readonly<Record<LayerName, string>> = {
  field: 'Field',
  sections: 'Sections',
  passes: 'Worked passes',
};

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function coordinates(ring: readonly LonLat[]): string {
  return ring.map((p) => `${p[0]},${p[1]}`).join(' ');
}

function extendedData(f: LayerFeature | PointFeature): string {
  const data = Object.entries(f.properties)
    .map(
      ([k, v]) =>
        `<Data name="${k}"><value>${escapeXml(v === null ? '' : String(v))}</value></Data>`,
    )
    .join('');
  return `<ExtendedData>${data}</ExtendedData>`;
}

function placemark(layer: LayerName, name: string, f: LayerFeature): string {
  const [outer, ...holes] = f.rings;
  const inner = holes
    .map(
      (h) =>
        `<innerBoundaryIs><LinearRing><coordinates>${coordinates(h)}</coordinates></LinearRing></innerBoundaryIs>`,
    )
    .join('');
  return `<Placemark><name>${escapeXml(name)}</name><styleUrl>#${layer}</styleUrl>${extendedData(f)}<Polygon><outerBoundaryIs><LinearRing><coordinates>${coordinates(outer ?? [])}</coordinates></LinearRing></outerBoundaryIs>${inner}</Polygon></Placemark>`;
}

/** A refill stop as a pin: 'Refill stop 2, Tractor 1 (sim-01)'. */
function refillPlacemark(f: PointFeature): string {
  const machine = machineOf(f);
  const name = `Refill stop ${String(f.properties['stop'])}${machine === null ? '' : `, ${machine}`}`;
  return `<Placemark><name>${escapeXml(name)}</name>${extendedData(f)}<Point><coordinates>${f.at[0]},${f.at[1]}</coordinates></Point></Placemark>`;
}

/** The machine as 'Tractor 1 (sim-01)', or null for none. */
function machineOf(f: LayerFeature | PointFeature): string | null {
  const id = f.properties['tractor'];
  if (typeof id !== 'string') return null;
  const name = f.properties['tractor_nm'];
  return machineLabel(typeof name === 'string' ? name : id, id);
}

function featureName(layer: LayerName, f: LayerFeature): string {
  const p = f.properties;
  if (layer === 'field') return String(p['name'] ?? 'Field');
  const machine = machineOf(f);
  const what =
    layer === 'sections' ? `Section ${String(p['section'])}` : `Pass ${String(p['pass'])}`;
  return machine === null ? what : `${what}, ${machine}`;
}

export function writeKml(layers: ExportLayers, documentName: string): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
    `<name>${escapeXml(documentName)}</name>`,
  ];
  for (const layer of POLYGON_LAYERS) parts.push(`<Style id="${layer}">${STYLES[layer]}</Style>`);
  for (const layer of POLYGON_LAYERS) {
    parts.push(`<Folder><name>${FOLDER_NAMES[layer]}</name>`);
    for (const f of layers[layer]) parts.push(placemark(layer, featureName(layer, f), f));
    parts.push('</Folder>');
  }
  parts.push('<Folder><name>Refill stops</name>');
  for (const f of layers.refills) parts.push(refillPlacemark(f));
  parts.push('</Folder>');
  parts.push('</Document></kml>');
  return parts.join('\n');
}
