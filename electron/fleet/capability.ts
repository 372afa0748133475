import type { ImplementCapacity } from '../../shared/index.js';

/** Field operations a job can be; each needs one of a set of implement types. */
export type Operation = 'tillage' | 'seeding' | 'spraying' | 'fertilising' | 'mowing';

export type ImplementType =
  | 'plough'
  | 'cultivator'
  | 'disc-harrow'
  | 'seed-drill'
  | 'planter'
  | 'sprayer'
  | 'spreader'
  | 'mower';

/** Which implements can do which work (ASABE D497.7 Table 1 groups machines by operation the same way). */
export const IMPLEMENTS_FOR: Record<Operation, readonly ImplementType[]> = {
  tillage: ['plough', 'cultivator', 'disc-harrow'],
  seeding: ['seed-drill', 'planter'],
  spraying: ['sprayer'],
  fertilising: ['spreader', 'sprayer'],
  mowing: ['mower'],
};

/** What one tractor with its implement can do. Plain data: it crosses the contract as is. */
export interface TractorCapability {
  tractorId: string;
  implementType: ImplementType;
  workingWidthM: number;
  workingSpeedMps: number;
  /**
   * Share of driven working time that is work, 0 < e <= 1: what the plan does not model itself
   * (refills, overlap, stops). Turns and transit are planned from the fields below.
   */
  fieldEfficiency: number;
  /** Tightest turn with the implement up, metres (default DEFAULT_TURNING_RADIUS_M). */
  turningRadiusM?: number;
  /** Speed in headland turns and short approaches, m/s (default DEFAULT_TURN_SPEED_MPS). */
  turnSpeedMps?: number;
  /** Speed on the way to ground further than a turn away, m/s (default DEFAULT_TRANSIT_SPEED_MPS). */
  transitSpeedMps?: number;
  /** Tank or hopper that runs out and is refilled at the job's refill point (default none). */
  capacity?: ImplementCapacity;
}

/** A tractor with an implement turns on a radius of about 5–7 m (the simulator's, sim/steering.ts). */
export const DEFAULT_TURNING_RADIUS_M = 6;
/** Headland turns at about 9 km/h. */
export const DEFAULT_TURN_SPEED_MPS = 2.5;
/** Field tracks and headlands at about 18 km/h. */
export const DEFAULT_TRANSIT_SPEED_MPS = 5;
/** Turning radii and speeds past these are a unit or typing error, not a machine. */
const MAX_TURNING_RADIUS_M = 50;
const MAX_MOTION_SPEED_MPS = 15;

/** How a tractor moves when it is not working, with the defaults filled in. */
export interface Motion {
  turningRadiusM: number;
  turnSpeedMps: number;
  transitSpeedMps: number;
}

/**
 * The tractor's motion, defaults filled in, or null when a declared value is out of range
 * (not a positive number, a radius over 50 m, a speed over 15 m/s): the planner leaves such a
 * machine out rather than plan with a number it cannot trust.
 */
export function motionOf(t: TractorCapability): Motion | null {
  const radius = t.turningRadiusM ?? DEFAULT_TURNING_RADIUS_M;
  const turn = t.turnSpeedMps ?? DEFAULT_TURN_SPEED_MPS;
  const transit = t.transitSpeedMps ?? DEFAULT_TRANSIT_SPEED_MPS;
  const inRange = (v: number, max: number): boolean => Number.isFinite(v) && v > 0 && v <= max;
  if (
    !inRange(radius, MAX_TURNING_RADIUS_M) ||
    !inRange(turn, MAX_MOTION_SPEED_MPS) ||
    !inRange(transit, MAX_MOTION_SPEED_MPS)
  )
    return null;
  return { turningRadiusM: radius, turnSpeedMps: turn, transitSpeedMps: transit };
}

/**
 * Effective field capacity in m²/s: width × speed × field efficiency (ASABE EP496.3 §4.1,
 * C = S·W·E / 10 in ha/h with S in km/h). Allocation times are area / capacity.
 */
export function workRateM2PerS(t: TractorCapability): number {
  if (!(t.workingWidthM > 0) || !(t.workingSpeedMps > 0) || !(t.fieldEfficiency > 0)) return 0;
  return t.workingWidthM * t.workingSpeedMps * Math.min(1, t.fieldEfficiency);
}

export function isCompatible(t: TractorCapability, operation: Operation): boolean {
  return IMPLEMENTS_FOR[operation].includes(t.implementType);
}
