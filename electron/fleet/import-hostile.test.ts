/**
 * Field files as an attacker (or a careless export) writes them: zip bombs, zips that lie about
 * their sizes, boundaries of too many points, numbers no field has, text in another encoding.
 * Each is refused with the problem named, at the cost of a field file — or read as written.
 */
import { describe, expect, it } from 'vitest';
import { importFields } from './import-fields.js';
import { MAX_FIELD_VERTICES } from './validate-field.js';
import { fieldFromLocal, rectField } from './test-helpers/fields.js';
import { zippedShapefile } from './test-helpers/shapefile-writer.js';
import { buildZip } from './test-helpers/zip-builder.js';
import type { LonLat, XY } from './types.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const MB = 1024 * 1024;

function kml(name: string, ring: readonly LonLat[] | string): string {
  const coords = typeof ring === 'string' ? ring : ring.map((p) => `${p[0]},${p[1]}`).join(' ');
  return `<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>${name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`;
}

async function refusal(input: Uint8Array): Promise<{ problem: string; message: string }> {
  const result = await importFields(input);
  if (result.ok) throw new Error('the file was accepted');
  return {
    problem: result.error.geometryProblem ?? result.error.problem,
    message: result.error.message,
  };
}

/** A comb (serpentine) boundary in metres: `teeth` teeth of 4 points each. */
function comb(teeth: number): XY[] {
  const h = 2_000 / (2 * teeth);
  const ring: XY[] = [[0, 0]];
  for (let i = 0; i < teeth; i++)
    ring.push(
      [2_000, 2 * i * h],
      [2_000, (2 * i + 1) * h],
      [50, (2 * i + 1) * h],
      [50, (2 * i + 2) * h],
    );
  ring.push([0, 2_000]);
  return ring;
}

const geojson = (rings: LonLat[][]): Uint8Array =>
  text(JSON.stringify({ type: 'Polygon', coordinates: rings }));

describe('zips that would unpack to more than a field file', () => {
  const square = rectField('Square', 200, 100).boundary[0] ?? [];

  it('refuses a KMZ holding 100 MB in a hundred KB before inflating it', async () => {
    const bomb = buildZip([{ name: 'doc.kml', content: new Uint8Array(100 * MB) }]);
    expect(bomb.length).toBeLessThan(MB);
    const { problem, message } = await refusal(bomb);
    expect(problem).toBe('too-large');
    expect(message).toMatch(/doc\.kml would unpack \d+ times its size \(100 MB\)/);
  });

  it('refuses a zipped shapefile whose entries together unpack to more than 64 MB', async () => {
    const honest = await zippedShapefile([{ name: 'F', rings: [square] }]);
    // Seventy entries that each claim 1 MB (an entry that small is not judged by its ratio).
    const padding = Array.from({ length: 70 }, (_, i) => ({
      name: `pad${i}.bin`,
      content: new Uint8Array(1_024).fill(i),
      declaredBytes: MB,
    }));
    const big = buildZip([{ name: 'fields.shp', content: honest.slice(0, 10) }, ...padding]);
    const { problem, message } = await refusal(big);
    expect(problem).toBe('too-large');
    expect(message).toMatch(/would unpack to 70 MB; a field file may hold at most 64 MB/);
  });

  it('refuses an entry that unpacks to more than the size it declares', async () => {
    const liar = buildZip([
      { name: 'doc.kml', content: new Uint8Array(4 * MB).fill(32), declaredBytes: 1_000 },
    ]);
    const { problem, message } = await refusal(liar);
    expect(problem).toBe('too-large');
    expect(message).toContain('doc.kml unpacks to more than the 1000 bytes the zip declares');
  });

  it('still reads an honest KMZ', async () => {
    const kmz = buildZip([{ name: 'doc.kml', content: text(kml('Honest', square)) }]);
    const result = await importFields(kmz);
    expect(result.ok && result.value.fields[0]?.geometry.name).toBe('Honest');
  });
});

describe('files that never end', () => {
  it('refuses a device that reads forever once it passed 64 MB', async () => {
    const result = await importFields('/dev/zero');
    expect(result.ok ? null : result.error.problem).toBe('too-large');
    expect(result.ok ? '' : result.error.message).toContain('more than 64 MB');
  });
});

describe('boundaries of too many points', () => {
  it('refuses a serpentine of 40,000 points with the count named, at once', async () => {
    const field = fieldFromLocal('Serpentine', [comb(10_000)]);
    const { problem, message } = await refusal(geojson(field.boundary));
    expect(problem).toBe('too-many-vertices');
    expect(message).toContain(`40,003 points; at most ${MAX_FIELD_VERTICES.toLocaleString('en')}`);
  });

  it('accepts a serpentine within the cap: its self-intersection check is O(n log n)', async () => {
    const field = fieldFromLocal('Serpentine', [comb(2_000)]);
    const result = await importFields(geojson(field.boundary));
    expect(result.ok).toBe(true);
  });
});

describe('numbers and text as the file has them', () => {
  it('names an infinite coordinate as Infinity, not null', async () => {
    const { problem, message } = await refusal(text(kml('Far', '1e999,52 10,52 10,53 1e999,52')));
    expect(problem).toBe('bad-coordinate');
    expect(message).toContain('[Infinity, 52]');
  });

  it('reads a Latin-1 KML that says so', async () => {
    const square = rectField('x', 200, 100).boundary[0] ?? [];
    const doc = `<?xml version="1.0" encoding="ISO-8859-1"?>${kml('Große Wiese', square)}`;
    const latin1 = new Uint8Array(Buffer.from(doc, 'latin1'));
    const result = await importFields(latin1);
    expect(result.ok && result.value.fields[0]?.geometry.name).toBe('Große Wiese');
  });

  it('refuses a Latin-1 KML that claims nothing, instead of garbling its names', async () => {
    const square = rectField('x', 200, 100).boundary[0] ?? [];
    const latin1 = new Uint8Array(Buffer.from(kml('Große Wiese', square), 'latin1'));
    const { problem, message } = await refusal(latin1);
    expect(problem).toBe('parse-error');
    expect(message).toContain('not valid UTF-8');
  });
});
