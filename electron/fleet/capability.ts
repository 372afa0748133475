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
  /** Share of time spent actually working (turns, filling, overlap excluded), 0 < e <= 1. */
  fieldEfficiency: number;
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
