/**
 * The work a simulated machine drives: the swaths the station assigned, in order, and on each
 * its undone gaps, one leg at a time — the way to the stretch's start with the implement up
 * (done ground between gaps is crossed, never worked twice), then work along it. A tank that
 * comes due sends the machine off for a refill mid-stretch, and it drives back to where it
 * stopped; face to face with another at work, it may leave its stretch the same way.
 */
import type { AssignedSection } from '../link/index.js';
import type { Chassis } from './chassis.js';
import type { PlaneFrame } from './plane-frame.js';
import type { SimTank } from './sim-tank.js';

/** Gaps longer than MIN_GAP_M are worth driving; shorter ones are within steering accuracy. */
const MIN_GAP_M = 0.5;
/** A bound on the legs one step begins (a step of SIM_STEP_MS finishes a few short stretches at most). */
const LEGS_PER_STEP = 8;

interface Leg {
  section: AssignedSection;
  /** Where work on this swath ends, metres from its start (the end of its last undone gap). */
  goalM: number;
  /** Position along the strip where work on this leg began, metres from the strip start. */
  workFromM: number;
  /** Position reached along the strip, metres from its start. */
  alongM: number;
  phase: 'approach' | 'work';
}

/** What the run tells the machine as it drives. */
export interface WorkRunHooks {
  /** On its way to a stretch ('turning'), at work on one, or out of work ('done'). */
  setState: (state: 'turning' | 'working' | 'done') => void;
  /** Telemetry now: the interval worked in this leg must reach the station before it ends. */
  report: () => void;
  /** The tank is due: the machine leaves for the refill point. */
  leaveForRefill: () => void;
}

export interface WorkRunOptions {
  frame: PlaneFrame;
  chassis: Chassis;
  tank: SimTank | null;
  workSpeedMps: number;
  hooks: WorkRunHooks;
}

export class WorkRun {
  private queue: AssignedSection[] = [];
  private leg: Leg | null = null;
  /** Undone gaps of the current swath still to work after this leg (done ground is crossed, not worked). */
  private gapsLeft: { section: AssignedSection; gaps: [number, number][] } | null = null;

  constructor(private readonly options: WorkRunOptions) {}

  /** The leg under way, if any. */
  get current(): Readonly<Leg> | null {
    return this.leg;
  }

  /** Whether assigned swaths wait after the one under way. */
  get hasQueued(): boolean {
    return this.queue.length > 0;
  }

  /** The interval worked in this leg so far (for telemetry), or null when none is. */
  coverage(): { sectionId: string; fromM: number; toM: number } | null {
    const leg = this.leg;
    return leg && leg.phase === 'work' && leg.alongM !== leg.workFromM
      ? {
          sectionId: leg.section.id,
          fromM: Math.min(leg.workFromM, leg.alongM),
          toM: Math.max(leg.workFromM, leg.alongM),
        }
      : null;
  }

  /** A new plan: the swath under way is kept if the plan still has it, the rest replaced. */
  assign(sections: AssignedSection[]): void {
    const current = this.leg?.section.id;
    this.queue = sections.filter((s) => s.id !== current);
    if (current && !sections.some((s) => s.id === current)) {
      this.leg = null;
      this.gapsLeft = null;
    }
  }

  /** Drives `dtS` seconds of the run (the machine is on its way or at work, autonomous). */
  drive(dtS: number): void {
    const { chassis, frame, hooks } = this.options;
    let budgetM = 0;
    for (let guard = 0; guard < LEGS_PER_STEP; guard++) {
      const leg = this.leg ?? this.nextLeg();
      if (!leg) {
        hooks.setState('done');
        chassis.speedMps = 0;
        return;
      }
      const planned =
        leg.phase === 'approach'
          ? chassis.speedToward(frame.pointAlong(leg.section, leg.alongM))
          : this.options.workSpeedMps;
      const speed = chassis.limited(planned);
      if (guard === 0) {
        budgetM = speed * dtS;
        chassis.speedMps = speed;
      }
      if (budgetM <= 0) {
        // Held by the zone guard: re-aim at the way round (a machine replans its path while it
        // waits); held long on its way, it sidesteps (two machines face to face both wait).
        if (leg.phase === 'approach')
          chassis.heldOnWay(frame.pointAlong(leg.section, leg.alongM), dtS);
        else if (chassis.heldWorking(dtS)) this.leaveStretch(leg);
        return;
      }
      chassis.moved();
      budgetM = leg.phase === 'approach' ? this.approach(leg, budgetM) : this.work(leg, budgetM);
    }
  }

