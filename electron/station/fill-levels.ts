/**
 * How much of its fill each machine has used, as the station can tell without the machine saying:
 * the ground it has spread on (fresh ground and overlap alike: a pass over worked ground spends
 * seed too) since it last stood at the job's refill point with the work off. An estimate (a
 * machine filled elsewhere is not seen), for the map and for the next plan's refill trips.
 */
import type { XY } from '../fleet/index.js';

/** A machine this close to the refill point with its work off is taken to have filled up there. */
export const REFILL_REACH_M = 10;

export class FillLevels {
  /** Each machine's spread area when it last filled. */
  private readonly filledAtM2 = new Map<string, number>();

  constructor(private readonly point: XY) {}

  /** A position report: a machine at the point with the work off has filled up. */
  observe(tractorId: string, position: XY, working: boolean, spreadM2: number): void {
    if (working) return;
    const away = Math.hypot(position[0] - this.point[0], position[1] - this.point[1]);
    if (away <= REFILL_REACH_M) this.filledAtM2.set(tractorId, spreadM2);
  }

  /** Ground spread on from the present fill (all of it when the machine has not been seen filling). */
  usedM2(tractorId: string, spreadM2: number): number {
    return Math.max(0, spreadM2 - (this.filledAtM2.get(tractorId) ?? 0));
  }
}
