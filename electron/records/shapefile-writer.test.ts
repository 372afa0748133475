import { read } from 'shapefile';
import { describe, expect, it } from 'vitest';
import type { LonLat } from '../fleet/index.js';
import { LAYER_ATTRIBUTES, type LayerFeature } from './export-layers.js';
import { WGS84_PRJ, writeShapefile } from './shapefile-writer.js';

const square = (x: number, y: number, size: number): LonLat[] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

const signedArea = (ring: readonly number[][]): number =>
  ring.reduce((n, p, i) => {
    const q = ring[(i + 1) % ring.length] ?? p;
    return n + ((p[0] ?? 0) * (q[1] ?? 0) - (q[0] ?? 0) * (p[1] ?? 0)) / 2;
  }, 0);

describe('writeShapefile', () => {
  const features: LayerFeature[] = [
    {
      // Counter-clockwise outer ring with a clockwise hole: the writer must flip both (ESRI: outer CW).
      rings: [square(10.123456789012, 52.1, 0.01), square(10.125, 52.102, 0.002).reverse()],
      properties: { name: 'Feld Süd — ÄÖÜ', area_ha: 69.123456789, tractor: null },
    },
    {
      rings: [square(11, 53, 0.001)],
      properties: { name: 'x'.repeat(300), area_ha: 0.5, tractor: 't2' },
    },
  ];
  const attributes = [
    ['name', 'text'],
    ['area_ha', 'number'],
    ['tractor', 'text'],
  ] as const;

  it('is read back by the shapefile package: rings, holes, full-precision coordinates, attributes', async () => {
    const files = writeShapefile(features, attributes, new Date(Date.UTC(2026, 4, 1)));
    // The .cpg says UTF-8; the shapefile package needs to be told (it defaults to windows-1252).
    const collection = await read(files.shp, files.dbf, { encoding: files.cpg.toLowerCase() });
    expect(collection.features).toHaveLength(2);
    const first = collection.features[0];
    expect(first?.geometry.type).toBe('Polygon');
    if (first?.geometry.type !== 'Polygon') return;
    const [outer, hole] = first.geometry.coordinates;
    expect(outer).toContainEqual([10.123456789012, 52.1]);
    expect(hole).toHaveLength(5);
    expect(first.properties).toEqual({
      name: 'Feld Süd — ÄÖÜ',
      area_ha: 69.123456789,
      tractor: null,
    });
    expect(collection.features[1]?.properties?.['name']).toBe('x'.repeat(254));
    expect(files.prj).toBe(WGS84_PRJ);
    expect(files.cpg).toBe('UTF-8');
  });

  it('writes outer rings clockwise and holes counter-clockwise, with a file length that matches', () => {
    const files = writeShapefile(features, attributes, new Date(0));
    const view = new DataView(files.shp.buffer);
    expect(view.getInt32(0, false)).toBe(9994);
    expect(view.getInt32(24, false) * 2).toBe(files.shp.length);
    expect(new DataView(files.shx.buffer).getInt32(24, false) * 2).toBe(files.shx.length);
    // First record: header 8 bytes, then type, box, parts, points.
    const at = 100 + 8;
    const parts = view.getInt32(at + 36, true);
    const points = view.getInt32(at + 40, true);
    expect([parts, points]).toEqual([2, 10]);
    const ring = (from: number, n: number): number[][] =>
      Array.from({ length: n }, (_, i) => [
        view.getFloat64(at + 44 + parts * 4 + (from + i) * 16, true),
        view.getFloat64(at + 44 + parts * 4 + (from + i) * 16 + 8, true),
      ]);
    expect(signedArea(ring(0, 5))).toBeLessThan(0);
    expect(signedArea(ring(5, 5))).toBeGreaterThan(0);
  });

  it("keeps every export layer's attribute names whole (dBASE cuts a name at 10 bytes)", async () => {
    for (const attributes of Object.values(LAYER_ATTRIBUTES)) {
      const properties = Object.fromEntries(attributes.map(([name]) => [name, name]));
      const files = writeShapefile(
        [{ rings: [square(11, 53, 0.001)], properties }],
        attributes,
        new Date(0),
      );
      const collection = await read(files.shp, files.dbf);
      expect(Object.keys(collection.features[0]?.properties ?? {})).toEqual(
        attributes.map(([name]) => name),
      );
    }
  });
});
