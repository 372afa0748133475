import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geodesicAreaM2 } from './geodesic-area.js';
import { importFields } from './import-fields.js';

const DIR = join(import.meta.dirname, '..', '..', 'assets', 'fields');
const files = [
  ...readdirSync(DIR).filter((f) => f.endsWith('.geojson')),
  ...readdirSync(join(DIR, 'samples')).map((f) => join('samples', f)),
];

describe('the bundled fields', () => {
  it.each(files)('%s imports, with areas within 0.1%% of the geodesic area', async (file) => {
    const r = await importFields(join(DIR, file));
    if (!r.ok) throw r.error;
    expect(r.value.fields.length).toBeGreaterThan(0);
    for (const f of r.value.fields) {
      const geo = geodesicAreaM2(f.geometry.boundary);
      expect(Math.abs(f.areaM2 - geo) / geo).toBeLessThan(0.001);
    }
  });

  it('span small to over 40 ha, with holes, as the benchmark needs', async () => {
    const areas: number[] = [];
    let holed = 0;
    for (const file of files.filter((f) => f.endsWith('.geojson') && f !== 'demo-farm.geojson')) {
      const r = await importFields(join(DIR, file));
      if (!r.ok) throw r.error;
      for (const f of r.value.fields) {
        areas.push(f.areaHa);
        if (f.holes > 0) holed++;
      }
    }
    expect(areas.length).toBeGreaterThanOrEqual(8);
    expect(Math.min(...areas)).toBeLessThan(5);
    expect(Math.max(...areas)).toBeGreaterThanOrEqual(40);
    expect(holed).toBeGreaterThanOrEqual(3);
  });
});
