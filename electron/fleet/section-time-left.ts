/**
 * A section's planned time still to come, laid out as a machine drives it: the drive to its first
 * swath comes before any of it is worked, a turn comes before each further swath that does not
 * simply continue the last one, and the work runs along the swath length. Spreading the drive and
 * the turns over the swath length instead would hold them in the time left after they were
 * driven: a section of two swaths half driven would still "have" half its drive there and half
 * its turn ahead, though both are behind the machine.
 */
import type { SectionAssignment } from './allocation-types.js';
import type { SwathSegment } from './plan-types.js';
import { CONTINUE_M } from './travel-cost.js';

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
  /** Its swaths in driving order, and which of them are started (when both are known). */
  swaths?: readonly SwathSegment[] | undefined;
  started?: readonly boolean[] | undefined;
}

/** The swaths (by index) a machine turns into: their start is off the last swath's end. */
function turnIndices(swaths: readonly SwathSegment[]): number[] {
  const out: number[] = [];
  for (let k = 1; k < swaths.length; k++) {
    const prev = swaths[k - 1];
    const next = swaths[k];
    if (!prev || !next) continue;
    const gapM = Math.hypot(next.start[0] - prev.end[0], next.start[1] - prev.end[1]);
    if (gapM > CONTINUE_M) out.push(k);
  }
  return out;
}

/** Its turns: how long each takes in the plan and how many are still ahead (null: not known). */
function turnsOf(s: RunSection): { eachS: number; ahead: number } | null {
  const { swaths, started } = s;
  if (!swaths || !started || started.length !== swaths.length) return null;
  const turns = turnIndices(swaths);
  if (turns.length === 0) return { eachS: 0, ahead: 0 };
  const innerS = Math.max(0, s.assignment.travelS - s.assignment.reachS);
  return { eachS: innerS / turns.length, ahead: turns.filter((k) => !started[k]).length };
}

/**
 * The plan's seconds still to come for one section, in two parts: its work along the swaths, and
 * its way (the drive to it and the turns ahead). A machine's pace at the one is not its pace at
 * the other (a swath is driven at the machine's own speed; a drive or a turn is where the plan's
 * model of the way errs and where machines wait for one another).
 */
export function sectionLeftParts(s: RunSection): { workS: number; wayS: number } {
  const a = s.assignment;
  const reachS = s.shareLeft >= 1 ? a.reachS : 0;
  // A section driven out has no turn ahead: a swath it leaves unstarted (a neighbour's pass
  // worked its ground, and the machine skips it) is never turned into.
  const turns = s.shareLeft < DRIVEN_OUT_SHARE_LEFT ? { eachS: 0, ahead: 0 } : turnsOf(s);
  if (!turns)
    return { workS: Math.max(0, a.finishS - a.startS - a.reachS) * s.shareLeft, wayS: reachS };
  const workS = Math.max(0, a.finishS - a.startS - a.travelS);
  return { workS: workS * s.shareLeft, wayS: reachS + turns.eachS * turns.ahead };
}

/**
 * Of the drive or turn just ahead of a machine, the part already behind it: a machine that has
 * reported no work for `waySoFarS` seconds has been on its way that long, up to the plan's time
 * for it — the drive to the first untouched section of its run once every section before it is
 * driven out, or else a turn inside the section it works, if one is ahead.
 */
export function wayBehindS(run: readonly RunSection[], waySoFarS: number | undefined): number {
  if (waySoFarS === undefined) return 0;
  for (const s of run) {
    if (s.shareLeft >= 1) return Math.min(waySoFarS, s.assignment.reachS);
    if (s.shareLeft < DRIVEN_OUT_SHARE_LEFT) continue;
    const turns = turnsOf(s);
    return turns && turns.ahead > 0 ? Math.min(waySoFarS, turns.eachS) : 0;
  }
  return 0;
}
