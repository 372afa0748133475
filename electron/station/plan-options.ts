/**
 * The planning options a job is laid out with: the station's own, with the section length
 * chosen for the fleet it runs when the station knows that fleet and sets no length itself.
 * A job read back after a restart is laid out again from its field with the same options, so
 * the choice depends on nothing but the field, the options and the fleet size.
 */
import {
  DEFAULT_PLAN_OPTIONS,
  fleetSectionLengthM,
  type PlanOptions,
  type ValidField,
} from '../fleet/index.js';

export function planOptionsFor(
  field: ValidField,
  plan: Partial<PlanOptions>,
  fleetSize: number | undefined,
): Partial<PlanOptions> {
  if (plan.maxSectionLengthM !== undefined || fleetSize === undefined || fleetSize < 1) return plan;
  const swathWidthM = plan.swathWidthM ?? DEFAULT_PLAN_OPTIONS.swathWidthM;
  return { ...plan, maxSectionLengthM: fleetSectionLengthM(field.areaM2, swathWidthM, fleetSize) };
}
