/**
 * How much of its fill each machine has used, as the station can tell without the machine saying:
 * the ground it has spread on (fresh ground and overlap alike: a pass over worked ground spends
 * seed too) since it last stood at the job's refill point with the work off. An estimate (a
 * machine filled elsewhere is not seen), for the map and for the next plan's refill trips.
 */
import type { XY } from '../fleet/index.js';

/** A machine this close to the refill point with its work off is taken to have filled up there. */
export const REFILL_REACH_M = 10;
/**
 * Slower than this a machine stands (telemetry speed; the simulator stops dead, a real machine
 * reads a few cm/s at rest). A machine driving past the point with its implement up, on its way
 * between sections along the headland, is not filling: only one standing there is.
 */
export const FILLING_MAX_MPS = 0.2;

/** What a position report says of a machine at or near the point. */
export interface FillReport {
  position: XY;
  working: boolean;
  speedMps: number;
}

/**
 * Whether the report shows the machine standing at the point (local metres, the report's frame)
 * with its work off: what filling looks like to the station, for the fill levels and for the
 * refill stops the job records (refill-visits.ts).
 */
export function standsAtPoint(point: XY, report: FillReport): boolean {
  if (report.working || report.speedMps > FILLING_MAX_MPS) return false;
  const [x, y] = report.position;
  return Math.hypot(x - point[0], y - point[1]) <= REFILL_REACH_M;
}

export class FillLevels {
  /** Each machine's spread area when it last filled. */
  private readonly filledAtM2 = new Map<string, number>();
  /** Machines seen filling at the point and not yet back at work. */
  private readonly filling = new Set<string>();
  /** Machines whose latest report stands at the point. */
  private readonly standing = new Set<string>();

  constructor(private readonly point: XY) {}

  /**
   * A position report: a machine standing at the point with the work off has filled up. True
   * on its first report at work after a fill (back where it works, its run timed from there).
   */
  observe(tractorId: string, report: FillReport, spreadM2: number): boolean {
    if (standsAtPoint(this.point, report)) {
      // A machine parked at the point before it has spread anything has not filled up there.
      if (this.usedM2(tractorId, spreadM2) > 0) this.filling.add(tractorId);
      this.filledAtM2.set(tractorId, spreadM2);
      this.standing.add(tractorId);
      return false;
    }
    this.standing.delete(tractorId);
    return report.working && this.filling.delete(tractorId);
  }

  /** Seen at the point filling and not yet back at work. */
  isFilling(tractorId: string): boolean {
    return this.filling.has(tractorId);
  }

  /** Filling there now: its latest report stands at the point (not yet on its way back). */
  isAtPoint(tractorId: string): boolean {
    return this.filling.has(tractorId) && this.standing.has(tractorId);
  }

  /** Ground spread on from the present fill (all of it when the machine has not been seen filling). */
  usedM2(tractorId: string, spreadM2: number): number {
    return Math.max(0, spreadM2 - (this.filledAtM2.get(tractorId) ?? 0));
  }
}
