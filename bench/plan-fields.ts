/** The benchmark fields: every GeoJSON in assets/fields/ but the demo farm, in file-name order. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFields, validateField, type ValidField } from '../electron/fleet/index.js';

const FIELDS_DIR = join(import.meta.dirname, '..', 'assets', 'fields');

export async function loadBenchFields(): Promise<ValidField[]> {
  const out: ValidField[] = [];
  for (const file of readdirSync(FIELDS_DIR)
    .filter((f) => f.endsWith('.geojson') && f !== 'demo-farm.geojson')
    .sort()) {
    const r = await importFields(new Uint8Array(readFileSync(join(FIELDS_DIR, file))));
    if (!r.ok) throw r.error;
    for (const f of r.value.fields) {
      const v = validateField(f.geometry);
      if (!v.ok) throw v.error;
      out.push(v.value);
    }
  }
  return out;
}
