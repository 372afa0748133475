/**
 * The station's stops (docs/safety.md, "E-stop" and "Release"): issuing a fleet or tractor stop,
 * holding late joiners, the authenticated release to paused, a refused release, and adopting a
 * stop a tractor made on its own. The safety core sends the frames, repeats them until every
 * machine confirms, times the confirmations and signs the releases; this class decides what the
 * core is told, keeps the station's copy of the stops in force (StopCoordinator) and tells the
 * operator, the audit log and the job record.
 */
import { commandFailed, commandOk, type CommandResult } from '../../shared/index.js';
import { stopRefOf, type ReleaseRefusal } from '../link/index.js';
import {
  StopCoordinator,
  type ActiveStop,
  type SafetyCoreCommands,
  type StopOrder,
} from '../safety-core/index.js';
import type { StationServices } from './station-services.js';
import { ReleaseHistory } from './release-history.js';
import { planRelease, type ReleaseRequest } from './release-plan.js';
import type { TractorRecord } from './tractor-record.js';

/**
 * After a release, 'stopped' reports sent before the tractor heard it are not a new stop. A
 * release is a multi-frame transfer and can wait behind one stalled by a lost frame (a TP
 * timeout is 1.25 s), so the grace covers that; a tractor that does stop itself meanwhile is
 * stopped all the same, and the station holds it once the grace is over.
 */
const RELEASE_GRACE_MS = 3_000;
/**
 * A machine held by a station stop repeats its confirmation every second while stopped, naming
 * the stop. One that reports itself stopped for longer than this without naming a stop we know
 * has stopped on its own (watchdog, fault), and only then is it said to have stopped itself.
 */
const UNEXPLAINED_STOP_MS = 1_500;
/** A release sent again to a machine that missed it goes at most this often per stop. */
const RELEASE_AGAIN_MS = 2_000;

export interface StopHooks {
  /** A stop was issued or released: write the job (a stop must survive a crash). */
  persist(): void;
  /** The shared job document's record of stops. */
  recordStop(stopId: string, scope: string, reason: string): void;
  recordRelease(stopId: string): void;
  /** A fleet stop started, or after a release no fleet stop is left. */
  fleetStopChanged(active: boolean): void;
  log(line: string): void;
}

export class StopControl {
  readonly coordinator = new StopCoordinator('stop');
  /** Every release given not long ago (persisted): a machine that missed one gets it again. */
  readonly releases = new ReleaseHistory();
  private readonly sentAgainMs = new Map<string, number>();

  constructor(
    private readonly s: StationServices,
    private readonly hooks: StopHooks,
    private readonly core: SafetyCoreCommands,
  ) {}

  /** The core's fast path must not issue a stop id the job's records already hold. */
  reserveFastStopIds(ids: readonly string[]): void {
    this.core.reserveStopIds(ids);
  }

  /** Hands the core every stop in force (at start, once the job and its stops are read back). */
  syncCore(): void {
    this.core.restore(this.active().map(orderOf));
  }

  active(): ActiveStop[] {
    return this.coordinator.active();
  }

  isHeld(tractorId: string): boolean {
    return this.coordinator.holding(tractorId).length > 0;
  }

  fleetStopActive(): boolean {
    return this.active().some((s) => s.scope === 'fleet');
  }

  issue(scope: string, tractorIds: readonly string[], actor: string): CommandResult {
    const { clock } = this.s;
    const stop = this.coordinator.issue(
      scope,
      [...tractorIds],
      clock.now(),
      clock.wallNow(),
      actor,
    );
    // The frame goes out first; writing the record (fsync) must not delay the stop.
    this.core.issue(orderOf(stop));
    for (const id of tractorIds) {
      this.forgetStart(id);
      if (this.s.tractors.get(id)?.commLost) this.lost(id);
    }
    this.announce(stop.id, scope, tractorIds, actor);
    return commandOk({ stopId: stop.id });
  }

