/**
 * KML 2.2 (OGC 07-147r2) for a quick look: a folder per layer, a placemark per feature with its
 * attributes as ExtendedData, passes drawn semi-transparent so ground worked twice shows darker.
 */
import { machineLabel } from '../../shared/index.js';
import type { LonLat } from '../fleet/index.js';
import type { ExportLayers, LayerFeature, LayerName } from './export-layers.js';

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

function placemark(layer: LayerName, name: string, f: LayerFeature): string {
  const [outer, ...holes] = f.rings;
  const data = Object.entries(f.properties)
    .map(
      ([k, v]) =>
        `<Data name="${k}"><value>${escapeXml(v === null ? '' : String(v))}</value></Data>`,
    )
    .join('');
  const inner = holes
    .map(
      (h) =>
        `<innerBoundaryIs><LinearRing><coordinates>${coordinates(h)}</coordinates></LinearRing></innerBoundaryIs>`,
    )
    .join('');
  return `<Placemark><name>${escapeXml(name)}</name><styleUrl>#${layer}</styleUrl><ExtendedData>${data}</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>${coordinates(outer ?? [])}</coordinates></LinearRing></outerBoundaryIs>${inner}</Polygon></Placemark>`;
}

/** The machine as 'Tractor 1 (sim-01)', or null for none. */
function machineOf(f: LayerFeature): string | null {
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
  for (const layer of ['field', 'sections', 'passes'] as const)
    parts.push(`<Style id="${layer}">${STYLES[layer]}</Style>`);
  for (const layer of ['field', 'sections', 'passes'] as const) {
    parts.push(`<Folder><name>${FOLDER_NAMES[layer]}</name>`);
    for (const f of layers[layer]) parts.push(placemark(layer, featureName(layer, f), f));
    parts.push('</Folder>');
  }
  parts.push('</Document></kml>');
  return parts.join('\n');
}
