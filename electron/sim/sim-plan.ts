import type { PlanOptions } from '../fleet/index.js';

/** Working width of every simulated implement, and the swath width the field is planned for. */
export const SIM_IMPLEMENT_WIDTH_M = 12;
export const SIM_PLAN_OPTIONS: Partial<PlanOptions> = {
  swathWidthM: SIM_IMPLEMENT_WIDTH_M,
  headlandPasses: 1,
};
