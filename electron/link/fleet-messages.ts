/**
 * The application messages that travel between the station and tractors. The foundation slice
 * carries them on an in-process bus (local-fleet-bus.ts); the fleet-link issue carries the same
 * messages on proprietary ISOBUS PGNs. Positions are WGS84 on the wire; each node keeps its own
 * local metric frame.
 */
import type { AutonomyMode, LonLat, TractorState } from '../../shared/index.js';

/** A strip of work as a tractor receives it: drive from `start` to `end`. */
export interface AssignedSection {
  id: string;
  start: LonLat;
  end: LonLat;
  widthM: number;
  /** Already-worked intervals along the centre line, metres from `start`. */
  done: [number, number][];
}

export type StationToTractor =
  | { kind: 'assign'; sections: AssignedSection[] }
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'estop'; stopId: string }
  | { kind: 'release'; stopId: string }
  | { kind: 'heartbeat'; seq: number };

export interface CoverageSegment {
  sectionId: string;
  /** Worked interval along the section's centre line, metres from its start. */
  fromM: number;
  toM: number;
}

export type TractorToStation =
  | { kind: 'hello'; name: string; implementWidthM: number; workSpeedMps: number }
  | {
      kind: 'telemetry';
      position: LonLat;
      headingDeg: number;
      speedMps: number;
      state: TractorState;
      mode: AutonomyMode;
      currentSectionId: string | null;
      coverage: CoverageSegment | null;
    }
  | { kind: 'stop-confirm'; stopId: string };

/** The station's address on the fleet bus. */
export const STATION_ADDRESS = 'station';
/** Destination that reaches every tractor. */
export const BROADCAST = '*';