  /** The station's side of a new stop: the document, the audit log, the job, the operator. */
  private announce(
    stopId: string,
    scope: string,
    tractorIds: readonly string[],
    actor: string,
  ): void {
    this.hooks.recordStop(stopId, scope, `stop by ${actor}`);
    this.s.audit({
      kind: 'stop',
      actor,
      subject: stopId,
      detail: `scope ${scope}: ${tractorIds.join(', ') || 'no tractor yet'}`,
    });
    if (scope === 'fleet') this.hooks.fleetStopChanged(true);
    this.s.notice(
      'critical',
      scope === 'fleet' ? 'Fleet stop sent' : `Stop sent to ${this.s.nameOf(scope)}`,
    );
    this.hooks.log(
      `station: stop ${stopId} scope=${scope} tractors=${tractorIds.length} by=${actor}`,
    );
    this.hooks.persist();
    this.s.publish();
  }

  /**
   * Two-step in the UI; here the second step. Every machine named is released from every stop
   * that holds it (or from the one stop named), each with its own authenticated release, or
   * nothing is released and the refusal names each machine that cannot be and why.
   */
  release(request: ReleaseRequest, actor: string): CommandResult {
    const plan = planRelease(this.coordinator, request, (id) => this.s.nameOf(id));
    if (!plan.ok) return commandFailed(plan.code, plan.message);
    const now = this.s.clock.now();
    this.core.release(plan.pairs.map((p) => ({ stopId: p.stop.id, tractorId: p.tractorId })));
    for (const { stop, tractorId } of plan.pairs) {
      this.s.audit({
        kind: 'release',
        actor,
        subject: stop.id,
        detail: `released ${tractorId} to paused`,
      });
      this.coordinator.release(stop.id, [tractorId]);
      const ended = !this.coordinator.get(stop.id);
      this.releases.released(stop.id, [tractorId], ended && stop.scope === 'fleet');
      if (ended) this.hooks.recordRelease(stop.id);
    }
    for (const id of plan.tractorIds) {
      const released = this.s.tractors.get(id);
      if (released && !this.isHeld(id)) released.releasedAtMs = now;
    }
    if (!this.fleetStopActive()) this.hooks.fleetStopChanged(false);
    const names = plan.tractorIds.map((id) => this.s.nameOf(id)).join(', ');
    this.s.notice('warning', `Released to paused: ${names}`);
    this.hooks.persist();
    this.s.publish();
    return commandOk();
  }

  /**
   * A machine says a stop holds it (at once when it obeys, then every second while stopped).
   * A stop that holds it is confirmed; one it was released from is released again (it missed
   * the release); a fleet stop it joined after holds it; a stop this station does not know
   * (issued before a crash, not yet written) holds it until the operator releases it.
   */
  confirmed(from: string, reportedId: string): void {
    const tractor = this.s.tractors.get(from);
    if (tractor) tractor.unexplainedStopSinceMs = null;
    const stop = this.coordinator.byRef(stopRefOf(reportedId));
    if (stop?.tractors.has(from)) return this.confirmHeld(from, stop.id);
    const released = stop?.released.has(from)
      ? stop.id
      : this.releases.releasedFor(reportedId, from)?.id;
    if (released !== undefined) return this.releaseAgain(from, released);
    if (stop?.scope === 'fleet') {
      this.coordinator.addToFleetStops(from);
      this.core.addToFleetStops(from);
      this.hooks.persist();
      return this.confirmHeld(from, stop.id);
    }
    this.holdForUnknownStop(from, reportedId);
  }

  /** The core heard a machine confirm a stop that holds it, this long after the stop went out. */
  coreConfirmed(stopId: string, tractorId: string, latencyMs: number): void {
    const tractor = this.s.tractors.get(tractorId);
    if (tractor) tractor.unexplainedStopSinceMs = null;
    this.confirmHeld(tractorId, stopId, latencyMs);
  }

