/**
 * What holds a simulated machine stopped: the station's stops it obeys, and its own stop on
 * station silence or a machine fault until the station adopts it. Only a release authenticated
 * under the fleet key ends a station stop; a stop released from is remembered, so its repeats
 * (the station's keep-alive of a fleet stop that still holds other machines) stop it no more.
 * While stopped, the machine names every station stop that holds it once a second.
 */
import type { ReleaseAuth, TractorToStation } from '../link/index.js';
import { ReleaseVerifier, type FleetKey } from '../safety/index.js';
import { RecentSet } from './recent-set.js';

/** The hold a safe stop on station silence puts on the machine (until the station adopts it). */
const SILENCE_HOLD = 'station-silence';
/** The hold a machine fault puts on the machine (until the station adopts the stop). */
const FAULT_HOLD = 'machine-fault';
/**
 * Stops released from that a machine remembers: a station repeats a stop at most for as long as it
 * holds another machine, and a few hundred stops cover any session.
 */
const RELEASED_STOPS_KEPT = 256;
/** Telemetry goes at 10 Hz: a stopped machine names the stops holding it every 10th report (1 s). */
const REPORTS_PER_CONFIRM = 10;

export class StopHolds {
  private readonly heldBy = new Set<string>();
  /** Stops we were released from (their repeats are ignored). */
  private readonly releasedFrom = new RecentSet<string>(RELEASED_STOPS_KEPT);
  private readonly releases: ReleaseVerifier;
  private ownStopCount = 0;
  private reportsSinceConfirm = 0;

  constructor(
    private readonly send: (message: TractorToStation) => void,
    fleetKey: FleetKey,
    /** The id the station signs releases for (its side's id for this machine). */
    releaseId: string,
  ) {
    this.releases = new ReleaseVerifier(fleetKey, releaseId);
  }

  /** What holds the machine now: the stops it obeys, and its own watchdog or fault. */
  get list(): readonly string[] {
    return [...this.heldBy];
  }

  /** Whether nothing holds the machine. */
  get free(): boolean {
    return this.heldBy.size === 0;
  }

  /** Whether its own stop (station silence or a fault) holds it, not yet adopted by the station. */
  get ownStop(): boolean {
    return this.heldBy.has(SILENCE_HOLD) || this.heldBy.has(FAULT_HOLD);
  }

  /** How often the machine stopped on its own: its station-silence watchdog, or a fault. */
  get ownStops(): number {
    return this.ownStopCount;
  }

  /** The machine stops on its own: the station has been silent too long, or it failed. */
  holdOwn(cause: 'station-silence' | 'machine-fault'): void {
    this.ownStopCount++;
    this.heldBy.add(cause === 'station-silence' ? SILENCE_HOLD : FAULT_HOLD);
  }

  /**
   * A station stop: false for a repeat of one we were released from (only a new stop stops us
   * again); else the station has taken over, and its stop now holds the machine, released only
   * by it.
   */
  obey(stopId: string): boolean {
    if (this.releasedFrom.has(stopId)) return false;
    this.heldBy.delete(SILENCE_HOLD);
    this.heldBy.delete(FAULT_HOLD);
    this.heldBy.add(stopId);
    return true;
  }

  /**
   * A release of `stopId`: true when it ends that hold. One that fails authentication is refused
   * to the station, except a genuine release of a stop we were already released from: it is the
   * same release delivered again (a restarted station's link cannot tell what we received before
   * it restarted), so it is neither obeyed nor refused.
   */
  release(stopId: string, auth: ReleaseAuth): boolean {
    const verdict = this.releases.verify(stopId, auth);
    if (!verdict.ok && verdict.reason === 'replayed' && this.releasedFrom.has(stopId)) return false;
    if (!verdict.ok) {
      this.send({ kind: 'release-refused', stopId, reason: verdict.reason });
      return false;
    }
    this.heldBy.delete(stopId);
    this.releasedFrom.remember(stopId);
    return true;
  }

  /**
   * A telemetry report went out. While stopped, name every station stop that holds us once a
   * second: a station that lost track of one (it restarted, or its release never reached us)
   * learns why we stand.
   */
  reported(stopped: boolean): void {
    if (!stopped) return;
    if (++this.reportsSinceConfirm < REPORTS_PER_CONFIRM) return;
    this.reportsSinceConfirm = 0;
    for (const stopId of this.heldBy)
      if (stopId !== SILENCE_HOLD && stopId !== FAULT_HOLD)
        this.send({ kind: 'stop-confirm', stopId });
  }
}
