/**
 * Live rebalancing: while the fleet works, a machine that has finished its run (or will finish
 * well before the slowest) takes unstarted sections from the machine with the most time left.
 * Pure: the station gives each machine's time left (its ETA at its measured pace), its unstarted
 * sections and where it stands, and applies the move it gets back as a replan.
 *
 * Only the tail of the donor's run moves (the sections it would reach last), never the section
 * it works or drives to, so the two machines do not meet over one section and nothing is worked
 * twice. A move must shorten the pair's finish by MIN_GAIN_S and by MIN_GAIN_SHARE of the
 * donor's time left, and none is made within COOLDOWN_MS of the last: estimates that wobble by
 * a few seconds never send sections back and forth.
 */
import { DEFAULT_TURN_SPEED_MPS } from './capability.js';
import { TURN_DISTANCE_M } from './travel-cost.js';
import type { XY } from './types.js';

/** A move must save at least this much (s): less is within the ETA's own wobble. */
export const MIN_GAIN_S = 20;
/**
 * …and at least this share of the donor's time left: the receiver drives across to the moved
 * sections and may meet the donor there (a wait under the separation guard the estimate does
 * not count), which on the executed benchmark's small fields cost more than a 12% gain saved.
 */
export const MIN_GAIN_SHARE = 0.2;
/** No move within this long of the last (its effect must show in the paces first). */
export const COOLDOWN_MS = 30_000;

export interface RebalanceSection {
  sectionId: string;
  /** The donor's planned seconds for it (its work, turns and the way from the section before). */
  plannedS: number;
  /** Ground left to work, m². */
  workM2: number;
  centroid?: XY;
}

export interface RebalanceMachine {
  tractorId: string;
  name: string;
  /** Seconds until it finishes what it holds (0 once its run is done). */
  leftS: number;
  /** Seconds it takes per planned second (1 before it has worked). */
  pace: number;
  /** Its planned work rate, m²/s. */
  rateM2PerS: number;
  /** Its sections nobody has started, in the order it would work them (its current one excluded). */
  unstarted: readonly RebalanceSection[];
  /** It may take work now: in contact, working or done, not held, able to do the operation. */
  canTake: boolean;
  position?: XY;
}

export interface RebalanceInput {
  machines: readonly RebalanceMachine[];
  nowMs: number;
  /** When the last move was made, if any. */
  lastMoveMs?: number;
  /** Speed a machine drives to its new work at (m/s), for the way there. */
  transitSpeedMps: number;
}

export interface RebalanceMove {
  fromId: string;
  toId: string;
  sectionIds: string[];
  /** How much sooner the later of the two machines finishes, s. */
  gainS: number;
  /** Operator-facing: "rebalanced: 3 sections from T2 to T5, T5 idle, T2 84 s behind". */
  reason: string;
}

/** The move that shortens the job most, or null when none is worth it. */
export function decideRebalance(input: RebalanceInput): RebalanceMove | null {
  if (input.lastMoveMs !== undefined && input.nowMs - input.lastMoveMs < COOLDOWN_MS) return null;
  const donors = input.machines
    .filter((m) => m.unstarted.length > 0)
    .sort((a, b) => b.leftS - a.leftS);
  const donor = donors[0];
  if (!donor) return null;
  const receivers = input.machines
    .filter((m) => m.canTake && m.unstarted.length === 0 && m.tractorId !== donor.tractorId)
    .sort((a, b) => a.leftS - b.leftS);
  let best: { to: RebalanceMachine; k: number; gainS: number } | null = null;
  for (const to of receivers) {
    const choice = bestTail(donor, to, input.transitSpeedMps);
    if (choice && (!best || choice.gainS > best.gainS)) best = { to, ...choice };
  }
  if (!best || best.gainS < Math.max(MIN_GAIN_S, MIN_GAIN_SHARE * donor.leftS)) return null;
  const sectionIds = donor.unstarted.slice(-best.k).map((s) => s.sectionId);
  const to = best.to;
  const state = to.leftS <= 0 ? `${to.name} idle` : `${to.name} done in ${Math.round(to.leftS)} s`;
  const behind = Math.round(donor.leftS - to.leftS);
  return {
    fromId: donor.tractorId,
    toId: to.tractorId,
    sectionIds,
    gainS: best.gainS,
    reason: `rebalanced: ${plural(sectionIds.length, 'section')} from ${donor.name} to ${to.name}, ${state}, ${donor.name} ${behind} s behind`,
  };
}

/**
 * How many sections of the donor's tail to hand over so the later of the two finishes soonest,
 * and what that saves; null when no count shortens it.
 */
function bestTail(
  donor: RebalanceMachine,
  to: RebalanceMachine,
  transitSpeedMps: number,
): { k: number; gainS: number } | null {
  let best: { k: number; gainS: number } | null = null;
  let givenS = 0;
  let takenS = 0;
  const tail = [...donor.unstarted].reverse();
  tail.forEach((s, i) => {
    givenS += s.plannedS * donor.pace;
    takenS += timeOnReceiverS(s, donor, to);
    // The way to the first section of the moved run (the nearest on the donor's path).
    const reachS = reachSeconds(to.position, s.centroid, transitSpeedMps);
    const after = Math.max(donor.leftS - givenS, to.leftS + takenS + reachS);
    const gainS = donor.leftS - after;
    if (gainS > 0 && (!best || gainS > best.gainS)) best = { k: i + 1, gainS };
  });
  return best;
}

/** A section's planned time moved to another machine: its work at that machine's rate and pace. */
function timeOnReceiverS(
  s: RebalanceSection,
  donor: RebalanceMachine,
  to: RebalanceMachine,
): number {
  const donorWorkS = s.workM2 / donor.rateM2PerS;
  const turnsS = Math.max(0, s.plannedS - donorWorkS);
  return (turnsS + s.workM2 / to.rateM2PerS) * Math.max(1, to.pace);
}

/** The straight way there, driven as the plan times a leg: at turn speed near the target. */
function reachSeconds(from: XY | undefined, to: XY | undefined, speedMps: number): number {
  if (!from || !to || !(speedMps > 0)) return 0;
  const d = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const near = Math.min(d, TURN_DISTANCE_M);
  return near / Math.min(speedMps, DEFAULT_TURN_SPEED_MPS) + (d - near) / speedMps;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
