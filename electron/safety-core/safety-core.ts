/**
 * The safety core: what must never wait for the station's other work. It owns the station's end
 * of the fleet link (heartbeats go out from there on their own), the stop frames and their
 * repeats until every machine confirms, the confirmations as they arrive (timed here, where they
 * are heard), the release signer and the fleet key, and a fleet stop it can issue on its own
 * the moment it is asked (the fast path from a click). Everything else — the job, the audit log,
 * the alerts, the records, which machines a release frees — is decided by the station, which
 * tells the core what to send and hears what it heard.
 *
 * The same class runs beside the station in one thread (tests, `headland sim`) or alone in a
 * worker thread (`headland serve`, the window), behind the same SafetyCorePort.
 */
import type { FleetKey } from '../safety/index.js';
import { ReleaseSigner } from '../safety/index.js';
import {
  SAFETY_TICK_MS,
  stopRefOf,
  type StationPort,
  type StationToTractor,
  type TractorToStation,
} from '../link/index.js';
import type { Clock } from '../time/index.js';
import { MainThreadWatchdog } from './main-thread-watchdog.js';
import { StopCoordinator, type ActiveStop } from './stop-coordinator.js';

/** A stop as the station and the core both know it. */
export interface StopOrder {
  id: string;
  scope: string;
  tractorIds: readonly string[];
  issuedAtWallMs: number;
  issuedBy: string;
  /** Machines released from it already (a fleet stop never holds them again). */
  releasedIds?: readonly string[];
}

export interface CoreEvents {
  /** A machine's message (a stop confirmation is also `confirmed` first, if the stop holds it). */
  message(from: string, message: TractorToStation): void;
  /** A machine confirmed a stop that holds it, this long after the stop was issued. */
  confirmed(stopId: string, tractorId: string, latencyMs: number): void;
  /** The core stopped the fleet on its own (the fast path), before the station heard of it. */
  fastStop(stop: StopOrder): void;
  /**
   * The station's main thread had not answered for `silentMs`: the core held the fleet with
   * the stop `stopId` (told first, by fastStop). Only a core with a main-thread watchdog says it.
   */
  mainThreadSilent?(silentMs: number, stopId: string): void;
}

/** Who the audit log and the operator are told issued a stop the watchdog made. */
export const MAIN_THREAD_WATCHDOG_ACTOR = 'safety core (station not answering)';

export interface SafetyCoreOptions {
  clock: Clock;
  /** The station's end of the fleet link. */
  port: StationPort;
  fleetKey: FleetKey;
  /**
   * Hold the fleet when the station's main thread has been silent this long (a core in a
   * thread of its own: MAIN_THREAD_SILENCE_MS). Armed by the first mainThreadAnswered().
   */
  mainThreadSilenceMs?: number;
}

/** The commands the station gives its core. */
export interface SafetyCoreCommands {
  send(to: string, message: StationToTractor): void;
  broadcast(message: StationToTractor): void;
  withdrawStarts(to: string): void;
  issue(stop: StopOrder): void;
  /** Restores stops read back at start: held again, every machine to confirm again. */
  restore(stops: readonly StopOrder[]): void;
  /** Signs and sends each release, and stops repeating the stop to those machines. */
  release(pairs: readonly { stopId: string; tractorId: string }[]): void;
  /** Sends a release again to a machine that missed it (the stop no longer holds it here). */
  releaseAgain(stopId: string, tractorId: string): void;
  addToFleetStops(tractorId: string): void;
  /** A stop a machine names that the station did not know: held from now on, confirmed. */
  holdForUnknown(stop: StopOrder): void;
  markLost(tractorId: string): void;
  markHeard(tractorId: string): void;
  /**
   * Stop ids the job's records hold (an earlier life's stops): the fast path never issues them
   * again, even with the clock set back, so a release of an old stop cannot end a new one.
   */
  reserveStopIds(ids: readonly string[]): void;
  /**
   * The fast path: a fleet stop issued here, at once, under `id` when the caller chose one (a
   * core in another thread cannot answer with its id in time).
   */
  fastStop(actor: string, id?: string): string;
}

/** The core as the station holds it: in this thread, or a worker's behind messages. */
export interface SafetyCorePort extends SafetyCoreCommands {
  /** Where the core's events go (one listener: the station). */
  listen(events: CoreEvents): void;
  close(): void;
}

export class SafetyCore implements SafetyCorePort {
  private readonly stops = new StopCoordinator('stop');
  private readonly fastStops = new StopCoordinator('fast');
  private readonly signer: ReleaseSigner;
  private readonly offMessage: () => void;
  private events: CoreEvents | null = null;
  /** Machines the station has heard introduce themselves: a fast fleet stop holds them. */
  private readonly fleet = new Set<string>();
  private cancelTimer: () => void = () => undefined;
  private closed = false;
  private readonly watchdog: MainThreadWatchdog | null;

  constructor(private readonly options: SafetyCoreOptions) {
    this.signer = new ReleaseSigner(options.fleetKey, () => options.clock.wallNow());
    this.watchdog =
      options.mainThreadSilenceMs === undefined
        ? null
        : new MainThreadWatchdog(options.mainThreadSilenceMs);
    this.offMessage = options.port.onMessage((from, message) => this.heard(from, message));
    this.schedule();
  }

