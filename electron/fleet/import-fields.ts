import { open } from 'node:fs/promises';
import { FieldImportError } from './errors.js';
import { readGeoJson } from './import-geojson.js';
import { readIsoxml } from './import-isoxml.js';
import { readKml } from './import-kml.js';
import { readZippedShapefile } from './import-shapefile.js';
import { ReaderError, type RawField } from './raw-field.js';
import type { FieldGeometry, Result } from './types.js';
import { validateField } from './validate-field.js';
import { decodeXmlText } from './xml-text.js';
import { ZIP_LIMITS, ZipArchive } from './zip-archive.js';

/** A field file is kilobytes to a few megabytes; nothing larger is read. */
export const MAX_FIELD_FILE_BYTES = ZIP_LIMITS.maxTotalBytes;

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
    // Sizes are checked from the zip's directory before anything is inflated (zip-archive.ts).
    const zip = new ZipArchive(bytes);
    const names = zip.names();
    if (names.some((n) => /(^|\/)TASKDATA\.XML$/i.test(n))) {
      // The ISOXML reader inflates for itself: first prove every entry is the size it claims.
      zip.verifyAll();
      return { format: 'isoxml-zip', fields: await readIsoxml(bytes, 'zip') };
    }
    if (names.some((n) => /\.shp$/i.test(n)))
      return { format: 'shapefile-zip', fields: await readZippedShapefile(zip) };
    const kml = zip.find((n) => /\.kml$/i.test(n));
    if (kml) return { format: 'kmz', fields: readKml(decodeXmlText(zip.read(kml), kml.name)) };
    throw new ReaderError(
      'parse-error',
      'the zip holds neither a shapefile, an ISOXML TASKDATA nor a KML',
    );
  }
  const head = new TextDecoder('latin1')
    .decode(bytes.subarray(0, 512))
    .replace(/^\u00ef\u00bb\u00bf/, '');
  const start = head.trimStart();
  if (start.startsWith('{')) return { format: 'geojson', fields: readGeoJson(decodeJson(bytes)) };
  if (start.startsWith('<') || /^\u00ff\u00fe|^\u00fe\u00ff/.test(head)) {
    const text = decodeXmlText(bytes, 'the file');
    if (/<ISO11783_TaskData[\s>]/.test(text.slice(0, 4096)))
      return { format: 'isoxml-xml', fields: await readIsoxml(text, 'xml') };
    return { format: 'kml', fields: readKml(text) };
  }
  throw new ReaderError(
    'parse-error',
    'unknown format: expected GeoJSON, KML/KMZ, a zipped shapefile or ISOXML TASKDATA',
  );
}

/** GeoJSON is UTF-8 (RFC 7946 §1, RFC 8259 §8.1): other bytes are named, not replaced. */
function decodeJson(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ReaderError('parse-error', 'the GeoJSON file is not valid UTF-8 text (RFC 7946)');
  }
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
      const read = await readAtMost(input, MAX_FIELD_FILE_BYTES);
      if (read === null) return { ok: false, error: tooLargeFile() };
      bytes = read;
    } catch (e) {
      return {
        ok: false,
        error: new FieldImportError('read-error', `cannot read ${input}: ${(e as Error).message}`),
      };
    }
  } else bytes = input;
  if (bytes.length > MAX_FIELD_FILE_BYTES) return { ok: false, error: tooLargeFile() };
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

function tooLargeFile(): FieldImportError {
  return new FieldImportError(
    'too-large',
    `the file holds more than ${MAX_FIELD_FILE_BYTES / 1024 / 1024} MB; a field file is far smaller`,
  );
}

/** A file's bytes, or null when it holds more than `max` (a device or pipe may never end). */
async function readAtMost(path: string, max: number): Promise<Uint8Array | null> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) return null;
    }
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    await file.close();
  }
}
