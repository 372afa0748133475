/**
 * How a simulated machine finds its way to the start of its next stretch of work: round the
 * keep-out zones it knows (detour.ts), turning as a tractor can (steering.ts), and out of another
 * machine's way when the zone guard holds it on the way there.
 */
import type { TractorState } from '../../shared/index.js';
import { bearingDeg, pointInRing, type XY } from '../geometry/index.js';
import { nextWaypoint, type Point, type ZoneOutline } from './detour.js';
import { steerToward, type Pose } from './steering.js';

/**
 * Held this long on its way to work, a machine sidesteps to let another pass: it turns off to
 * the right, away from what held it, so the station's guard sees it leaving and lets it go. Two
 * machines face to face would sidestep together and meet again: each waits a little longer by
 * its id, so one goes first and the other then has its way clear. A sidestep that is held too
 * (the way out leads at a third machine) gives way to the next direction in turn.
 */
const SIDESTEP_AFTER_S = 3;
const SIDESTEP_STAGGER_S = 4;
const SIDESTEP_M = 15;
const SIDESTEP_TURNS_DEG = [120, -120, 180, 60, -60];
/**
 * What the machine sees of the one nearest to it (its own perception, or the others' broadcast
 * telemetry) while it is held. A machine driving past is what holds it: it waits for it to pass
 * (a sidestep then only puts it in the way again). Face to face with one that stands, one of the
 * two must leave its line: the one that makes way does so at once (MAKE_WAY_AFTER_S), the other
 * waits for it. Either, held far longer (WAIT_LONGEST_S, a jam of three), sidesteps anyway.
 */
export type HeldBeside = 'unseen' | 'passing' | 'make-way' | 'wait';
const MAKE_WAY_AFTER_S = 1;
const WAIT_LONGEST_S = 8;
/**
 * How far a held machine looks for the one that holds it: the guard's reach (a 4 s path at
 * transit speed, 20 m, and the 11.5 m between centres it keeps with its buffer) and a little more.
 */
const SEE_M = 35;
/** Slower than this, a machine seen stands. */
const STANDING_MPS = 0.05;

/** Another machine as a held one sees it, in its plane. */
export interface SeenNearby {
  id: string;
  x: number;
  y: number;
  speedMps: number;
  state: TractorState;
}

/**
 * What holds a machine on its way, as it sees it: the nearest machine at work or on its way
 * within SEE_M (parked and finished ones hold nobody). One driving is passing; one standing face
 * to face is let by (this machine makes way) if it works its swath, which it does not leave, or
 * else by the machine with the greater id — the same answer on both.
 */
export function heldBeside(
  self: { id: string } & Point,
  others: readonly SeenNearby[],
): HeldBeside {
  const nearest = nearestAtWork(self, others);
  if (!nearest) return 'unseen';
  if (nearest.speedMps > STANDING_MPS) return 'passing';
  return nearest.state === 'working' || self.id > nearest.id ? 'make-way' : 'wait';
}

/**
 * Held at work (on its swath or headland pass), a machine keeps its line: one on its way makes
 * way for it (heldBeside). Two at work that stand face to face on one line — a swath's last
 * metres running onto the headland pass another works — wait for each other for good: the guard
 * lets neither pass the other standing. Of those two the one with the greater id leaves its
 * stretch ('leave'), makes way as one on its way does and comes back to where it stopped once
 * clear; the other keeps its line ('keep'). Either, held far longer (WAIT_LONGEST_S, a jam of
 * three), leaves too. One held by a machine driving past, or by nobody it sees (a fence or a
 * zone), just waits ('wait').
 */
export type HeldAtWork = 'wait' | 'leave' | 'keep';
/** Held this long face to face at work, the machine that leaves its stretch does so. */
const LEAVE_WORK_AFTER_S = 2;

/** What a machine held at work does, as it sees the nearest machine at work or on its way. */
export function heldAtWork(
  self: { id: string } & Point,
  others: readonly SeenNearby[],
): HeldAtWork {
  const nearest = nearestAtWork(self, others);
  if (!nearest || nearest.speedMps > STANDING_MPS) return 'wait';
  return nearest.state === 'working' && self.id > nearest.id ? 'leave' : 'keep';
}

/** The nearest machine at work or on its way within SEE_M. */
function nearestAtWork(
  self: { id: string } & Point,
  others: readonly SeenNearby[],
): SeenNearby | null {
  let nearest: SeenNearby | null = null;
  let nearestM = SEE_M;
  for (const other of others) {
    if (other.id === self.id || (other.state !== 'working' && other.state !== 'turning')) continue;
    const d = Math.hypot(other.x - self.x, other.y - self.y);
    if (d < nearestM) [nearest, nearestM] = [other, d];
  }
  return nearest;
}