  /**
   * The next stretch to work: the next undone gap of the current swath, else the first gap of
   * the next swath. The plan orients every swath in driving order; done ground between gaps is
   * crossed with the implement up (an approach), never worked twice.
   */
  private nextLeg(): Leg | null {
    while (this.gapsLeft || this.queue.length > 0) {
      const gap = this.gapsLeft?.gaps.shift();
      const section = this.gapsLeft?.section;
      if (gap && section) {
        this.leg = { section, goalM: gap[1], workFromM: gap[0], alongM: gap[0], phase: 'approach' };
        this.options.hooks.setState('turning');
        return this.leg;
      }
      this.gapsLeft = null;
      const next = this.queue.shift();
      if (next)
        this.gapsLeft = {
          section: next,
          gaps: undoneGaps(next.done, this.options.frame.lengthOf(next)),
        };
    }
    this.leg = null;
    return null;
  }

  /** Drives towards the start of the leg's stretch. */
  private approach(leg: Leg, budgetM: number): number {
    const { chassis, frame, hooks } = this.options;
    const leftoverM = chassis.driveToward(frame.pointAlong(leg.section, leg.alongM), budgetM);
    if (leftoverM === null) return 0;
    leg.phase = 'work';
    hooks.setState('working');
    return leftoverM;
  }

  private work(leg: Leg, budgetM: number): number {
    const { chassis, frame, tank, hooks } = this.options;
    const remaining = Math.max(0, leg.goalM - leg.alongM);
    const moved = Math.min(remaining, budgetM, tank?.workLeftM() ?? Infinity);
    leg.alongM += moved;
    tank?.worked(moved);
    chassis.position = frame.pointAlong(leg.section, leg.alongM);
    chassis.headingDeg = frame.bearingOf(leg.section);
    if (tank?.due && (moved < remaining || this.hasWorkAfter())) {
      hooks.report(); // the interval worked on this fill must reach the station
      // Back from the point, the machine drives to where it stopped and works on from there.
      this.leg = moved < remaining ? { ...leg, workFromM: leg.alongM, phase: 'approach' } : null;
      hooks.leaveForRefill();
      hooks.setState('turning');
      return 0;
    }
    if (moved < remaining) return 0;
    hooks.report(); // the final interval of the strip must reach the station
    this.leg = null;
    return budgetM - moved;
  }

  /**
   * Face to face at work with another that keeps its line (way-finder.ts, heldAtWork): the
   * machine lifts its implement where it stands, so what it worked reaches the station, and
   * drives back to that point as to any stretch — making way first — then works on from there.
   */
  private leaveStretch(leg: Leg): void {
    this.options.hooks.report();
    this.leg = { ...leg, workFromM: leg.alongM, phase: 'approach' };
    this.options.hooks.setState('turning');
  }

  private hasWorkAfter(): boolean {
    return this.queue.length > 0 || (this.gapsLeft?.gaps.length ?? 0) > 0;
  }
}

/** The parts of [0, lengthM] not covered by `done`, in order. */
export function undoneGaps(done: readonly [number, number][], lengthM: number): [number, number][] {
  const gaps: [number, number][] = [];
  let reach = 0;
  for (const [a, b] of [...done].sort((p, q) => p[0] - q[0])) {
    if (a - reach > MIN_GAP_M) gaps.push([reach, Math.min(a, lengthM)]);
    reach = Math.max(reach, b);
  }
  if (lengthM - reach > MIN_GAP_M) gaps.push([reach, lengthM]);
  return gaps;
}
