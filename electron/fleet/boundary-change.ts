import type { CoverageTracker } from './coverage-tracker.js';
import type { SectionProgress } from './allocation-types.js';
import type { FieldGeometryError } from './errors.js';
import { planField } from './plan-field.js';
import type { FieldPlan } from './plan-types.js';
import type { FieldGeometry, Result } from './types.js';
import { validateField } from './validate-field.js';

/**
 * The operator edits the boundary during work. The new field is planned in the old local frame
 * along the old work direction and on the old rows, so the swaths already driven stay where they
 * are and new ones meet them edge to edge; every new section starts with the share of it already
 * worked (from coverage), so finished ground is not handed out again. The caller refolds the coverage logs into a tracker for the new plan.
 */
export function replanBoundary(
  boundary: FieldGeometry,
  previous: FieldPlan,
  worked: CoverageTracker,
  maxSectionLengthM: number,
): Result<{ plan: FieldPlan; progress: Record<string, SectionProgress> }, FieldGeometryError> {
  const valid = validateField(boundary, previous.origin);
  if (!valid.ok) return valid;
  const plan = planField(valid.value, {
    swathWidthM: previous.swathWidthM,
    headlandPasses: previous.headlandPasses,
    workDirectionDeg: previous.workDirectionDeg,
    ...(previous.rowPhaseM === undefined ? {} : { rowPhaseM: previous.rowPhaseM }),
    maxSectionLengthM,
  });
  const progress: Record<string, SectionProgress> = {};
  for (const s of plan.sections)
    progress[s.id] = {
      doneFraction: s.areaM2 > 0 ? Math.min(1, worked.coveredAreaWithin(s.polygon) / s.areaM2) : 1,
    };
  return { ok: true, value: { plan, progress } };
}
