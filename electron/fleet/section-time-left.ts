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
import type { XY } from './types.js';
import { CONTINUE_M, TURN_DISTANCE_M } from './travel-cost.js';

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
  /**
   * Where the machine comes to it from: the end of the section before it in the run (unknown
   * for the first). A drive from within TURN_DISTANCE_M of its first swath is a turn.
   */
  from?: XY | undefined;
}

/**
 * The plan's seconds still to come, in three kinds that err apart: work along the swaths (the
 * machine's own speed), turns (a turn between swaths, or a hop to a section that starts within
 * TURN_DISTANCE_M: the plan times them as the path a tractor must drive to face the swath, which
 * a machine may drive shorter), and drives (further, where machines wait for and go round one
 * another).
 */
export interface TimeLeft {
  workS: number;
  turnS: number;
  driveS: number;
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

/** The plan's seconds still to come for one section, by kind. */
export function sectionLeftParts(s: RunSection): TimeLeft {
  const a = s.assignment;
  const reachS = s.shareLeft >= 1 ? a.reachS : 0;
  const reach =
    reachKind(s) === 'turn' ? { turnS: reachS, driveS: 0 } : { turnS: 0, driveS: reachS };
  // A section driven out has no turn ahead: a swath it leaves unstarted (a neighbour's pass
  // worked its ground, and the machine skips it) is never turned into.
  const turns = s.shareLeft < DRIVEN_OUT_SHARE_LEFT ? { eachS: 0, ahead: 0 } : turnsOf(s);
  if (!turns)
    return { workS: Math.max(0, a.finishS - a.startS - a.reachS) * s.shareLeft, ...reach };
  const workS = Math.max(0, a.finishS - a.startS - a.travelS);
  return {
    workS: workS * s.shareLeft,
    turnS: reach.turnS + turns.eachS * turns.ahead,
    driveS: reach.driveS,
  };
}

/** Whether the way to a section is a turn or a drive (see RunSection.from). */
function reachKind(s: RunSection): 'turn' | 'drive' {
  const first = s.swaths?.[0];
  if (!s.from || !first) return 'drive';
  const straightM = Math.hypot(first.start[0] - s.from[0], first.start[1] - s.from[1]);
  return straightM <= TURN_DISTANCE_M ? 'turn' : 'drive';
}

/**
 * Of the drive or turn just ahead of a machine, the part already behind it: a machine that has
 * reported no work for `waySoFarS` seconds has been on its way that long, up to the plan's time
 * for it — the drive to the first untouched section of its run once every section before it is
 * driven out, or else a turn inside the section it works, if one is ahead.
 */
export function wayBehind(run: readonly RunSection[], waySoFarS: number | undefined): TimeLeft {
  const none = { workS: 0, turnS: 0, driveS: 0 };
  const leg = legAhead(run);
  if (waySoFarS === undefined || !leg) return none;
  return { ...none, [`${leg.kind}S`]: Math.min(waySoFarS, leg.plannedS) };
}

/**
 * The drive or turn a machine is on, or comes to next: the drive to the first untouched section
 * of its run once every section before it is driven out, or else a turn inside the section it
 * works (null when there is none ahead before more work).
 */
export function legAhead(
  run: readonly RunSection[],
): { kind: 'turn' | 'drive'; plannedS: number } | null {
  for (const s of run) {
    if (s.shareLeft >= 1) return { kind: reachKind(s), plannedS: s.assignment.reachS };
    if (s.shareLeft < DRIVEN_OUT_SHARE_LEFT) continue;
    const turns = turnsOf(s);
    return turns && turns.ahead > 0 ? { kind: 'turn', plannedS: turns.eachS } : null;
  }
  return null;
}
