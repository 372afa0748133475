/**
 * A station whose safety core runs in a process of its own (docs/architecture.md, "Two loops"):
 * the CAN bus, the station's ISOBUS node and fleet link, the SafetyCore and the simulated
 * tractors of `serve --sim N` run in that process; the Station (job, document, planning, records)
 * runs here and reaches the fleet only through the core. Used by `headland serve`.
 *
 * The simulated tractors here hold no replica of the job document: the fleet link's sync lane
 * lives with the link in the core's process and is not carried across to the document on this
 * one, so the station records their coverage from their telemetry.
 */
import type { Basemap } from '../../shared/index.js';
import { SOFTWARE_VERSION } from './app-paths.js';
import type { FieldPlanner, ValidField } from '../fleet/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../records/index.js';
import type { AuditLog, FleetKey } from '../safety/index.js';
import { startSafetyProcess, type SafetyProcess } from '../safety-process/index.js';
import { SIM_IMPLEMENT_WIDTH_M, SIM_PLAN_OPTIONS } from '../sim/index.js';
import { Station, type StartupAlert } from '../station/index.js';
import { startupAlertsWithOutbox } from './outbox-alert.js';
import type { Clock } from '../time/index.js';

/** How often the simulated tractors in the core's process learn the keep-out zones. */
const KEEP_OUT_PUSH_MS = 1_000;

export interface CoreProcessStationOptions {
  clock: Clock;
  field: ValidField;
  simCount: number;
  fleetKey: FleetKey;
  /** Folder of the station's persistent outbox (store-and-forward across restarts). */
  dataDir?: string;
  name?: string;
  store?: JobStore;
  syncDir?: string;
  basemap?: Basemap | null;
  audit?: AuditLog;
  history?: JobHistory;
  /** Lays out fields opened from a file (a thread of its own in the running station). */
  planner?: FieldPlanner;
  recorder?: StationRecorder;
  startupAlerts?: readonly StartupAlert[];
  /** Expose the core's CAN bus over socketcand on this address. */
  canServer?: { host: string; port: number };
  /** Record every frame on the bus to this file (.pcapng or .log), from the core's process. */
  capturePath?: string;
  /** Run the core's process under real-time scheduling where the system allows it. */
  realtimeCore?: boolean;
  log?: (line: string) => void;
}

export interface CoreProcessStation {
  station: Station;
  core: SafetyProcess;
  close(): Promise<void>;
}

export async function startCoreProcessStation(
  options: CoreProcessStationOptions,
): Promise<CoreProcessStation> {
  const { clock, field } = options;
  const log = options.log ?? (() => undefined);
  const boundary = field.geometry.boundary[0];
  const core = await startSafetyProcess({
    clock,
    log,
    setup: {
      fleetKeyHex: options.fleetKey.toHex(),
      outboxDir: options.dataDir ?? null,
      simCount: options.simCount,
      parking: boundary ?? [[field.origin.lon, field.origin.lat]],
      fence: boundary ?? null,
      implementWidthM: SIM_IMPLEMENT_WIDTH_M,
      canServer: options.canServer ?? null,
      capturePath: options.capturePath ?? null,
      realtime: options.realtimeCore ?? false,
    },
  });
  const startupAlerts = startupAlertsWithOutbox(options.startupAlerts, core.outboxProblem, log);
  let station: Station;
  try {
    station = new Station({
      core: core,
      clock,
      ...(options.audit ? { audit: options.audit } : {}),
      ...(options.history ? { history: options.history } : {}),
      ...(options.planner ? { planner: options.planner } : {}),
      ...(options.recorder ? { recorder: options.recorder } : {}),
      field,
      plan: SIM_PLAN_OPTIONS,
      ...(options.simCount > 0 ? { fleetSize: options.simCount } : {}),
      name: options.name ?? 'Headland station',
      softwareVersion: SOFTWARE_VERSION,
      basemap: options.basemap ?? null,
      linkStatus: () => core.linkStatus(),
      canAddress: core.canAddress,
      ...(options.store ? { store: options.store } : {}),
      ...(options.syncDir ? { syncDir: options.syncDir } : {}),
      startupAlerts,
      log,
    });
  } catch (error) {
    await core.stop();
    throw error;
  }
  const offFailure = core.onFailure((message) =>
    station.raiseAlert(
      'critical',
      'station',
      `${message}: the station's heartbeats and stops no longer go out, so every machine stops on its own; restart the station`,
    ),
  );
  let lastKeepOut = '';
  let cancelKeepOut = clock.setTimer(0, function push() {
    const rings = station.keepOutRings();
    const text = JSON.stringify(rings);
    if (text !== lastKeepOut) core.keepOut(rings);
    lastKeepOut = text;
    cancelKeepOut = clock.setTimer(KEEP_OUT_PUSH_MS, push);
  });
  return {
    station,
    core,
    async close() {
      cancelKeepOut();
      offFailure();
      station.close();
      await core.stop();
    },
  };
}
