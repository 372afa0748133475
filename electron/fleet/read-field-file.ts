import { importFields } from './import-fields.js';
import { validateField, type ValidField } from './validate-field.js';

export type FieldFileRead =
  { ok: true; value: { field: ValidField; fieldsInFile: number } } | { ok: false; error: string };

/** Reads a boundary file (any supported format) and validates its first field. */
export async function readFieldFile(bytes: Uint8Array): Promise<FieldFileRead> {
  const imported = await importFields(bytes);
  if (!imported.ok) return { ok: false, error: imported.error.message };
  const first = imported.value.fields[0];
  if (!first) return { ok: false, error: 'no field in the file' };
  const valid = validateField(first.geometry);
  if (!valid.ok) return { ok: false, error: valid.error.message };
  return { ok: true, value: { field: valid.value, fieldsInFile: imported.value.fields.length } };
}
