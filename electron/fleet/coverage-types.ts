import type { XY } from './types.js';

/**
 * One piece of a tractor's coverage log: the implement's centre moved from `start` to `end`
 * (local metres) while working, `widthM` wide, ending at `tMs` (the clock of the log).
 */
export interface CoverageSegment {
  tractorId: string;
  start: XY;
  end: XY;
  widthM: number;
  tMs: number;
}

export interface AreaTally {
  uniqueM2: number;
  overlapM2: number;
}

/** Totals as plain data, for snapshots and the shared document. */
export interface CoverageSummary {
  fieldAreaM2: number;
  uniqueM2: number;
  overlapM2: number;
  tractors: Record<string, AreaTally>;
  sections: Record<string, AreaTally>;
}