  /**
   * The core stopped the fleet on its own, at once (a click on STOP ALL reaches it before the
   * station): the station takes the stop in as if it had issued it.
   */
  coreStopped(order: StopOrder): void {
    if (this.coordinator.get(order.id)) return;
    const { clock } = this.s;
    this.coordinator.restore(
      {
        id: order.id,
        scope: order.scope,
        issuedAtMs: clock.now(),
        issuedAtWallMs: order.issuedAtWallMs,
        issuedBy: order.issuedBy,
      },
      order.tractorIds,
    );
    for (const id of order.tractorIds) {
      this.forgetStart(id);
      if (this.s.tractors.get(id)?.commLost) this.lost(id);
    }
    this.announce(order.id, order.scope, order.tractorIds, order.issuedBy);
  }

  /**
   * The core held the fleet because this thread did not answer for `silentMs` (it told the stop
   * first, by coreStopped): the operator is told why the fleet stands.
   */
  coreHeldForSilence(silentMs: number, stopId: string): void {
    const seconds = (silentMs / 1000).toFixed(1);
    this.s.raise(
      'critical',
      'station',
      `The station did not answer its safety core for ${seconds} s: the core stopped the fleet (${stopId}); release when the station is responsive`,
    );
    this.s.audit({
      kind: 'safe-stop',
      actor: 'safety core',
      subject: stopId,
      detail: `station main thread silent for ${Math.round(silentMs)} ms: fleet held`,
    });
    this.hooks.log(
      `station: main thread silent ${Math.round(silentMs)} ms: core held the fleet (${stopId})`,
    );
  }

  private confirmHeld(from: string, stopId: string, latencyMs?: number): void {
    if (!this.coordinator.confirm(stopId, from, this.s.clock.now(), latencyMs)) return;
    const latency = this.coordinator.get(stopId)?.tractors.get(from)?.latencyMs ?? 0;
    this.s.audit({
      kind: 'confirm',
      actor: from,
      subject: stopId,
      detail: `confirmed stopped after ${latency} ms`,
    });
    this.s.publish();
  }

  /** A tractor joined: a fleet stop in force holds it too, and it hears every stop that holds it. */
  joined(tractorId: string): void {
    // Written at once: a restart must still find the machine held by the stop.
    this.core.addToFleetStops(tractorId);
    if (this.coordinator.addToFleetStops(tractorId).length > 0) this.hooks.persist();
    this.resend(tractorId);
  }

  /** The operator released this machine from the stop, but it never heard: tell it again. */
  private releaseAgain(tractorId: string, stopId: string): void {
    const key = `${tractorId}\u0000${stopRefOf(stopId)}`;
    const now = this.s.clock.now();
    if (now - (this.sentAgainMs.get(key) ?? -Infinity) < RELEASE_AGAIN_MS) return;
    this.sentAgainMs.set(key, now);
    this.core.releaseAgain(stopId, tractorId);
    this.s.audit({
      kind: 'release',
      actor: 'station',
      subject: stopId,
      detail: `released ${tractorId} again: it had not heard its release`,
    });
    this.hooks.log(
      `station: ${tractorId} still held by released stop ${stopId}: release sent again`,
    );
  }

  /**
   * A machine held by a stop this station never issued or no longer remembers: it is shown held
   * by that stop, and only the operator's release frees it (a stop is never lifted by itself).
   */
  private holdForUnknownStop(tractorId: string, stopId: string): void {
    const { clock } = this.s;
    const name = this.s.nameOf(tractorId);
    const held = this.coordinator.restore(
      {
        id: stopId,
        scope: tractorId,
        issuedAtMs: clock.now(),
        issuedAtWallMs: clock.wallNow(),
        issuedBy: 'an earlier stop',
      },
      [tractorId],
    );
    this.coordinator.confirm(stopId, tractorId, clock.now());
    this.core.holdForUnknown(orderOf(held));
    this.s.audit({
      kind: 'stop',
      actor: tractorId,
      subject: stopId,
      detail: 'held by a stop this station did not know (from before a restart): shown held',
    });
    this.s.raise(
      'warning',
      tractorId,
      `${name} is held by a stop this station did not know (${stopId}); release it when safe`,
    );
    this.hooks.persist();
    this.s.publish();
  }