export interface WayFinderOptions {
  /** The machine's id: it staggers the sidesteps of machines face to face. */
  id: string;
  /** The field boundary in the machine's plane: a sidestep goes to a side that stays inside. */
  fence: readonly Point[] | null;
  /** The keep-out zones' outlines in the machine's plane, as the machine knows them now. */
  keepOut: () => ZoneOutline[];
}

export interface WayStep {
  pose: Pose;
  /** Distance left over when the target itself was reached (not a corner or a sidestep). */
  leftoverM: number | null;
}

export class WayFinder {
  /** How long the zone guard has held the machine on its way to work, and its way out. */
  private heldS = 0;
  private sidestep: Point | null = null;
  /** Sidesteps tried since the machine last drove freely (each one a new direction). */
  private sidestepTries = 0;
  /** Turning the long way round to its next point (steering.ts), kept from step to step. */
  private longWay: 1 | -1 | undefined;
  private readonly staggerS: number;
  private readonly fence: XY[] | null;

  constructor(private readonly options: WayFinderOptions) {
    this.staggerS = staggerOf(options.id);
    this.fence = options.fence?.map((p): XY => [p.x, p.y]) ?? null;
  }

  /** Drives up to `budgetM` from `pose` towards `target`: its sidestep first, else round the zones. */
  drive(pose: Pose, target: Point, budgetM: number): WayStep {
    if (this.sidestep) {
      const step = steerToward(pose, this.sidestep, budgetM);
      if (step.leftoverM !== null) {
        this.sidestep = null;
        this.sidestepTries = 0;
      }
      return { pose: step.pose, leftoverM: null };
    }
    const waypoint = nextWaypoint(pose, target, this.options.keepOut());
    const driven = steerToward(
      { ...pose, ...(this.longWay === undefined ? {} : { longWay: this.longWay }) },
      waypoint,
      budgetM,
    );
    this.longWay = driven.pose.longWay;
    // A corner of the way round reached: on to the next point on the next step.
    return { pose: driven.pose, leftoverM: waypoint === target ? driven.leftoverM : null };
  }

  /**
   * Held `dtS` more at work, as `beside` says: whether the machine now leaves its stretch (it
   * then finds its way back to it as to any work, making way first).
   */
  heldWorking(dtS: number, beside: HeldAtWork): boolean {
    if (beside === 'wait') return false;
    this.heldS += dtS;
    return this.heldS >= (beside === 'leave' ? LEAVE_WORK_AFTER_S : WAIT_LONGEST_S + this.staggerS);
  }

  /** The machine drove freely (or worked): a later hold starts a new wait. */
  moved(): void {
    this.heldS = 0;
  }

  /**
   * Held `dtS` more on its way to `target`: re-aims at the way round (a machine replans its path
   * while it waits) and, held long enough for what it sees `beside` it, sidesteps. Returns the
   * heading to take.
   */
  held(pose: Pose, target: Point, dtS: number, beside: HeldBeside = 'unseen'): number {
    this.heldS += dtS;
    // Once it has sidestepped, a machine held again waits for the guard to see its new way
    // clear (a second) before it tries the next direction, whatever it sees.
    const afterS =
      beside === 'unseen' || this.sidestepTries > 0
        ? SIDESTEP_AFTER_S + this.staggerS
        : beside === 'make-way'
          ? MAKE_WAY_AFTER_S
          : WAIT_LONGEST_S + this.staggerS;
    if (this.heldS >= afterS) {
      this.sidestep = this.sidestepPoint(pose, this.sidestepTries++);
      this.heldS = 0;
    }
    const waypoint = nextWaypoint(pose, this.sidestep ?? target, this.options.keepOut());
    const dx = waypoint.x - pose.x;
    const dy = waypoint.y - pose.y;
    return Math.hypot(dx, dy) > 0.01 ? bearingDeg(pose, waypoint) : pose.headingDeg;
  }

  /**
   * A point a few metres off to get out of another's way: to the right on the first try, then
   * round the other directions in turn, skipping those that would leave the field.
   */
  private sidestepPoint(pose: Pose, attempt: number): Point {
    const toward = (turnDeg: number): Point => {
      const rad = ((pose.headingDeg + turnDeg) * Math.PI) / 180;
      return { x: pose.x + Math.sin(rad) * SIDESTEP_M, y: pose.y + Math.cos(rad) * SIDESTEP_M };
    };
    const turns = SIDESTEP_TURNS_DEG.length;
    for (let k = 0; k < turns; k++) {
      const point = toward(SIDESTEP_TURNS_DEG[(attempt + k) % turns] ?? 0);
      if (!this.fence || pointInRing([point.x, point.y], this.fence)) return point;
    }
    return toward(SIDESTEP_TURNS_DEG[attempt % turns] ?? 0);
  }
}

/** A delay in whole seconds below SIDESTEP_STAGGER_S, the same for an id on every run. */
function staggerOf(id: string): number {
  let sum = 0;
  for (const c of id) sum += c.charCodeAt(0);
  return sum % SIDESTEP_STAGGER_S;
}
