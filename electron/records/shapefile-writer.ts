/**
 * A polygon or point shapefile (.shp, .shx, .dbf, .prj, .cpg) from plain features, after the ESRI
 * Shapefile Technical Description (July 1998) and the dBASE III table format it names. Only what
 * an export needs: shape types 5 (Polygon) and 1 (Point), WGS84 degrees, text and number
 * attributes.
 */
import type { LonLat } from '../fleet/index.js';
import { ringSignedArea } from '../geometry/index.js';
import type { LayerFeature, PointFeature, PropertyValue } from './export-layers.js';

const FILE_CODE = 9994; // ESRI p. 3
const VERSION = 1000; // ESRI p. 3
const SHAPE_POLYGON = 5; // ESRI p. 4
const SHAPE_POINT = 1; // ESRI p. 4
/** A point record's content: shape type and X, Y (ESRI p. 5). */
const POINT_CONTENT_BYTES = 4 + 16;
const HEADER_BYTES = 100;
const RECORD_HEADER_BYTES = 8;
const DBF_VERSION = 0x03; // dBASE III without memo
const DBF_HEADER_BYTES = 32;
const DBF_FIELD_BYTES = 32;
const DBF_TERMINATOR = 0x0d;
const DBF_EOF = 0x1a;
const TEXT_BYTES = 254; // longest dBASE character field
const NUMBER_BYTES = 19;
const NUMBER_DECIMALS = 11;

/** ESRI's WKT for WGS84 degrees (EPSG:4326), as ArcGIS and QGIS write it. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

export type AttributeKind = 'text' | 'number';

export interface ShapefileFiles {
  shp: Uint8Array;
  shx: Uint8Array;
  dbf: Uint8Array;
  prj: string;
  cpg: string;
}

/** ESRI p. 8: outer rings clockwise, holes counter-clockwise. */
function oriented(rings: readonly (readonly LonLat[])[]): LonLat[][] {
  return rings.map((ring, i) => {
    const clockwise = ringSignedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? [...ring] : [...ring].reverse();
  });
}

function writeHeader(view: DataView, fileBytes: number, box: number[], shapeType: number): void {
  view.setInt32(0, FILE_CODE, false);
  view.setInt32(24, fileBytes / 2, false);
  view.setInt32(28, VERSION, true);
  view.setInt32(32, shapeType, true);
  box.forEach((v, i) => view.setFloat64(36 + i * 8, v, true));
}

function writeGeometry(features: readonly LayerFeature[]): { shp: Uint8Array; shx: Uint8Array } {
  const polys = features.map((f) => oriented(f.rings));
  const contentBytes = polys.map(
    (rings) => 44 + 4 * rings.length + 16 * rings.reduce((n, r) => n + r.length, 0),
  );
  const shpBytes = HEADER_BYTES + contentBytes.reduce((n, c) => n + RECORD_HEADER_BYTES + c, 0);
  const shxBytes = HEADER_BYTES + 8 * features.length;
  const shp = new Uint8Array(shpBytes);
  const shx = new Uint8Array(shxBytes);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  const all = [Infinity, Infinity, -Infinity, -Infinity];
  let offset = HEADER_BYTES;
  polys.forEach((rings, k) => {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const ring of rings)
      for (const [x, y] of ring) {
        box[0] = Math.min(box[0] ?? x, x);
        box[1] = Math.min(box[1] ?? y, y);
        box[2] = Math.max(box[2] ?? x, x);
        box[3] = Math.max(box[3] ?? y, y);
      }
    box.forEach((v, i) => (all[i] = i < 2 ? Math.min(all[i] ?? v, v) : Math.max(all[i] ?? v, v)));
    const content = contentBytes[k] ?? 0;
    xv.setInt32(HEADER_BYTES + k * 8, offset / 2, false);
    xv.setInt32(HEADER_BYTES + k * 8 + 4, content / 2, false);
    sv.setInt32(offset, k + 1, false);
    sv.setInt32(offset + 4, content / 2, false);
    let p = offset + RECORD_HEADER_BYTES;
    sv.setInt32(p, SHAPE_POLYGON, true);
    box.forEach((v, i) => sv.setFloat64(p + 4 + i * 8, v, true));
    sv.setInt32(p + 36, rings.length, true);
    sv.setInt32(
      p + 40,
      rings.reduce((n, r) => n + r.length, 0),
      true,
    );
    p += 44;
    let start = 0;
    for (const ring of rings) {
      sv.setInt32(p, start, true);
      p += 4;
      start += ring.length;
    }
    for (const ring of rings)
      for (const [x, y] of ring) {
        sv.setFloat64(p, x, true);
        sv.setFloat64(p + 8, y, true);
        p += 16;
      }
    offset += RECORD_HEADER_BYTES + content;
  });
  const box = features.length > 0 ? all : [0, 0, 0, 0];
  writeHeader(sv, shpBytes, box, SHAPE_POLYGON);
  writeHeader(xv, shxBytes, box, SHAPE_POLYGON);
  return { shp, shx };
}

