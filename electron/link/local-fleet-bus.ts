/**
 * An in-process fleet link for the foundation slice: messages are delivered asynchronously
 * (through the injected clock) after a fixed latency, never synchronously inside `send`, so
 * code written against it behaves as it will over the real link. A tractor can be cut off to
 * simulate a lost radio.
 */
import type { Clock } from '../time/index.js';
import { STATION_HEARTBEAT_MS } from './fleet-link-config.js';
import type { FleetTransport, StationPort, TractorPort } from './fleet-port.js';
import type { StationToTractor, TractorToStation } from './fleet-messages.js';

export interface LocalFleetBusOptions {
  clock: Clock;
  /** One-way delivery delay in ms. */
  latencyMs?: number;
}

/** The station heartbeat period, as on the fleet link (docs/fleet-protocol.md §4.1). */
const LOCAL_HEARTBEAT_MS = STATION_HEARTBEAT_MS;

type StationHandler = (from: string, message: TractorToStation) => void;
type TractorHandler = (message: StationToTractor) => void;

export class LocalFleetBus implements FleetTransport {
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly stationHandlers = new Set<StationHandler>();
  private readonly tractorHandlers = new Map<string, Set<TractorHandler>>();
  private readonly cutOff = new Set<string>();
  private delivered = 0;
  private heartbeatSeq = 0;
  private stopHeartbeats: (() => void) | null = null;

  constructor(options: LocalFleetBusOptions) {
    this.clock = options.clock;
    this.latencyMs = options.latencyMs ?? 1;
  }

  /**
   * The station's port. Like the real link, the bus then carries the station's heartbeat to
   * every connected tractor every LOCAL_HEARTBEAT_MS (docs/fleet-protocol.md §4.1).
   */
  stationPort(): StationPort {
    if (!this.stopHeartbeats) this.startHeartbeats();
    return {
      send: (to, message) => this.toTractor(to, message),
      broadcast: (message) => {
        for (const address of this.tractorHandlers.keys()) this.toTractor(address, message);
      },
      // Every message arrives in order after the same latency: a start sent before a stop
      // always arrives before it, so there is nothing in flight to take back.
      withdrawStarts: () => undefined,
      onMessage: (handler) => {
        this.stationHandlers.add(handler);
        return () => this.stationHandlers.delete(handler);
      },
    };
  }

  tractorPort(address: string): TractorPort {
    if (!this.tractorHandlers.has(address)) this.tractorHandlers.set(address, new Set());
    return {
      address,
      send: (message) => this.toStation(address, message),
      onMessage: (handler) => {
        const handlers = this.tractorHandlers.get(address);
        handlers?.add(handler);
        return () => handlers?.delete(handler);
      },
    };
  }

  /**
   * Stops the station's heartbeat (its process is gone); a later stationPort() — a restarted
   * station — starts it again.
   */
  close(): void {
    this.stopHeartbeats?.();
    this.stopHeartbeats = null;
  }

  private startHeartbeats(): void {
    let cancel = (): void => undefined;
    let stopped = false;
    const beat = (): void => {
      if (stopped) return;
      const seq = (this.heartbeatSeq = (this.heartbeatSeq + 1) & 0xff);
      for (const address of this.tractorHandlers.keys())
        this.toTractor(address, { kind: 'heartbeat', seq });
      cancel = this.clock.setTimer(LOCAL_HEARTBEAT_MS, beat);
    };
    cancel = this.clock.setTimer(LOCAL_HEARTBEAT_MS, beat);
    this.stopHeartbeats = () => {
      stopped = true;
      cancel();
    };
  }

  /** Cuts a tractor off (both directions) or reconnects it. */
  setConnected(address: string, connected: boolean): void {
    if (connected) this.cutOff.delete(address);
    else this.cutOff.add(address);
  }

  /** Messages delivered so far (both directions). */
  deliveredCount(): number {
    return this.delivered;
  }

  private toTractor(address: string, message: StationToTractor): void {
    if (this.cutOff.has(address)) return;
    this.clock.setTimer(this.latencyMs, () => {
      if (this.cutOff.has(address)) return;
      const handlers = this.tractorHandlers.get(address);
      if (!handlers) return;
      this.delivered++;
      for (const handler of handlers) handler(message);
    });
  }

  private toStation(from: string, message: TractorToStation): void {
    if (this.cutOff.has(from)) return;
    this.clock.setTimer(this.latencyMs, () => {
      if (this.cutOff.has(from)) return;
      this.delivered++;
      for (const handler of this.stationHandlers) handler(from, message);
    });
  }
}
