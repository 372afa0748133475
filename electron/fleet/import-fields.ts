import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { FieldImportError } from './errors.js';
import { readGeoJson } from './import-geojson.js';
import { readIsoxml } from './import-isoxml.js';
import { readKml } from './import-kml.js';
import { readZippedShapefile } from './import-shapefile.js';
import { ReaderError, type RawField } from './raw-field.js';
import type { FieldGeometry, Result } from './types.js';
import { validateField } from './validate-field.js';

/** A field found in a file, validated, with what the operator is shown. */
export interface ImportedField {
  geometry: FieldGeometry;
  areaM2: number;
  areaHa: number;
  holes: number;
}

export type FieldFormat = 'geojson' | 'kml' | 'kmz' | 'shapefile-zip' | 'isoxml-zip' | 'isoxml-xml';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4", PKWARE APPNOTE §4.3.7

async function readRaw(bytes: Uint8Array): Promise<{ format: FieldFormat; fields: RawField[] }> {
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (e) {
      throw new ReaderError('parse-error', `damaged zip: ${(e as Error).message}`);
    }
    const names = Object.keys(zip.files);
    if (names.some((n) => /(^|\/)TASKDATA\.XML$/i.test(n)))
      return { format: 'isoxml-zip', fields: await readIsoxml(bytes, 'zip') };
    if (names.some((n) => /\.shp$/i.test(n)))
      return { format: 'shapefile-zip', fields: await readZippedShapefile(zip) };
    const kml = Object.values(zip.files).find((f) => /\.kml$/i.test(f.name));
    if (kml) return { format: 'kmz', fields: readKml(await kml.async('string')) };
    throw new ReaderError(
      'parse-error',
      'the zip holds neither a shapefile, an ISOXML TASKDATA nor a KML',
    );
  }
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const head = text.trimStart();
  if (head.startsWith('{')) return { format: 'geojson', fields: readGeoJson(text) };
  if (head.startsWith('<')) {
    if (/<ISO11783_TaskData[\s>]/.test(head))
      return { format: 'isoxml-xml', fields: await readIsoxml(bytes, 'xml') };
    return { format: 'kml', fields: readKml(text) };
  }
  throw new ReaderError(
    'parse-error',
    'unknown format: expected GeoJSON, KML/KMZ, a zipped shapefile or ISOXML TASKDATA',
  );
}

/**
 * Imports every field of a file, all or nothing: the first invalid field fails the whole import
 * with an error naming the field and the problem (issue 7: "nothing half-imported").
 */
export async function importFields(
  input: Uint8Array | string,
): Promise<Result<{ format: FieldFormat; fields: ImportedField[] }, FieldImportError>> {
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    try {
      bytes = new Uint8Array(await readFile(input));
    } catch (e) {
      return {
        ok: false,
        error: new FieldImportError('read-error', `cannot read ${input}: ${(e as Error).message}`),
      };
    }
  } else bytes = input;
  let raw: { format: FieldFormat; fields: RawField[] };
  try {
    raw = await readRaw(bytes);
  } catch (e) {
    if (e instanceof ReaderError)
      return { ok: false, error: new FieldImportError(e.problem, e.message) };
    return {
      ok: false,
      error: new FieldImportError('parse-error', `unreadable file: ${(e as Error).message}`),
    };
  }
  if (raw.fields.length === 0)
    return {
      ok: false,
      error: new FieldImportError('no-fields', 'the file holds no field boundary (no Polygon)'),
    };
  const fields: ImportedField[] = [];
  for (const f of raw.fields) {
    const valid = validateField({ name: f.name, boundary: f.rings });
    if (!valid.ok)
      return {
        ok: false,
        error: new FieldImportError('invalid-geometry', valid.error.message, valid.error.problem),
      };
    const areaM2 = valid.value.areaM2;
    fields.push({
      geometry: valid.value.geometry,
      areaM2,
      areaHa: areaM2 / 1e4,
      holes: valid.value.geometry.boundary.length - 1,
    });
  }
  return { ok: true, value: { format: raw.format, fields } };
}
