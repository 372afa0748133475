/**
 * A simulated machine's body in its own plane: where it stands, where it points and how fast it
 * goes, under the speed limit the station's zone guard set. It drives to a target round the
 * keep-out zones it knows and turns as a tractor can (way-finder.ts); held by the guard, it
 * re-aims or makes way as it sees the other machines.
 */
import type { LonLat, TractorState } from '../../shared/index.js';
import type { PlaneFrame, PlanePoint } from './plane-frame.js';
import { WayFinder, heldAtWork, heldBeside, type SeenNearby } from './way-finder.js';

/** Approaches shorter than this are turns at the swath end, driven at turning speed. */
const TURN_DISTANCE_M = 40;

/** Another machine as a simulated machine sees it. */
export interface MachineSeen {
  id: string;
  position: LonLat;
  speedMps: number;
  state: TractorState;
}

export interface ChassisOptions {
  id: string;
  frame: PlaneFrame;
  /** Speed on the way to a target further than TURN_DISTANCE_M away (headland or track). */
  transitSpeedMps: number;
  /** Speed in the last TURN_DISTANCE_M to a target. */
  turnSpeedMps: number;
  /** Keep-out zones the machine knows (WGS84 rings): it drives round them. */
  keepOut?: () => readonly (readonly LonLat[])[];
  /** The field boundary: a sidestep goes to whichever side stays inside it. */
  fence?: readonly LonLat[];
  /** The other machines as this one sees them. */
  others?: () => readonly MachineSeen[];
}

export class Chassis {
  position: PlanePoint = { x: 0, y: 0 };
  headingDeg = 0;
  speedMps = 0;
  /** A zone or separation hold from the station: no faster than this. */
  speedLimitMps: number | null = null;
  private readonly way: WayFinder;

  constructor(private readonly options: ChassisOptions) {
    const frame = options.frame;
    this.way = new WayFinder({
      id: options.id,
      fence: options.fence?.map((p) => frame.toLocal(p)) ?? null,
      keepOut: () => (options.keepOut?.() ?? []).map((ring) => ring.map((p) => frame.toLocal(p))),
    });
  }

  /** `plannedMps` under the station's speed limit. */
  limited(plannedMps: number): number {
    return this.speedLimitMps === null ? plannedMps : Math.min(plannedMps, this.speedLimitMps);
  }

  /** Transit speed on the way to `target`, turn speed in its last metres. */
  speedToward(target: PlanePoint): number {
    const distance = Math.hypot(target.x - this.position.x, target.y - this.position.y);
    return distance > TURN_DISTANCE_M ? this.options.transitSpeedMps : this.options.turnSpeedMps;
  }

  /**
   * Drives up to `budgetM` towards `target` (round keep-out zones), turning as a tractor can;
   * the metres left over once there, or null while still on the way.
   */
  driveToward(target: PlanePoint, budgetM: number): number | null {
    const step = this.way.drive({ ...this.position, headingDeg: this.headingDeg }, target, budgetM);
    this.position = { x: step.pose.x, y: step.pose.y };
    this.headingDeg = step.pose.headingDeg;
    return step.leftoverM;
  }

  /** The machine moves again (a hold on it has ended). */
  moved(): void {
    this.way.moved();
  }

  /**
   * Held by the zone guard on its way to `target` for `dtS`: re-aim at the way round (a machine
   * replans its path while it waits); held long, it sidesteps, as it sees the others.
   */
  heldOnWay(target: PlanePoint, dtS: number): void {
    this.headingDeg = this.way.held(
      { ...this.position, headingDeg: this.headingDeg },
      target,
      dtS,
      heldBeside(this.selfSeen(), this.othersSeen()),
    );
  }

  /** Held at work for `dtS`: whether it leaves its stretch to make way (way-finder.ts). */
  heldWorking(dtS: number): boolean {
    return this.way.heldWorking(dtS, heldAtWork(this.selfSeen(), this.othersSeen()));
  }

  private selfSeen(): { id: string; x: number; y: number } {
    return { id: this.options.id, ...this.position };
  }

  /** The other machines in this machine's plane. */
  private othersSeen(): SeenNearby[] {
    return (this.options.others?.() ?? []).map((o) => {
      const p = this.options.frame.toLocal(o.position);
      return { id: o.id, x: p.x, y: p.y, speedMps: o.speedMps, state: o.state };
    });
  }
}
