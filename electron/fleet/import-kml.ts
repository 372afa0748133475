import { DOMParser, type Element } from '@xmldom/xmldom';
import { partsToFields, ReaderError, type RawField } from './raw-field.js';
import type { LonLat } from './types.js';

function children(el: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).localName === localName) out.push(n as Element);
  return out;
}

function descendants(el: Element, localName: string): Element[] {
  return Array.from(el.getElementsByTagNameNS('*', localName));
}

/** OGC KML 2.2 §16.9: coordinates are "lon,lat[,alt]" tuples separated by whitespace. */
function parseCoordinates(text: string, where: string): LonLat[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((tuple) => {
      const [lon, lat] = tuple.split(',').map(Number);
      if (lon === undefined || lat === undefined || Number.isNaN(lon) || Number.isNaN(lat))
        throw new ReaderError('parse-error', `${where}: bad coordinate tuple "${tuple}"`);
      return [lon, lat];
    });
}

function ringOf(boundary: Element, where: string): LonLat[] {
  const ring = descendants(boundary, 'LinearRing')[0];
  const coords = ring ? descendants(ring, 'coordinates')[0] : undefined;
  if (!coords)
    throw new ReaderError('parse-error', `${where}: boundary without LinearRing coordinates`);
  return parseCoordinates(coords.textContent ?? '', where);
}

function polygonRings(poly: Element, where: string): LonLat[][] {
  const outer = children(poly, 'outerBoundaryIs')[0];
  if (!outer) throw new ReaderError('parse-error', `${where}: Polygon without outerBoundaryIs`);
  return [ringOf(outer, where), ...children(poly, 'innerBoundaryIs').map((b) => ringOf(b, where))];
}

/** Reads every Placemark with Polygon geometry (also inside MultiGeometry), OGC KML 2.2 §10.8. */
export function readKml(text: string): RawField[] {
  let root: Element | null;
  const errors: string[] = [];
  try {
    const doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') errors.push(msg);
      },
    }).parseFromString(text, 'text/xml');
    root = doc.documentElement;
  } catch (e) {
    throw new ReaderError('parse-error', `not well-formed XML: ${(e as Error).message}`);
  }
  if (errors.length > 0 || !root)
    throw new ReaderError('parse-error', `not well-formed XML: ${errors[0] ?? 'empty document'}`);
  if (root.localName !== 'kml')
    throw new ReaderError('parse-error', `root element <${root.localName}> is not <kml>`);
  const fields: RawField[] = [];
  descendants(root, 'Placemark').forEach((pm, i) => {
    const nameEl = children(pm, 'name')[0];
    const name = nameEl?.textContent?.trim() || `Field ${i + 1}`;
    const polys = descendants(pm, 'Polygon');
    if (polys.length === 0) return;
    fields.push(
      ...partsToFields(
        name,
        polys.map((p) => polygonRings(p, name)),
      ),
    );
  });
  return fields;
}