  /** A held tractor that reports anything but stopped hears its stops again at once. */
  reported(tractor: TractorRecord): void {
    if (tractor.reportedState !== 'stopped' && this.isHeld(tractor.id)) this.resend(tractor.id);
    else this.adoptUnexplained(tractor);
  }

  lost(tractorId: string): void {
    this.coordinator.markLost(tractorId);
    this.core.markLost(tractorId);
  }

  heard(tractorId: string): void {
    this.coordinator.markHeard(tractorId);
    this.core.markHeard(tractorId);
  }

  /**
   * A tractor refused a release (it did not authenticate, or was a replay): it is still stopped,
   * so the station holds it with a stop of its own again, which the operator can release anew.
   */
  refused(tractor: TractorRecord, stopId: string, reason: ReleaseRefusal): void {
    this.s.audit({ kind: 'release-refused', actor: tractor.id, subject: stopId, detail: reason });
    this.s.raise(
      'critical',
      tractor.id,
      `${tractor.name} refused the release of ${stopId} (${reason}): still stopped`,
    );
    if (!this.isHeld(tractor.id))
      this.issue(tractor.id, [tractor.id], `${tractor.name} (release refused)`);
  }

  /**
   * A tractor that reports itself stopped while no stop of ours holds it has stopped on its own
   * (lost heartbeat, machine fault). The station adopts that stop as a tractor stop, so it is
   * shown, confirmed and released like any other; nothing restarts the machine by itself.
   * A machine that says whose stop it stands by is taken at its word; one that does not is
   * judged by time: it named no stop of ours for longer than its confirmations repeat.
   */
  private adoptUnexplained(tractor: TractorRecord): void {
    if (tractor.reportedState !== 'stopped' || this.isHeld(tractor.id)) {
      tractor.unexplainedStopSinceMs = null;
      return;
    }
    // Stopped by the station's stops only: its repeated confirmations name them (a lost one is
    // not a stop of its own).
    if (tractor.ownStop === false) return;
    const now = this.s.clock.now();
    tractor.unexplainedStopSinceMs ??= now;
    if (tractor.ownStop === null) {
      if (now - tractor.unexplainedStopSinceMs < UNEXPLAINED_STOP_MS) return;
      const sinceRelease = tractor.releasedAtMs === null ? Infinity : now - tractor.releasedAtMs;
      if (sinceRelease < RELEASE_GRACE_MS) return;
    }
    this.s.raise('critical', tractor.id, `${tractor.name} stopped itself`);
    this.s.audit({
      kind: 'safe-stop',
      actor: tractor.id,
      subject: tractor.id,
      detail: 'reported stopped without a stop from the station',
    });
    this.issue(tractor.id, [tractor.id], `${tractor.name} (safe stop)`);
  }

  /** The core takes back the starts still on their way; a start the tractor ignored is moot. */
  private forgetStart(tractorId: string): void {
    const tractor = this.s.tractors.get(tractorId);
    if (tractor) tractor.startWhileStoppedMs = null;
  }

  private resend(tractorId: string): void {
    for (const stop of this.coordinator.holding(tractorId))
      this.core.send(tractorId, { kind: 'estop', stopId: stop.id });
  }
}

/** A stop as the core is told it. */
function orderOf(stop: ActiveStop): StopOrder {
  return {
    id: stop.id,
    scope: stop.scope,
    tractorIds: [...stop.tractors.keys()],
    issuedAtWallMs: stop.issuedAtWallMs,
    issuedBy: stop.issuedBy,
    releasedIds: [...stop.released],
  };
}
