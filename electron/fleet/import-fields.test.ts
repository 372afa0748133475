import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { FieldImportError } from './errors.js';
import { importFields } from './import-fields.js';
import { fieldFromLocal, rectField, rectRing } from './test-helpers/fields.js';
import { isoxmlTaskData } from './test-helpers/isoxml-writer.js';
import { zippedShapefile } from './test-helpers/shapefile-writer.js';
import type { LonLat } from './types.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const withHole = rectField('North', 400, 250, [rectRing(100, 100, 160, 140)]);
const plain = rectField('South', 200, 100);

function kmlCoords(ring: LonLat[]): string {
  return ring.map((p) => `${p[0]},${p[1]},0`).join(' ');
}

async function ok(input: Uint8Array): Promise<{ name: string; areaHa: number; holes: number }[]> {
  const r = await importFields(input);
  if (!r.ok) throw r.error;
  return r.value.fields.map((f) => ({
    name: f.geometry.name,
    areaHa: Math.round(f.areaHa * 1000) / 1000,
    holes: f.holes,
  }));
}

describe('importFields', () => {
  it('reads a GeoJSON FeatureCollection with several fields and a hole', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'North' },
          geometry: { type: 'Polygon', coordinates: withHole.boundary },
        },
        {
          type: 'Feature',
          properties: { name: 'South' },
          geometry: { type: 'Polygon', coordinates: plain.boundary },
        },
        {
          type: 'Feature',
          properties: { name: 'Gate' },
          geometry: { type: 'Point', coordinates: [9.75, 52.4] },
        },
      ],
    };
    expect(await ok(enc(JSON.stringify(fc)))).toEqual([
      { name: 'North', areaHa: 9.76, holes: 1 },
      { name: 'South', areaHa: 2, holes: 0 },
    ]);
  });

  it('splits a MultiPolygon into one field per part', async () => {
    const mp = {
      type: 'Feature',
      properties: { name: 'Split' },
      geometry: { type: 'MultiPolygon', coordinates: [withHole.boundary, plain.boundary] },
    };
    expect((await ok(enc(JSON.stringify(mp)))).map((f) => f.name)).toEqual(['Split', 'Split (2)']);
  });

  it('reads a bare Polygon geometry', async () => {
    expect(await ok(enc(JSON.stringify({ type: 'Polygon', coordinates: plain.boundary })))).toEqual(
      [{ name: 'Field 1', areaHa: 2, holes: 0 }],
    );
  });

  it('reads KML placemarks with inner boundaries and MultiGeometry', async () => {
    const kml = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
      <Placemark><name>North</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${kmlCoords(withHole.boundary[0]!)}</coordinates></LinearRing></outerBoundaryIs>
      <innerBoundaryIs><LinearRing><coordinates>${kmlCoords(withHole.boundary[1]!)}</coordinates></LinearRing></innerBoundaryIs></Polygon></Placemark>
      <Placemark><name>South</name><MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>${kmlCoords(plain.boundary[0]!)}</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
      <Placemark><name>Pin</name><Point><coordinates>9.75,52.4</coordinates></Point></Placemark>
    </Document></kml>`;
    expect(await ok(enc(kml))).toEqual([
      { name: 'North', areaHa: 9.76, holes: 1 },
      { name: 'South', areaHa: 2, holes: 0 },
    ]);
  });

  it('reads a zipped shapefile with names from the dbf', async () => {
    // Shapefile rings: outer clockwise, holes counter-clockwise (ESRI technical description p. 8).
    const rings = withHole.boundary.map((r) => [...r].reverse());
    const zip = await zippedShapefile([
      { name: 'North', rings },
      { name: 'South', rings: [[...plain.boundary[0]!].reverse()] },
    ]);
    expect(await ok(zip)).toEqual([
      { name: 'North', areaHa: 9.76, holes: 1 },
      { name: 'South', areaHa: 2, holes: 0 },
    ]);
  });

  it('refuses a shapefile whose .prj is projected', async () => {
    const zip = await zippedShapefile(
      [{ name: 'A', rings: [[...plain.boundary[0]!].reverse()] }],
      'PROJCS["WGS_1984_UTM_Zone_32N",GEOGCS["GCS_WGS_1984"]]',
    );
    const r = await importFields(zip);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/projected/);
  });

  it('reads ISOXML partfields with interior rings and obstacle polygons as holes', async () => {
    const pond = fieldFromLocal('p', [rectRing(300, 50, 340, 80)]).boundary[0]!;
    const zip = await isoxmlTaskData([
      { name: 'North', rings: withHole.boundary, obstacles: [pond] },
      { name: 'South', rings: plain.boundary },
    ]);
    expect(await ok(zip)).toEqual([
      { name: 'North', areaHa: 9.64, holes: 2 },
      { name: 'South', areaHa: 2, holes: 0 },
    ]);
  });

  it('reads an unzipped TASKDATA.XML', async () => {
    const zip = await JSZip.loadAsync(
      await isoxmlTaskData([{ name: 'South', rings: plain.boundary }]),
    );
    const xmlName = Object.keys(zip.files).find((n) => /TASKDATA\.XML$/i.test(n))!;
    const xml = await zip.file(xmlName)!.async('uint8array');
    expect(await ok(xml)).toEqual([{ name: 'South', areaHa: 2, holes: 0 }]);
  });

  it('refuses the whole file when one field is invalid, naming the field and the problem', async () => {
    const bad = rectField('Broken', 100, 100);
    bad.boundary[0]!.pop();
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'Good' },
          geometry: { type: 'Polygon', coordinates: plain.boundary },
        },
        {
          type: 'Feature',
          properties: { name: 'Broken' },
          geometry: { type: 'Polygon', coordinates: bad.boundary },
        },
      ],
    };
    const r = await importFields(enc(JSON.stringify(fc)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.problem).toBe('invalid-geometry');
    expect(r.error.geometryProblem).toBe('open-ring');
    expect(r.error.message).toContain('Broken');
  });

  it.each([
    ['garbage', enc('hello world'), 'parse-error'],
    ['truncated JSON', enc('{"type":"Feature",'), 'parse-error'],
    [
      'a LineString',
      enc(
        JSON.stringify({
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        }),
      ),
      'unsupported-geometry',
    ],
    [
      'an empty collection',
      enc(JSON.stringify({ type: 'FeatureCollection', features: [] })),
      'no-fields',
    ],
    ['broken XML', enc('<kml><Placemark>'), 'parse-error'],
    ['a damaged zip', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'parse-error'],
    [
      'string coordinates',
      enc(JSON.stringify({ type: 'Polygon', coordinates: [[['a', 'b']]] })),
      'parse-error',
    ],
  ])('refuses %s with a typed error', async (_label, bytes, problem) => {
    const r = await importFields(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.problem).toBe(problem);
  });

  it('reports a missing file as a read error', async () => {
    const r = await importFields('/nonexistent/field.geojson');
    expect(r.ok ? undefined : r.error.problem).toBe('read-error');
  });
});

describe('importFields on hostile input', () => {
  it('never throws on arbitrary bytes, JSON or XML; it returns a typed result', async () => {
    const { default: fc } = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.json().map((s) => enc(s)),
          fc.anything().map((v) => enc(JSON.stringify({ type: 'Polygon', coordinates: v }))),
          fc
            .string()
            .map((s) =>
              enc(
                `<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>${s}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`,
              ),
            ),
          fc
            .uint8Array({ maxLength: 200 })
            .map((b) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...b])),
        ),
        async (bytes) => {
          const r = await importFields(bytes);
          if (!r.ok) expect(r.error).toBeInstanceOf(FieldImportError);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
