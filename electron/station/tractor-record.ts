import {
  NO_CAPACITY,
  type AutonomyMode,
  type ImplementCapacity,
  type LonLat,
  type TractorState,
} from '../../shared/index.js';
import { COMM_LOST_MS, LINK_DEGRADED_MS } from '../link/index.js';
import type { TractorCapability } from '../fleet/index.js';

/** What the station knows about one tractor (telemetry is ephemeral, never persisted). */
export interface TractorRecord {
  id: string;
  name: string;
  implementWidthM: number;
  workSpeedMps: number;
  /** What its implement carries and spends (announced in its hello). */
  capacity: ImplementCapacity;
  reportedState: TractorState;
  mode: AutonomyMode;
  position: LonLat | null;
  headingDeg: number;
  speedMps: number;
  currentSectionId: string | null;
  lastHeardMs: number;
  /** When it joined (its hello), and when it first reported its state (null: joining). */
  joinedAtMs: number;
  firstReportMs: number | null;
  /** Its latest state report, and since when its reports have said 'done' without a break. */
  lastReportMs: number;
  doneSinceMs: number | null;
  commLost: boolean;
  /** Its work was moved to the others while it was out of contact. */
  replannedOut: boolean;
  /** When the station last released it (its 'stopped' reports may still be in flight). */
  releasedAtMs: number | null;
  /**
   * When the station sent a start this tractor may ignore because its release may still be in
   * flight (a start can overtake a release: they travel in different lanes, and a stopped
   * tractor ignores a start); the start is repeated once it reports itself paused, if soon.
   */
  startWhileStoppedMs: number | null;
  /** Since when it has reported itself stopped without naming a stop the station knows. */
  unexplainedStopSinceMs: number | null;
  /**
   * Its last report said it stands by a stop of its own (true) or by the station's only
   * (false); null where it does not say, and the station judges by time instead.
   */
  ownStop: boolean | null;
}

export { COMM_LOST_MS, LINK_DEGRADED_MS };
/**
 * A machine that has introduced itself but not yet reported its state is joining, not lost:
 * its first report can wait behind its address claim, the job's first assignments and its
 * replica's first sync. Past this it is shown COMM LOST like any silent machine.
 */
export const JOINING_REPORT_MS = 5_000;

export function newTractorRecord(
  id: string,
  hello: {
    name: string;
    implementWidthM: number;
    workSpeedMps: number;
    capacity?: ImplementCapacity | undefined;
  },
  nowMs: number,
): TractorRecord {
  return {
    id,
    name: hello.name,
    implementWidthM: hello.implementWidthM,
    workSpeedMps: hello.workSpeedMps,
    capacity: hello.capacity ?? NO_CAPACITY,
    reportedState: 'idle',
    mode: 'autonomous',
    position: null,
    headingDeg: 0,
    speedMps: 0,
    currentSectionId: null,
    lastHeardMs: nowMs,
    joinedAtMs: nowMs,
    firstReportMs: null,
    lastReportMs: nowMs,
    doneSinceMs: null,
    commLost: false,
    replannedOut: false,
    releasedAtMs: null,
    startWhileStoppedMs: null,
    unexplainedStopSinceMs: null,
    ownStop: null,
  };
}

/** Link quality of one tractor as measured by the fleet link. */
export interface TractorLinkStatus {
  id: string;
  rttMs: number | null;
  lossPct: number;
  /** Since the link last heard any valid frame from it (null: never). */
  lastHeardAgoMs?: number | null;
}

/**
 * How long a tractor has been silent: since its last message to the station, or since the
 * link last heard any frame of it (a lost telemetry half or a heartbeat), whichever is later.
 */
export function silenceOf(
  t: TractorRecord,
  nowMs: number,
  links: readonly TractorLinkStatus[],
): number {
  const sinceMessage = nowMs - t.lastHeardMs;
  const sinceFrame = links.find((l) => l.id === t.id)?.lastHeardAgoMs;
  return sinceFrame === undefined || sinceFrame === null
    ? sinceMessage
    : Math.min(sinceMessage, sinceFrame);
}

/**
 * What the station assumes of a tractor that does not say: a seed drill losing no time to what
 * the plan does not model. Published field efficiencies (ASABE D497.7: seed drills 55–80%) count
 * turns and transit, which the plan now times from the machine's turning radius and speeds; the
 * hello carries no refill or overlap figure to discount.
 */
const DEFAULT_FIELD_EFFICIENCY = 1;

/** The tractor as the planner sees it. */
export function capabilityOf(t: TractorRecord): TractorCapability {
  return {
    tractorId: t.id,
    implementType: 'seed-drill',
    workingWidthM: t.implementWidthM,
    workingSpeedMps: t.workSpeedMps,
    fieldEfficiency: DEFAULT_FIELD_EFFICIENCY,
    capacity: t.capacity,
  };
}
