/** Where a job's field comes from: a boundary file the operator opens, or the job's document. */
import type { LonLat } from '../../shared/index.js';
import { PlanningError, validateField } from '../fleet/index.js';
import { FieldWork, type FieldWorkOptions } from './field-work.js';

/**
 * The field work of a job read back from its document: its latest boundary in its own frame
 * (a restart after a boundary edit or after opening another field, or a job reopened from
 * the history).
 */
export function fieldWorkFromDocument(
  field: { name: string; rings: LonLat[][]; origin: [number, number]; revision: number },
  options: Omit<FieldWorkOptions, 'field' | 'revision'>,
): { ok: true; value: FieldWork } | { ok: false; error: string } {
  // Rings are kept open in the document; a boundary file's rings are closed.
  const closed = field.rings.map((ring) => {
    const first = ring[0];
    const last = ring.at(-1);
    return first && last && (first[0] !== last[0] || first[1] !== last[1])
      ? [...ring, first]
      : ring;
  });
  const valid = validateField(
    { name: field.name, boundary: closed },
    { lon: field.origin[0], lat: field.origin[1] },
  );
  if (!valid.ok) return { ok: false, error: valid.error.message };
  try {
    return {
      ok: true,
      value: new FieldWork({ ...options, field: valid.value, revision: field.revision }),
    };
  } catch (err) {
    // A field that validates but cannot be laid out is a field that cannot be read back.
    if (err instanceof PlanningError) return { ok: false, error: err.message };
    throw err;
  }
}
