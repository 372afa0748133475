import type { Operation, TractorCapability } from './capability.js';
import type { SwathSegment } from './plan-types.js';
import type { XY } from './types.js';

/** What is known about a section's work so far (from coverage). */
export interface SectionProgress {
  /** Worked share of the section, 0..1. */
  doneFraction: number;
  /** The tractor that has been working it, if any. */
  tractorId?: string;
  /**
   * Every swath of it is driven: what is left of its area is ground no pass reaches, which no
   * machine drives again (its machine has moved on to the next section).
   */
  drivenOut?: boolean;
}

export interface AllocationInput {
  /**
   * Sections in path order (id, order and areaM2 are read; centroid when positions are given;
   * swaths, in driving order, for the turns and transit between them: without them a section
   * costs its work only).
   */
  sections: readonly {
    id: string;
    order: number;
    areaM2: number;
    centroid?: XY;
    swaths?: readonly SwathSegment[];
  }[];
  tractors: readonly TractorCapability[];
  operation: Operation;
  progress?: Readonly<Record<string, SectionProgress>>;
  /** Sections the operator pinned to a tractor (e.g. by dragging one). */
  locks?: Readonly<Record<string, string>>;
  /**
   * Runs kept as they are for this allocation only, unlike locks: each tractor's sections in the
   * order it works them (a live rebalance keeps every run but for the sections it moves, which
   * go to the end of the receiver's); later replans are free to lay them out again.
   */
  keep?: Readonly<Record<string, readonly string[]>>;
  /** Measured work rates that replace the nominal capacity (a tractor falling behind). */
  measuredRatesM2PerS?: Readonly<Record<string, number>>;
  /** Where tractors stand now (local metres): seeds the order so runs start near their tractor. */
  positions?: Readonly<Record<string, XY>>;
  /** Where they point, degrees clockwise from north as tractors report it (with `positions`). */
  headingsDeg?: Readonly<Record<string, number>>;
  /** Tractor order along the path in the plan being replaced, for stable replans. */
  previousOrder?: readonly string[];
}

export type AssignmentStatus = 'done' | 'in-progress' | 'planned';

export interface SectionAssignment {
  sectionId: string;
  tractorId: string;
  status: AssignmentStatus;
  locked: boolean;
  remainingM2: number;
  /** Seconds from now when the tractor starts and finishes this section (its travel included). */
  startS: number;
  finishS: number;
  /** Of which driving to the section and turning inside it. */
  travelS: number;
  /**
   * Of the travel, the drive to the section's first swath: it comes before any of the section is
   * worked, unlike its turns, which come between its swaths.
   */
  reachS: number;
}

export interface TractorPlan {
  tractorId: string;
  rateM2PerS: number;
  sectionIds: string[];
  remainingM2: number;
  finishS: number;
  /** Of which turns and transit. */
  travelS: number;
}

export type ExclusionReason = 'incompatible-implement' | 'no-work-rate' | 'invalid-motion';

/** The allocation as plain data: what each tractor does, when it finishes, how good that is. */
export interface AllocationPlan {
  operation: Operation;
  assignments: SectionAssignment[];
  tractors: TractorPlan[];
  /** Tractor order along the section path (their runs follow each other in this order). */
  tractorOrder: string[];
  excluded: { tractorId: string; reason: ExclusionReason }[];
  /** Locks dropped because their tractor is gone or cannot do the work. */
  releasedLocks: string[];
  makespanS: number;
  lowerBoundS: number;
  /** makespan / lower bound (1 when nothing is left). */
  ratio: number;
}
