/**
 * An edited boundary of a job under way, laid out for the job: validated and planned in the job's
 * own frame, with the scan rows its coverage is folded on. The costly part of a live boundary
 * edit (validation, planning, the rows), done in the field thread; nothing of the job changes here.
 */
import { coverageGrid, type CoverageGrid } from './coverage-grid.js';
import { planField } from './plan-field.js';
import type { FieldPlan, PlanOptions } from './plan-types.js';
import type { FrameOrigin } from './tangent-frame.js';
import type { FieldGeometry } from './types.js';
import { validateField, type ValidField } from './validate-field.js';

export interface FieldRevision {
  boundary: FieldGeometry;
  /** The job's frame: the new plan's coordinates are comparable with the old. */
  origin: FrameOrigin;
  /** The job's options, with its work direction, so old and new swaths run alike. */
  options: Partial<PlanOptions>;
}

export type RevisedField =
  | { ok: true; field: ValidField; plan: FieldPlan; grid: CoverageGrid }
  | { ok: false; error: string };

export function reviseField(revision: FieldRevision): RevisedField {
  const valid = validateField(revision.boundary, revision.origin);
  if (!valid.ok) return { ok: false, error: valid.error.message };
  const plan = planField(valid.value, revision.options);
  return { ok: true, field: valid.value, plan, grid: coverageGrid(plan) };
}
