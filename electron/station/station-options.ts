/**
 * What a Station is built from: its clock, field and planning options, its safety core (a
 * worker's, or one made on the station's end of the fleet link), and the stores, logs and feeds
 * the composition hands it (job record, history, audit log, recording, CAN address, what the
 * data folder found damaged at start).
 */
import type { AlertSnapshot, Basemap, LonLat } from '../../shared/index.js';
import type { FieldPlanner, Operation, PlanOptions, ValidField } from '../fleet/index.js';
import type { StationPort } from '../link/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../records/index.js';
import type { AuditLog, FleetKey } from '../safety/index.js';
import type { SafetyCorePort } from '../safety-core/index.js';
import type { Clock } from '../time/index.js';
import type { CanAddressFeed } from './can-address.js';
import type { TractorLinkStatus } from './tractor-record.js';

/**
 * The station's safety core: a worker's, or one made here in this thread on the station's end
 * of the fleet link and the fleet key (releases are authenticated under it).
 */
export type StationCore = { core: SafetyCorePort } | { port: StationPort; fleetKey: FleetKey };

export type StationOptions = StationBaseOptions & StationCore;

export interface StationBaseOptions {
  clock: Clock;
  field: ValidField;
  /** Planning options (swath width, headland passes, section length, work direction). */
  plan: Partial<PlanOptions>;
  /** The fleet the station runs, when it knows it: sets the section length `plan` leaves open. */
  fleetSize?: number;
  operation?: Operation;
  /** Where the machines refill their tanks or hoppers (WGS84, on or near the field's edge). */
  refillPoint?: LonLat;
  name: string;
  softwareVersion: string;
  store?: JobStore;
  /**
   * Folder for the job's shared document (electron/sync): sections, assignments, coverage,
   * e-stops and alerts are written there and read back on restart.
   */
  syncDir?: string;
  /** Link quality per tractor as the fleet link measures it (absent for in-process links). */
  linkStatus?: () => readonly TractorLinkStatus[];
  /** Offline basemap the UI should draw, if any. */
  basemap?: Basemap | null;
  /** Tamper-evident log every safety event is written to (electron/safety/audit-log.ts). */
  audit?: AuditLog;
  /** The job history the operator browses and reopens jobs from (with a sync folder). */
  history?: JobHistory;
  /** The job's recording (electron/records): telemetry, commands and safety events. */
  recorder?: StationRecorder;
  /** The station's own CAN address (absent when the fleet link is not on CAN). */
  canAddress?: CanAddressFeed;
  /**
   * What opening the data folder found damaged and did about it (a file kept aside, what was
   * lost): raised as alerts once the job is back, so damage is never only a line on stderr.
   */
  startupAlerts?: readonly StartupAlert[];
  /** Reads and lays out fields opened from a file and edited boundaries; on this thread when absent. */
  planner?: FieldPlanner;
  log?: (line: string) => void;
}

export interface StartupAlert {
  severity: AlertSnapshot['severity'];
  source: string;
  message: string;
  /** The damage leaves the station in doubt about stops or commands: hold every machine. */
  hold?: boolean;
}
