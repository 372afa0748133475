import type { StationToTractor, TractorToStation } from './fleet-messages.js';

/** The station's view of the fleet link: send to one tractor or all, hear every tractor. */
export interface StationPort {
  send(to: string, message: StationToTractor): void;
  broadcast(message: StationToTractor): void;
  onMessage(handler: (from: string, message: TractorToStation) => void): () => void;
}

/** A tractor's view of the fleet link: talk to the station, hear the station. */
export interface TractorPort {
  readonly address: string;
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
