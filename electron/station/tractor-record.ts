import type { AutonomyMode, LonLat, TractorState } from '../../shared/index.js';
import type { TractorCapability } from '../fleet/index.js';

/** What the station knows about one tractor (telemetry is ephemeral, never persisted). */
export interface TractorRecord {
  id: string;
  name: string;
  implementWidthM: number;
  workSpeedMps: number;
  reportedState: TractorState;
  mode: AutonomyMode;
  position: LonLat | null;
  headingDeg: number;
  speedMps: number;
  currentSectionId: string | null;
  lastHeardMs: number;
  commLost: boolean;
  /** Its work was moved to the others while it was out of contact. */
  replannedOut: boolean;
  /** When the station last released it (its 'stopped' reports may still be in flight). */
  releasedAtMs: number | null;
}

/** Silence after which the link to a tractor is shown degraded. */
export const LINK_DEGRADED_MS = 400;
/** Silence after which a tractor is shown COMM LOST (the slice's telemetry runs at 5 Hz). */
export const COMM_LOST_MS = 1_000;

export function newTractorRecord(
  id: string,
  hello: { name: string; implementWidthM: number; workSpeedMps: number },
  nowMs: number,
): TractorRecord {
  return {
    id,
    name: hello.name,
    implementWidthM: hello.implementWidthM,
    workSpeedMps: hello.workSpeedMps,
    reportedState: 'idle',
    mode: 'autonomous',
    position: null,
    headingDeg: 0,
    speedMps: 0,
    currentSectionId: null,
    lastHeardMs: nowMs,
    commLost: false,
    replannedOut: false,
    releasedAtMs: null,
  };
}

/** Link quality of one tractor as measured by the fleet link. */
export interface TractorLinkStatus {
  id: string;
  rttMs: number | null;
  lossPct: number;
}

/** What the station assumes of a tractor that does not say: a seed drill at 85% field efficiency. */
const DEFAULT_FIELD_EFFICIENCY = 0.85;

/** The tractor as the planner sees it. */
export function capabilityOf(t: TractorRecord): TractorCapability {
  return {
    tractorId: t.id,
    implementType: 'seed-drill',
    workingWidthM: t.implementWidthM,
    workingSpeedMps: t.workSpeedMps,
    fieldEfficiency: DEFAULT_FIELD_EFFICIENCY,
  };
}
