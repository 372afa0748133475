/**
 * The job's refill point as the station watches it: the point checked against the field (on or
 * near its edge, else the job has none), each machine's fill estimated from the ground it spread
 * on (`FillLevels`), and which machines are away for a fill, so the next placing of the refill
 * trips keeps the point for them.
 */
import type { LonLat } from '../../shared/index.js';
import {
  validateRefillPoint,
  type AwayMachine,
  type TangentFrame,
  type ValidField,
  type XY,
} from '../fleet/index.js';
import { FillLevels } from './fill-levels.js';

export class RefillWatch {
  /** The refill point in local metres, and why the one asked for was refused. */
  readonly pointXY: XY | null = null;
  readonly problem: string | null = null;
  private readonly fills: FillLevels | null = null;
  /** Machines that left for the refill point (due by the plan then in force), not yet back at work. */
  private readonly out = new Set<string>();

  constructor(
    field: ValidField,
    private readonly point: LonLat | undefined,
    private readonly frame: TangentFrame,
    /** Ground the machine has spread on so far, m² (fresh ground and overlap alike). */
    private readonly spreadM2: (tractorId: string) => number,
  ) {
    if (point) {
      const refill = validateRefillPoint(field, point);
      if (refill.ok) {
        this.pointXY = refill.value;
        this.fills = new FillLevels(refill.value);
      } else this.problem = refill.error.message;
    }
  }

  /** The job's refill point (WGS84), when it has one. */
  get refillPoint(): LonLat | null {
    return this.pointXY && this.point ? this.point : null;
  }

  /**
   * A machine's position report: standing at the refill point with the work off, it has filled.
   * True on its first report at work after a fill.
   */
  observeFill(
    tractorId: string,
    report: { position: LonLat; working: boolean; speedMps: number },
  ): boolean {
    const back =
      this.fills?.observe(
        tractorId,
        { ...report, position: this.frame.toLocal(report.position) },
        this.spreadM2(tractorId),
      ) ?? false;
    // Back at work, after a fill or without one (due by the estimate only at a swath's end).
    if (report.working) this.out.delete(tractorId);
    return back;
  }

  /**
   * True the first time a machine is seen due for a fill (its fill used as far as the plan's next
   * trip for it says: `dueForRefill`, null before the job is allocated) with its work off, since
   * it was last back at work: it has left for the point. A machine still at work has not: the
   * estimate of its fill can run a report ahead of its tank, and a plan placed again as if it
   * were away would drop the trip it has yet to make.
   */
  leftForRefill(
    tractorId: string,
    working: boolean,
    dueForRefill: ((tractorId: string, usedM2: number) => boolean) | null,
  ): boolean {
    if (!this.fills || !dueForRefill || working) return false;
    if (this.out.has(tractorId) || this.fills.isFilling(tractorId)) return false;
    const usedM2 = this.fills.usedM2(tractorId, this.spreadM2(tractorId));
    if (!dueForRefill(tractorId, usedM2)) return false;
    this.out.add(tractorId);
    return true;
  }

  /**
   * The machines away for a fill, as the next placing of the trips must keep the point for them:
   * on their way there (left and not yet seen at the point) from where they stand, or filling
   * there now. One that has filled and is driving back has nothing left to do at the point.
   */
  awayMachines(positions: Readonly<Record<string, { position: LonLat }>>): AwayMachine[] {
    const fills = this.fills;
    if (!fills || !this.pointXY) return [];
    const away: AwayMachine[] = [];
    for (const tractorId of this.out) {
      if (fills.isAtPoint(tractorId))
        away.push({ tractorId, position: this.pointXY, filling: true });
      else if (!fills.isFilling(tractorId)) {
        const pose = positions[tractorId];
        if (pose)
          away.push({ tractorId, position: this.frame.toLocal(pose.position), filling: false });
      }
    }
    return away;
  }

  /** Ground the machine has spread on since its last fill (null: the job has no refill point). */
  fillUsedM2(tractorId: string): number | null {
    return this.fills ? this.fills.usedM2(tractorId, this.spreadM2(tractorId)) : null;
  }
}
