/**
 * The stops machines make at the job's refill point, as the station sees them in their position
 * reports: a stop begins with the first report of the machine standing at the point with its work
 * off (fill-levels.ts, the same test the fill levels use), after it was seen away from the point,
 * and lasts to the last such report. A machine parked by the point when the job starts has not
 * come to refill: its first stop is the first time it comes back. Kept in the job record
 * (records/refill-stops.ts) and in the job's document, so an older job's exports and a reopened
 * job have them too.
 */
import type { LonLat } from '../../shared/index.js';
import { TangentFrame } from '../fleet/index.js';
import { mergeRefillStops, type RefillStop } from '../records/index.js';
import { REFILL_REACH_M, standsAtPoint } from './fill-levels.js';

/**
 * A machine standing at the point again within this long of its last report there is on the same
 * stop: a real machine moves up a metre or two to line up with the nurse tank, and a station
 * restarted during a fill carries the stop it read back on.
 */
export const SAME_STOP_WITHIN_MS = 30_000;

/** A position report as the visits need it. */
export interface VisitReport {
  position: LonLat;
  working: boolean;
  speedMps: number;
}

export class RefillVisits {
  /** The point's own frame; null for a job without a point, which keeps the stops it read back. */
  private readonly frame: TangentFrame | null;
  private list: RefillStop[] = [];
  /** Each machine's latest stop (an index into `list`). */
  private readonly latest = new Map<string, number>();
  /** Machines seen beyond the point's reach: the next time they stand there, they came to it. */
  private readonly cameBack = new Set<string>();

  constructor(point: LonLat | null) {
    this.frame = point ? new TangentFrame({ lon: point[0], lat: point[1] }) : null;
  }

  /** A position report at wall time `wallMs`; true when it began or lengthened a stop. */
  observe(tractorId: string, report: VisitReport, wallMs: number): boolean {
    if (!this.frame) return false;
    const local = { ...report, position: this.frame.toLocal(report.position) };
    if (Math.hypot(local.position[0], local.position[1]) > REFILL_REACH_M)
      this.cameBack.add(tractorId);
    if (!standsAtPoint([0, 0], local)) return false;
    const k = this.latest.get(tractorId);
    const last = k === undefined ? undefined : this.list[k];
    if (last && k !== undefined && wallMs - last.leftAtWallMs <= SAME_STOP_WITHIN_MS) {
      if (wallMs <= last.leftAtWallMs) return false;
      this.list[k] = { ...last, leftAtWallMs: wallMs };
      return true;
    }
    if (!this.cameBack.delete(tractorId)) return false;
    this.latest.set(tractorId, this.list.length);
    this.list.push({
      tractorId,
      arrivedAtWallMs: wallMs,
      leftAtWallMs: wallMs,
      position: [report.position[0], report.position[1]],
    });
    return true;
  }

  /** Every stop so far, in the order they began (the one under way lasts to its latest report). */
  stops(): RefillStop[] {
    return [...this.list];
  }

  /**
   * Stops read back (from the job record, the job's document, or both): each is kept once, as
   * the longest reading of it, and the list stays in the order the stops began.
   */
  restore(stops: readonly RefillStop[]): void {
    this.list = mergeRefillStops(this.list, stops);
    this.latest.clear();
    this.list.forEach((stop, i) => this.latest.set(stop.tractorId, i));
  }
}
