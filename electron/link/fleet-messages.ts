/**
 * The application messages that travel between the station and tractors. The foundation slice
 * carries them on an in-process bus (local-fleet-bus.ts); the fleet-link issue carries the same
 * messages on proprietary ISOBUS PGNs. Positions are WGS84 on the wire; each node keeps its own
 * local metric frame.
 */
import type {
  AutonomyMode,
  ImplementCapacity,
  LonLat,
  Severity,
  TractorState,
} from '../../shared/index.js';

/** A strip of work as a tractor receives it: drive from `start` to `end`. */
export interface AssignedSection {
  id: string;
  start: LonLat;
  end: LonLat;
  widthM: number;
  /** Already-worked intervals along the centre line, metres from `start`. */
  done: [number, number][];
}

/**
 * What makes a release authentic (electron/safety/release-auth.ts): a counter that only grows,
 * and a MAC under the fleet key over the tractor, the stop and the counter.
 */
export interface ReleaseAuth {
  counter: number;
  mac: Uint8Array;
}

export type StationToTractor =
  | { kind: 'assign'; sections: AssignedSection[] }
  | { kind: 'start' }
  | { kind: 'pause' }
  | { kind: 'estop'; stopId: string }
  | { kind: 'release'; stopId: string; auth: ReleaseAuth }
  | { kind: 'heartbeat'; seq: number }
  /** Autonomy-mode handshake, step 1: may the tractor switch? */
  | { kind: 'mode-request'; requestId: number; mode: AutonomyMode }
  /** Step 3: switch now (commit) or forget the request (abort). */
  | { kind: 'mode-commit'; requestId: number; commit: boolean }
  /** A zone or separation hold: drive no faster than this; null lifts the limit. */
  | { kind: 'speed-limit'; maxMps: number | null };

/** Why a tractor refused a release. */
export type ReleaseRefusal = 'bad-mac' | 'replayed' | 'not-held';

export interface CoverageSegment {
  sectionId: string;
  /** Worked interval along the section's centre line, metres from its start. */
  fromM: number;
  toM: number;
}

export type TractorToStation =
  | {
      kind: 'hello';
      name: string;
      implementWidthM: number;
      workSpeedMps: number;
      /** Tank or hopper; absent (older machines) means nothing that runs out. */
      capacity?: ImplementCapacity | undefined;
    }
  | {
      kind: 'telemetry';
      position: LonLat;
      headingDeg: number;
      speedMps: number;
      state: TractorState;
      mode: AutonomyMode;
      currentSectionId: string | null;
      coverage: CoverageSegment | null;
      /**
       * Stopped by its own watchdog or a fault (true), by the station's stops only (false);
       * absent where the machine does not say.
       */
      ownStop?: boolean | undefined;
    }
  /**
   * Work done, on its own: a machine that was out of contact forwards what it worked meanwhile
   * after it is heard again, so this says nothing of where it is or what holds it now.
   */
  | { kind: 'progress'; currentSectionId: string | null; coverage: CoverageSegment }
  | { kind: 'stop-confirm'; stopId: string }
  /** Step 2 of the mode handshake. */
  | { kind: 'mode-reply'; requestId: number; accepted: boolean; reason: string }
  | { kind: 'release-refused'; stopId: string; reason: ReleaseRefusal }
  /** An alert raised on the tractor; the station replicates it to every node. */
  | { kind: 'alert'; severity: Severity; message: string };

/** The station's address on the fleet bus. */
export const STATION_ADDRESS = 'station';
