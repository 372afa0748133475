/**
 * What the planning figures (bench/suites/plan.ts) plan for: seeded heterogeneous fleets (widths
 * 3–12 m, speeds 1.5–3.5 m/s, efficiency 0.65–0.9) and each bench field's plan at the swath
 * width and section length a station would choose for the fleet's size.
 */
import {
  planField,
  suggestSectionLengthM,
  type FieldPlan,
  type TractorCapability,
  type ValidField,
} from '../electron/fleet/index.js';
import type { Random } from '../electron/time/index.js';

export const SWATH_M = 6;
const WIDTHS_M = [3, 4.5, 6, 9, 12];

export function fleet(n: number, rnd: Random): TractorCapability[] {
  return Array.from({ length: n }, (_, i) => ({
    tractorId: `T${String(i + 1).padStart(2, '0')}`,
    implementType: rnd.next() < 0.5 ? 'cultivator' : 'disc-harrow',
    workingWidthM: WIDTHS_M[Math.floor(rnd.next() * WIDTHS_M.length)] ?? 6,
    workingSpeedMps: 1.5 + 2 * rnd.next(),
    fieldEfficiency: 0.65 + 0.25 * rnd.next(),
  }));
}

export function planFor(field: ValidField, fleetSize: number): FieldPlan {
  return planField(field, {
    swathWidthM: SWATH_M,
    headlandPasses: 2,
    maxSectionLengthM: suggestSectionLengthM(field.areaM2, SWATH_M, fleetSize),
  });
}
