/**
 * One trip of a simulated machine to the job's refill point, with its work off throughout: it
 * drives there (or to its waiting place while the point is taken: refill-approach.ts), waits its
 * turn at the dock, fills for as long as its tank takes, and is done; the machine then drives
 * back to where it stopped work.
 */
import type { LonLat } from '../../shared/index.js';
import type { Chassis } from './chassis.js';
import type { PlaneFrame, PlanePoint } from './plane-frame.js';
import type { RefillDock } from './refill-dock.js';
import type { SimTank } from './sim-tank.js';

export interface SimRefill {
  point: LonLat;
  /**
   * The point's first waiting place (refill-approach.ts): near the point while it is taken, a
   * machine waits beside it, clear of the machine filling there. Without it a machine drives to
   * the point and waits there.
   */
  waitAt?: LonLat;
  dock: RefillDock;
  /** Share of a fill the station's plan uses before trip `k` (1: when empty). */
  plannedShare: (trip: number) => number;
}

/**
 * The separation guard's reach round the refill point: held this close to it, a machine is waiting
 * for it; this close and finding it taken, a machine makes for a waiting place (further out it
 * keeps on for the point, which is mostly free again by the time it is there).
 */
const REFILL_QUEUE_M = 30;

export class RefillTrip {
  /**
   * On the way to the refill point (or its waiting place while the point is taken), standing at
   * the waiting place, waiting at the point, or filling.
   */
  private phase: 'out' | 'beside' | 'wait' | 'fill' = 'out';
  private fillLeftS = 0;

  constructor(
    private readonly id: string,
    private readonly refill: SimRefill,
    private readonly tank: SimTank,
    private readonly chassis: Chassis,
    private readonly frame: PlaneFrame,
  ) {}

  /** One step of the trip: drive to the point, wait for it, fill. True once filled. */
  step(dtS: number): boolean {
    const refill = this.refill;
    const chassis = this.chassis;
    chassis.speedMps = 0;
    if (this.phase === 'beside') {
      if (!refill.dock.waitBeside(this.id, dtS)) return false;
      refill.dock.leavePlace(this.id);
      this.phase = 'out';
      return false;
    }
    if (this.phase === 'out') {
      const point = this.frame.toLocal(refill.point);
      const beside = this.waitingPlace(point);
      const target = beside ?? point;
      const speed = chassis.limited(chassis.speedToward(target));
      if (speed <= 0) {
        // Held by the zone guard next to the point (another machine is filling there): queueing.
        const far = Math.hypot(point.x - chassis.position.x, point.y - chassis.position.y);
        if (far <= REFILL_QUEUE_M) refill.dock.heldNear(this.id, dtS);
        chassis.heldOnWay(target, dtS);
        return false;
      }
      chassis.moved();
      const arrived = chassis.driveToward(target, speed * dtS) !== null;
      chassis.speedMps = speed;
      if (arrived) this.phase = beside ? 'beside' : 'wait';
      return false;
    }
    if (this.phase === 'wait') {
      if (!refill.dock.request(this.id, dtS)) return false;
      this.phase = 'fill';
      this.fillLeftS = this.tank.refillS;
      return false;
    }
    this.fillLeftS -= dtS;
    if (this.fillLeftS > 0) return false;
    this.tank.filled();
    refill.dock.release(this.id);
    return true;
  }

  /**
   * Where a machine on its way to the point makes for: within the guard's reach of the point
   * while it is taken, its waiting place (the k-th along the edge from the point, as far from the
   * one before as the first is from the point: refill-approach.ts), kept however far that is, and
   * back to the point when it comes free; null for the point itself.
   */
  private waitingPlace(point: PlanePoint): PlanePoint | null {
    const refill = this.refill;
    const position = this.chassis.position;
    const far = Math.hypot(point.x - position.x, point.y - position.y);
    const making = refill.dock.hasPlace(this.id);
    if (!refill.waitAt || (far > REFILL_QUEUE_M && !making) || !refill.dock.takenFor(this.id)) {
      refill.dock.leavePlace(this.id);
      return null;
    }
    const first = this.frame.toLocal(refill.waitAt);
    const k = refill.dock.placeFor(this.id) + 1;
    return { x: point.x + (first.x - point.x) * k, y: point.y + (first.y - point.y) * k };
  }
}
