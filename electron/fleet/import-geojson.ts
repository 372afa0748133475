import { at } from './at.js';
import { z } from 'zod';
import { partsToFields, ReaderError, type RawField } from './raw-field.js';
import type { LonLat } from './types.js';

// RFC 7946 §3.1: positions are arrays of numbers; extra elements (altitude) are allowed and dropped.
const position = z.array(z.number()).min(2);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) });
const multiPolygon = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(z.array(position))),
});
const anyGeometry = z.object({ type: z.string() }).loose();
const feature = z.object({
  type: z.literal('Feature'),
  geometry: anyGeometry.nullable(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});
const collection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

const NAME_KEYS = ['name', 'Name', 'NAME', 'field', 'FIELD', 'title', 'id'];

export function nameFromProperties(
  props: Record<string, unknown> | null | undefined,
  fallback: string,
): string {
  for (const key of NAME_KEYS) {
    const v = props?.[key];
    if ((typeof v === 'string' && v.trim() !== '') || typeof v === 'number')
      return String(v).trim();
  }
  return fallback;
}

function toLonLat(rings: number[][][]): LonLat[][] {
  return rings.map((ring) => ring.map((p) => [at(p, 0), at(p, 1)] as LonLat));
}

/** Polygon parts of a GeoJSON geometry object, or a ReaderError for anything else. */
export function geometryParts(geometry: unknown, where: string): LonLat[][][] {
  const type = anyGeometry.safeParse(geometry);
  if (!type.success) throw new ReaderError('parse-error', `${where}: not a GeoJSON geometry`);
  if (type.data.type === 'Polygon') {
    const p = polygon.safeParse(geometry);
    if (!p.success) throw new ReaderError('parse-error', `${where}: malformed Polygon coordinates`);
    return [toLonLat(p.data.coordinates)];
  }
  if (type.data.type === 'MultiPolygon') {
    const p = multiPolygon.safeParse(geometry);
    if (!p.success)
      throw new ReaderError('parse-error', `${where}: malformed MultiPolygon coordinates`);
    return p.data.coordinates.map(toLonLat);
  }
  throw new ReaderError(
    'unsupported-geometry',
    `${where}: a ${type.data.type} is not a field boundary (Polygon or MultiPolygon expected)`,
  );
}

/** Reads Polygon, MultiPolygon, Feature or FeatureCollection (RFC 7946). Non-area features in a collection are skipped. */
export function readGeoJson(text: string): RawField[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ReaderError('parse-error', `not valid JSON: ${(e as Error).message}`);
  }
  const col = collection.safeParse(doc);
  if (col.success) {
    const fields: RawField[] = [];
    col.data.features.forEach((f, i) => {
      const parsed = feature.safeParse(f);
      if (!parsed.success)
        throw new ReaderError('parse-error', `feature ${i + 1} is not a GeoJSON Feature`);
      const g = parsed.data.geometry;
      if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
      const name = nameFromProperties(parsed.data.properties, `Field ${i + 1}`);
      fields.push(...partsToFields(name, geometryParts(g, `feature ${i + 1} (${name})`)));
    });
    return fields;
  }
  const single = feature.safeParse(doc);
  if (single.success) {
    const name = nameFromProperties(single.data.properties, 'Field 1');
    return partsToFields(name, geometryParts(single.data.geometry, name));
  }
  return partsToFields('Field 1', geometryParts(doc, 'geometry'));
}
