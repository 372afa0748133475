/**
 * A section's planned time still to come, laid out as a machine drives it: the drive to its first
 * swath comes before any of it is worked, and the rest (its work and the turns between its
 * swaths, which come along the work) in proportion to the swath length left. Spreading the drive
 * there over the swath length too would hold it in the time left after it was driven: a section
 * half worked would still "have" half the drive to it ahead.
 */
import type { SectionAssignment } from './allocation-types.js';

/**
 * A section with less than this share of its planned work left is driven out: a pass stops a
 * little short of a swath's end, so a finished section reads just under fully driven.
 */
export const DRIVEN_OUT_SHARE_LEFT = 0.05;

/** A section of a machine's run as the time left reads it. */
export interface RunSection {
  assignment: SectionAssignment;
  /** Share of its planned work still to drive, 0..1 (1: nothing driven since the plan). */
  shareLeft: number;
}

/** The plan's seconds still to come for one section. */
export function sectionLeftS(s: RunSection): number {
  const a = s.assignment;
  const bodyS = Math.max(0, a.finishS - a.startS - a.reachS);
  return (s.shareLeft >= 1 ? a.reachS : 0) + bodyS * s.shareLeft;
}

/**
 * Of the drive to the next section, the part already behind the machine: the first untouched
 * section of its run, once every section before it is driven out, is being driven to — for as
 * long as the machine has been on its way (`waySoFarS`), up to the plan's drive there. A machine
 * turning inside a section is not on its way anywhere yet (that turn is in the section's share).
 */
export function wayBehindS(run: readonly RunSection[], waySoFarS: number | undefined): number {
  if (waySoFarS === undefined) return 0;
  for (const s of run) {
    if (s.shareLeft >= 1) return Math.min(waySoFarS, s.assignment.reachS);
    if (s.shareLeft >= DRIVEN_OUT_SHARE_LEFT) return 0;
  }
  return 0;
}
