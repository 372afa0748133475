/**
 * The releases the station gave not long ago: each stop and the machines released from it. A
 * machine that still says such a stop holds it missed its release (lost, expired, or sent while
 * it was out of reach): the operator released it, so the station sends the release again rather
 * than holding the machine for a stop nobody shows any more.
 */
import { stopRefOf } from '../link/index.js';

/** Enough for every stop of a long session's recent hours; older ones fall back to a new hold. */
export const RELEASED_STOPS_KEPT = 64;

export interface ReleasedStop {
  id: string;
  tractorIds: string[];
  /**
   * A fleet stop released until it held no machine: every machine is free of it, also one that
   * heard its broadcast while the station did not know it yet (rejoining after a restart).
   */
  fleetEnded?: boolean | undefined;
}

export class ReleaseHistory {
  private readonly byRef = new Map<number, ReleasedStop>();

  constructor(private readonly capacity = RELEASED_STOPS_KEPT) {}

  /** Machines released from a stop (added to those released from it before). */
  released(stopId: string, tractorIds: readonly string[], fleetEnded = false): void {
    const ref = stopRefOf(stopId);
    const known = this.byRef.get(ref);
    this.byRef.delete(ref);
    this.byRef.set(ref, {
      id: stopId,
      tractorIds: [...new Set([...(known?.tractorIds ?? []), ...tractorIds])],
      ...(fleetEnded || known?.fleetEnded ? { fleetEnded: true } : {}),
    });
    while (this.byRef.size > this.capacity) {
      const oldest = this.byRef.keys().next();
      if (oldest.done) break;
      this.byRef.delete(oldest.value);
    }
  }

  /** The stop a machine's report of `stopId` means, if the station released the machine from it. */
  releasedFor(stopId: string, tractorId: string): ReleasedStop | undefined {
    const ended = this.byRef.get(stopRefOf(stopId));
    return ended?.fleetEnded || ended?.tractorIds.includes(tractorId) ? ended : undefined;
  }

  all(): ReleasedStop[] {
    return [...this.byRef.values()];
  }

  restore(stops: readonly ReleasedStop[]): void {
    for (const stop of stops) this.released(stop.id, stop.tractorIds, stop.fleetEnded);
  }
}
