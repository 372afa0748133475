import type { StationToTractor, TractorToStation } from './fleet-messages.js';

/** The station's view of the fleet link: send to one tractor or all, hear every tractor. */
export interface StationPort {
  send(to: string, message: StationToTractor): void;
  broadcast(message: StationToTractor): void;
  /**
   * Takes back the starts sent to a tractor that it has not yet received: a stop makes them
   * moot, and one that arrived after the stop's release would set the machine moving by itself.
   */
  withdrawStarts(to: string): void;
  onMessage(handler: (from: string, message: TractorToStation) => void): () => void;
}

/** A tractor's view of the fleet link: talk to the station, hear the station. */
export interface TractorPort {
  readonly address: string;
  /**
   * The id the station knows this machine by, when it differs from `address`: a machine the
   * station has not paired is named by its ISO NAME (`name:<hex>`). A release is authenticated
   * for this id, so both ends must agree on it.
   */
  readonly stationSideId?: string;
  send(message: TractorToStation): void;
  onMessage(handler: (message: StationToTractor) => void): () => void;
}

/** What both LocalFleetBus and the ISOBUS VirtualFleet offer the composition root and the simulator. */
export interface FleetTransport {
  stationPort(): StationPort;
  tractorPort(address: string): TractorPort;
  /** Cuts a tractor off (both directions) or reconnects it. */
  setConnected(address: string, connected: boolean): void;
  /** Messages delivered to applications so far (both directions). */
  deliveredCount(): number;
}