  listen(events: CoreEvents): void {
    this.events = events;
  }

  send(to: string, message: StationToTractor): void {
    this.options.port.send(to, message);
  }

  broadcast(message: StationToTractor): void {
    this.options.port.broadcast(message);
  }

  withdrawStarts(to: string): void {
    this.options.port.withdrawStarts(to);
  }

  issue(order: StopOrder): void {
    const stop = this.insert(order, this.options.clock.now());
    // The frame goes out first.
    this.transmit(stop);
    for (const id of order.tractorIds) this.options.port.withdrawStarts(id);
  }

  restore(orders: readonly StopOrder[]): void {
    const now = this.options.clock.now();
    for (const order of orders) this.insert(order, now);
  }

  release(pairs: readonly { stopId: string; tractorId: string }[]): void {
    for (const { stopId, tractorId } of pairs) {
      this.releaseAgain(stopId, tractorId);
      this.stops.release(stopId, [tractorId]);
    }
  }

  releaseAgain(stopId: string, tractorId: string): void {
    this.options.port.send(tractorId, {
      kind: 'release',
      stopId,
      auth: this.signer.sign(tractorId, stopId),
    });
  }

  addToFleetStops(tractorId: string): void {
    this.stops.addToFleetStops(tractorId);
  }

  holdForUnknown(order: StopOrder): void {
    this.insert(order, this.options.clock.now());
    for (const id of order.tractorIds) this.stops.confirm(order.id, id, this.options.clock.now());
  }

  markLost(tractorId: string): void {
    this.stops.markLost(tractorId);
  }

  markHeard(tractorId: string): void {
    this.stops.markHeard(tractorId);
  }

  reserveStopIds(ids: readonly string[]): void {
    this.fastStops.reserve(ids);
  }

  fastStop(actor: string, id?: string): string {
    const { clock } = this.options;
    const wallMs = clock.wallNow();
    const order: StopOrder = {
      id: id ?? this.fastStops.issue('fleet', [], clock.now(), wallMs, actor).id,
      scope: 'fleet',
      tractorIds: [...this.fleet],
      issuedAtWallMs: wallMs,
      issuedBy: actor,
    };
    this.issue(order);
    this.events?.fastStop(order);
    return order.id;
  }

  /** The station's main thread said something: its watchdog is fed (and armed the first time). */
  mainThreadAnswered(): void {
    this.watchdog?.answered(this.options.clock.now());
  }

  /** Stops in force as the core keeps them (for a test's or a figure's look). */
  active(): ActiveStop[] {
    return this.stops.active();
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.offMessage();
  }

  private insert(order: StopOrder, nowMs: number): ActiveStop {
    return this.stops.restore(
      {
        id: order.id,
        scope: order.scope,
        issuedAtMs: nowMs,
        issuedAtWallMs: order.issuedAtWallMs,
        issuedBy: order.issuedBy,
      },
      order.tractorIds,
      order.releasedIds ?? [],
    );
  }

  private heard(from: string, message: TractorToStation): void {
    if (message.kind === 'hello') this.fleet.add(from);
    if (message.kind === 'stop-confirm') {
      const stop = this.stops.byRef(stopRefOf(message.stopId));
      if (stop?.tractors.has(from)) {
        const now = this.options.clock.now();
        if (this.stops.confirm(stop.id, from, now))
          this.events?.confirmed(stop.id, from, Math.max(0, now - stop.issuedAtMs));
      }
    }
    // Every message goes on: the station hears the machine (and settles any other confirmation).
    this.events?.message(from, message);
  }

  private schedule(): void {
    if (this.closed) return;
    const dueMs = this.options.clock.now() + SAFETY_TICK_MS;
    this.cancelTimer = this.options.clock.setTimer(SAFETY_TICK_MS, () => {
      const now = this.options.clock.now();
      for (const stop of this.stops.dueForRepeat(now)) this.transmit(stop);
      this.watchMainThread(dueMs, now);
      this.schedule();
    });
  }

  /** A main thread silent beyond the bound: the fleet is held, and the station told. */
  private watchMainThread(dueMs: number, nowMs: number): void {
    const silentMs = this.watchdog?.check(dueMs, nowMs) ?? null;
    if (silentMs === null) return;
    const stopId = this.fastStop(MAIN_THREAD_WATCHDOG_ACTOR);
    this.events?.mainThreadSilent?.(silentMs, stopId);
  }

  /**
   * A fleet stop goes out as one broadcast frame (every tractor hears it at once) until it has
   * released a machine: from then on only to each machine it still holds, so a repeat never
   * stops a released machine again. A tractor stop goes to its one machine.
   */
  private transmit(stop: ActiveStop): void {
    if (StopCoordinator.broadcastable(stop))
      this.options.port.broadcast({ kind: 'estop', stopId: stop.id });
    else
      for (const tractorId of stop.tractors.keys())
        this.options.port.send(tractorId, { kind: 'estop', stopId: stop.id });
  }
}
