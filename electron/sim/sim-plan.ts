import type { ImplementCapacity, LonLat } from '../../shared/index.js';
import { TangentFrame, type PlanOptions, type ValidField } from '../fleet/index.js';

/** Working width of every simulated implement, and the swath width the field is planned for. */
export const SIM_IMPLEMENT_WIDTH_M = 12;
export const SIM_PLAN_OPTIONS: Partial<PlanOptions> = {
  swathWidthM: SIM_IMPLEMENT_WIDTH_M,
  headlandPasses: 1,
};

/**
 * The simulated machines' seed hopper when a job has a refill point: 1,200 kg at 150 kg/ha
 * (8 ha a fill, about 40 minutes at 12 m and 13 km/h), filled by an auger at 400 kg/min (3 min).
 */
export const SIM_HOPPER: ImplementCapacity = {
  kind: 'hopper',
  amount: 1_200,
  ratePerHa: 150,
  fillPerMin: 400,
};

/** How far inside the field the simulation's refill point stands (clear of the geofence's margin). */
const REFILL_INSET_M = 12;

/** A refill point for a simulated job: at the middle of the outer ring's first edge, just inside. */
export function edgeRefillPoint(field: ValidField): LonLat {
  const ring = field.local[0] ?? [];
  const a = ring[0] ?? [0, 0];
  const b = ring[1] ?? a;
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
  // The outer ring runs counter-clockwise: the field lies to the left of each edge.
  const inward: [number, number] = [-(b[1] - a[1]) / length, (b[0] - a[0]) / length];
  const mid: [number, number] = [
    (a[0] + b[0]) / 2 + inward[0] * REFILL_INSET_M,
    (a[1] + b[1]) / 2 + inward[1] * REFILL_INSET_M,
  ];
  return new TangentFrame(field.origin).toLonLat(mid);
}