function writePoints(features: readonly PointFeature[]): { shp: Uint8Array; shx: Uint8Array } {
  const recordBytes = RECORD_HEADER_BYTES + POINT_CONTENT_BYTES;
  const shpBytes = HEADER_BYTES + recordBytes * features.length;
  const shxBytes = HEADER_BYTES + 8 * features.length;
  const shp = new Uint8Array(shpBytes);
  const shx = new Uint8Array(shxBytes);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  features.forEach((f, k) => {
    const [x, y] = f.at;
    box[0] = Math.min(box[0] ?? x, x);
    box[1] = Math.min(box[1] ?? y, y);
    box[2] = Math.max(box[2] ?? x, x);
    box[3] = Math.max(box[3] ?? y, y);
    const offset = HEADER_BYTES + k * recordBytes;
    xv.setInt32(HEADER_BYTES + k * 8, offset / 2, false);
    xv.setInt32(HEADER_BYTES + k * 8 + 4, POINT_CONTENT_BYTES / 2, false);
    sv.setInt32(offset, k + 1, false);
    sv.setInt32(offset + 4, POINT_CONTENT_BYTES / 2, false);
    sv.setInt32(offset + RECORD_HEADER_BYTES, SHAPE_POINT, true);
    sv.setFloat64(offset + RECORD_HEADER_BYTES + 4, x, true);
    sv.setFloat64(offset + RECORD_HEADER_BYTES + 12, y, true);
  });
  const bounds = features.length > 0 ? box : [0, 0, 0, 0];
  writeHeader(sv, shpBytes, bounds, SHAPE_POINT);
  writeHeader(xv, shxBytes, bounds, SHAPE_POINT);
  return { shp, shx };
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `s`, cut to at most `max` bytes without splitting a character. */
function textBytes(s: string, max: number): Uint8Array {
  let bytes = encoder.encode(s);
  let cut = s.length;
  while (bytes.length > max) bytes = encoder.encode(s.slice(0, --cut));
  return bytes;
}

function writeTable(
  features: readonly { readonly properties: Readonly<Record<string, PropertyValue>> }[],
  attributes: readonly (readonly [string, AttributeKind])[],
  date: Date,
): Uint8Array {
  const sizes = attributes.map(([name, kind]) => {
    if (kind === 'number') return NUMBER_BYTES;
    const longest = Math.max(
      1,
      ...features.map((f) => encoder.encode(String(f.properties[name] ?? '')).length),
    );
    return Math.min(TEXT_BYTES, longest);
  });
  const headerBytes = DBF_HEADER_BYTES + DBF_FIELD_BYTES * attributes.length + 1;
  const recordBytes = 1 + sizes.reduce((n, s) => n + s, 0);
  const out = new Uint8Array(headerBytes + recordBytes * features.length + 1).fill(0);
  const view = new DataView(out.buffer);
  out[0] = DBF_VERSION;
  out[1] = date.getUTCFullYear() - 1900;
  out[2] = date.getUTCMonth() + 1;
  out[3] = date.getUTCDate();
  view.setUint32(4, features.length, true);
  view.setUint16(8, headerBytes, true);
  view.setUint16(10, recordBytes, true);
  attributes.forEach(([name, kind], i) => {
    const at = DBF_HEADER_BYTES + i * DBF_FIELD_BYTES;
    out.set(textBytes(name, 10), at);
    out[at + 11] = (kind === 'number' ? 'N' : 'C').charCodeAt(0);
    out[at + 16] = sizes[i] ?? 1;
    out[at + 17] = kind === 'number' ? NUMBER_DECIMALS : 0;
  });
  out[headerBytes - 1] = DBF_TERMINATOR;
  features.forEach((f, k) => {
    let p = headerBytes + k * recordBytes;
    out.fill(0x20, p, p + recordBytes);
    p += 1; // deletion flag: space = live record
    attributes.forEach(([name, kind], i) => {
      const size = sizes[i] ?? 1;
      const value = f.properties[name] ?? null;
      if (kind === 'number') {
        const text =
          typeof value === 'number' && Number.isFinite(value) ? value.toFixed(NUMBER_DECIMALS) : '';
        out.set(textBytes(text, size), p + size - Math.min(size, text.length));
      } else if (value !== null) out.set(textBytes(String(value), size), p);
      p += size;
    });
  });
  out[out.length - 1] = DBF_EOF;
  return out;
}

export function writeShapefile(
  features: readonly LayerFeature[],
  attributes: readonly (readonly [string, AttributeKind])[],
  date: Date,
): ShapefileFiles {
  const { shp, shx } = writeGeometry(features);
  return { shp, shx, dbf: writeTable(features, attributes, date), prj: WGS84_PRJ, cpg: 'UTF-8' };
}

export function writePointShapefile(
  features: readonly PointFeature[],
  attributes: readonly (readonly [string, AttributeKind])[],
  date: Date,
): ShapefileFiles {
  const { shp, shx } = writePoints(features);
  return { shp, shx, dbf: writeTable(features, attributes, date), prj: WGS84_PRJ, cpg: 'UTF-8' };
}
