import { join } from 'node:path';
import { importFields } from '../import-fields.js';
import { TangentFrame } from '../tangent-frame.js';
import { validateField, type ValidField } from '../validate-field.js';
import type { FieldGeometry, LonLat, XY } from '../types.js';

/** A point of origin in Lower Saxony farmland, so builders make realistic coordinates. */
export const ORIGIN = { lon: 9.75, lat: 52.4 };

export function rectRing(x0: number, y0: number, x1: number, y1: number): XY[] {
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
}

/** The same rectangle closed (its first corner repeated last), as GeoJSON and the job document keep rings. */
export function closedRectRing(x0: number, y0: number, x1: number, y1: number): XY[] {
  return [...rectRing(x0, y0, x1, y1), [x0, y0]];
}

/** Builds a field from rings in metres around ORIGIN (closed as GeoJSON requires). */
export function fieldFromLocal(name: string, rings: XY[][], origin = ORIGIN): FieldGeometry {
  const frame = new TangentFrame(origin);
  return {
    name,
    boundary: rings.map((ring) => {
      const ll = ring.map((p) => frame.toLonLat(p));
      return [...ll, [ll[0]![0], ll[0]![1]] as LonLat];
    }),
  };
}

/** A width × height metre rectangle with optional rectangular holes. */
export function rectField(
  name: string,
  widthM: number,
  heightM: number,
  holes: XY[][] = [],
): FieldGeometry {
  return fieldFromLocal(name, [rectRing(0, 0, widthM, heightM), ...holes]);
}

/** The first field of a file in assets/fields (e.g. 'small-paddock.geojson'), validated. */
export async function assetField(fileName: string): Promise<ValidField> {
  const imported = await importFields(
    join(import.meta.dirname, '..', '..', '..', 'assets', 'fields', fileName),
  );
  const first = imported.ok ? imported.value.fields[0] : undefined;
  if (!first) throw new Error(`${fileName} did not import`);
  const valid = validateField(first.geometry);
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}

/** A square field `sideDeg` degrees on a side with a corner at 0°, 0° (validated). */
export function squareField(sideDeg: number): ValidField {
  const valid = validateField({
    name: 'Square',
    boundary: [closedRectRing(0, 0, sideDeg, sideDeg)],
  });
  if (!valid.ok) throw new Error(`test field is invalid: ${valid.error.message}`);
  return valid.value;
}
