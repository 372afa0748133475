/**
 * A simulated machine's tank or hopper: it empties by the ground worked (width × distance ×
 * rate per hectare) and says when the machine must leave for the refill point: when it is
 * empty, or earlier where the station's plan tops it up to keep the point free for another.
 */
import { areaPerFillM2, refillTimeS, type ImplementCapacity } from '../../shared/index.js';
import type { RefillPlan } from '../fleet/index.js';

const EPS_M = 1e-6;

export class SimTank {
  private usedM2 = 0;
  private trips = 0;
  private readonly perFillM2: number;
  readonly refillS: number;

  constructor(
    capacity: ImplementCapacity,
    private readonly widthM: number,
    /** Share of a fill the plan uses before trip `k` (1: go when empty). */
    private readonly plannedShare: (trip: number) => number,
  ) {
    this.perFillM2 = areaPerFillM2(capacity);
    this.refillS = refillTimeS(capacity);
  }

  /** Metres the machine may still work before it leaves. */
  workLeftM(): number {
    const share = Math.min(1, Math.max(0, this.plannedShare(this.trips)));
    return Math.max(0, (share * this.perFillM2 - this.usedM2) / this.widthM);
  }

  worked(metres: number): void {
    this.usedM2 += metres * this.widthM;
  }

  get due(): boolean {
    return this.workLeftM() <= EPS_M;
  }

  /** Share of a fill left, 0..1. */
  get level(): number {
    return Math.max(0, 1 - this.usedM2 / this.perFillM2);
  }

  filled(): void {
    this.usedM2 = 0;
    this.trips++;
  }
}

/**
 * The share of a fill the station's present plan has machine `id` use before its `trip`-th trip
 * (counted over the whole job). A new plan (a replan, a rebalance) starts its trips from the
 * machine's present fill, so its first trip is the machine's next one, whatever it did before.
 */
export function plannedShareReader(
  plan: () => RefillPlan,
): (tractorId: string, trip: number) => number {
  const seen = new Map<string, { plan: RefillPlan; firstTrip: number }>();
  return (tractorId, trip) => {
    const now = plan();
    let entry = seen.get(tractorId);
    if (entry?.plan !== now) {
      entry = { plan: now, firstTrip: trip };
      seen.set(tractorId, entry);
    }
    const own = now.trips.filter((t) => t.tractorId === tractorId);
    return own[trip - entry.firstTrip]?.usedShare ?? 1;
  };
}
