/**
 * What a machine drives besides work: the turn from one swath's end to the next swath's start
 * (inside a section and between sections on the path) and the transit from where it stands to
 * its first section. Lengths are Dubins paths (the machine's turning radius, headings along the
 * swaths); times split at TURN_DISTANCE_M as the simulated machines drive them (sim/chassis.ts:
 * turn speed near the target, transit speed beyond).
 */
import { dubinsLength, type PlanePose } from '../geometry/index.js';
import type { Motion } from './capability.js';
import type { SwathSegment } from './plan-types.js';
import type { XY } from './types.js';

/** A swath start this close to the last swath's end is driven straight on, not turned into. */
export const CONTINUE_M = 1;
/** Approaches whose target is further than this are driven at transit speed (sim/chassis.ts). */
export const TURN_DISTANCE_M = 40;

/** A section as travel sees it: its swaths in driving order (none: nothing to drive between). */
export interface Driven {
  swaths?: readonly SwathSegment[];
}

function headingOf(s: SwathSegment): number {
  return Math.atan2(s.end[1] - s.start[1], s.end[0] - s.start[0]);
}

export function startPose(s: SwathSegment): PlanePose {
  return { x: s.start[0], y: s.start[1], theta: headingOf(s) };
}

export function endPose(s: SwathSegment): PlanePose {
  return { x: s.end[0], y: s.end[1], theta: headingOf(s) };
}

/** Seconds to drive `lengthM` towards a target `straightM` away. */
export function legTimeS(lengthM: number, straightM: number, motion: Motion): number {
  if (straightM <= TURN_DISTANCE_M) return lengthM / motion.turnSpeedMps;
  const near = Math.min(lengthM, TURN_DISTANCE_M);
  return near / motion.turnSpeedMps + (lengthM - near) / motion.transitSpeedMps;
}

/** The straight-line distance from where a machine stands to a swath's start. */
function straightToStart(from: StartPose, to: SwathSegment): number {
  const fromXY: XY = Array.isArray(from) ? from : [from.x, from.y];
  return Math.hypot(to.start[0] - fromXY[0], to.start[1] - fromXY[1]);
}

/**
 * Seconds from a pose to a swath start. Without a heading (a machine that has not said where it
 * points) the straight line is the shortest it could be.
 */
export function approachS(from: StartPose, to: SwathSegment, motion: Motion): number {
  const straight = straightToStart(from, to);
  if (Array.isArray(from)) return legTimeS(straight, straight, motion);
  if (straight <= CONTINUE_M) return straight / motion.turnSpeedMps;
  return legTimeS(dubinsLength(from, startPose(to), motion.turningRadiusM), straight, motion);
}

/**
 * No more than approachS, and cheap: the straight line to the swath start, timed as a leg is
 * (a Dubins path is never shorter than the straight line, and a longer leg never takes less time).
 */
export function approachLowS(from: StartPose, to: SwathSegment, motion: Motion): number {
  const straight = straightToStart(from, to);
  return legTimeS(straight, straight, motion);
}

/** Turning inside a section, per swath list and motion: a plan's sections are allocated again and again. */
const withinCache = new WeakMap<readonly SwathSegment[], Map<string, number>>();

/** Seconds of turning between a section's own swaths. */
export function withinS(section: Driven, motion: Motion): number {
  const swaths = section.swaths;
  if (!swaths || swaths.length < 2) return 0;
  const key = motionKey(motion);
  const cached = withinCache.get(swaths)?.get(key);
  if (cached !== undefined) return cached;
  let total = 0;
  for (let k = 1; k < swaths.length; k++) {
    const prev = swaths[k - 1];
    const next = swaths[k];
    if (prev && next) total += approachS(endPose(prev), next, motion);
  }
  const byMotion = withinCache.get(swaths) ?? new Map<string, number>();
  byMotion.set(key, total);
  withinCache.set(swaths, byMotion);
  return total;
}

/** Where a machine is after driving a section: the end of its last swath. */
export function exitPose(section: Driven): PlanePose | undefined {
  const last = section.swaths?.[section.swaths.length - 1];
  return last ? endPose(last) : undefined;
}

/**
 * Travel seconds of each item driven in order: into the first from `from` (nothing when absent),
 * then from the end of the last item with swaths to the next one's start, plus the turns inside
 * each. An item without swaths costs nothing and leaves the machine where it was.
 */
export function sequenceTravelS(
  items: readonly Driven[],
  motion: Motion,
  from?: StartPose,
): number[] {
  let at: StartPose | undefined = from;
  let lastSwaths: readonly SwathSegment[] | undefined;
  return items.map((item) => {
    const swaths = item.swaths;
    const first = swaths?.[0];
    if (!swaths || !first) return 0;
    let reach = 0;
    if (lastSwaths) reach = linkS(lastSwaths, swaths, motion);
    else if (at) reach = approachS(at, first, motion);
    lastSwaths = swaths;
    at = undefined;
    return reach + withinS(item, motion);
  });
}

/** Links between sections, per pair of swath lists and motion (cached like the turns inside). */
const linkCache = new WeakMap<
  readonly SwathSegment[],
  WeakMap<readonly SwathSegment[], Map<string, number>>
>();

function linkS(
  prev: readonly SwathSegment[],
  next: readonly SwathSegment[],
  motion: Motion,
): number {
  const key = motionKey(motion);
  const byNext = linkCache.get(prev) ?? new WeakMap<readonly SwathSegment[], Map<string, number>>();
  linkCache.set(prev, byNext);
  const byMotion = byNext.get(next) ?? new Map<string, number>();
  byNext.set(next, byMotion);
  let s = byMotion.get(key);
  const last = prev[prev.length - 1];
  const first = next[0];
  if (s === undefined) {
    s = last && first ? approachS(endPose(last), first, motion) : 0;
    byMotion.set(key, s);
  }
  return s;
}

function motionKey(motion: Motion): string {
  return `${motion.turningRadiusM}/${motion.turnSpeedMps}/${motion.transitSpeedMps}`;
}

/** Where a machine starts from: a pose, or a bare position when its heading is unknown. */
export type StartPose = PlanePose | XY;

/** A pose from a position and a heading as tractors report it (degrees clockwise from north). */
export function reportedPose(position: XY, headingDeg: number | undefined): StartPose {
  if (headingDeg === undefined || !Number.isFinite(headingDeg)) return position;
  return { x: position[0], y: position[1], theta: ((90 - headingDeg) * Math.PI) / 180 };
}
