import JSZip from 'jszip';
import type { LonLat } from '../types.js';

/**
 * A minimal polygon shapefile writer for tests (ESRI Shapefile Technical Description, 1998):
 * .shp with shape type 5, .shx index, and a dBASE III .dbf with one NAME column.
 */
export async function zippedShapefile(
  records: { name: string; rings: LonLat[][] }[],
  prj?: string,
): Promise<Uint8Array> {
  const contents = records.map((r) => polygonContent(r.rings));
  const shpLen = 100 + contents.reduce((s, c) => s + 8 + c.byteLength, 0);
  const shp = new DataView(new ArrayBuffer(shpLen));
  const shx = new DataView(new ArrayBuffer(100 + 8 * records.length));
  const all = records.flatMap((r) => r.rings.flat());
  header(shp, shpLen, all);
  header(shx, 100 + 8 * records.length, all);
  let off = 100;
  contents.forEach((c, i) => {
    shx.setInt32(100 + 8 * i, off / 2, false);
    shx.setInt32(104 + 8 * i, c.byteLength / 2, false);
    shp.setInt32(off, i + 1, false);
    shp.setInt32(off + 4, c.byteLength / 2, false);
    new Uint8Array(shp.buffer).set(new Uint8Array(c), off + 8);
    off += 8 + c.byteLength;
  });
  const zip = new JSZip();
  zip.file('fields.shp', new Uint8Array(shp.buffer));
  zip.file('fields.shx', new Uint8Array(shx.buffer));
  zip.file('fields.dbf', dbf(records.map((r) => r.name)));
  if (prj) zip.file('fields.prj', prj);
  return zip.generateAsync({ type: 'uint8array' });
}

function header(v: DataView, lengthBytes: number, pts: LonLat[]): void {
  v.setInt32(0, 9994, false);
  v.setInt32(24, lengthBytes / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, 5, true);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((b, i) =>
    v.setFloat64(36 + 8 * i, b, true),
  );
}

function polygonContent(rings: LonLat[][]): ArrayBuffer {
  const nPoints = rings.reduce((s, r) => s + r.length, 0);
  const buf = new ArrayBuffer(44 + 4 * rings.length + 16 * nPoints);
  const v = new DataView(buf);
  v.setInt32(0, 5, true);
  const pts = rings.flat();
  [
    Math.min(...pts.map((p) => p[0])),
    Math.min(...pts.map((p) => p[1])),
    Math.max(...pts.map((p) => p[0])),
    Math.max(...pts.map((p) => p[1])),
  ].forEach((b, i) => v.setFloat64(4 + 8 * i, b, true));
  v.setInt32(36, rings.length, true);
  v.setInt32(40, nPoints, true);
  let start = 0;
  rings.forEach((r, i) => {
    v.setInt32(44 + 4 * i, start, true);
    start += r.length;
  });
  const base = 44 + 4 * rings.length;
  pts.forEach((p, i) => {
    v.setFloat64(base + 16 * i, p[0], true);
    v.setFloat64(base + 16 * i + 8, p[1], true);
  });
  return buf;
}

function dbf(names: string[]): Uint8Array {
  const width = 40;
  const headerLen = 32 + 32 + 1;
  const recLen = 1 + width;
  const out = new Uint8Array(headerLen + recLen * names.length + 1);
  const v = new DataView(out.buffer);
  out[0] = 0x03;
  v.setUint32(4, names.length, true);
  v.setUint16(8, headerLen, true);
  v.setUint16(10, recLen, true);
  out.set(new TextEncoder().encode('NAME'), 32);
  out[32 + 11] = 'C'.charCodeAt(0);
  out[32 + 16] = width;
  out[64] = 0x0d;
  names.forEach((n, i) => {
    const off = headerLen + recLen * i;
    out[off] = 0x20;
    const bytes = new TextEncoder().encode(n.padEnd(width, ' ').slice(0, width));
    out.set(bytes, off + 1);
  });
  out[out.length - 1] = 0x1a;
  return out;
}
