/**
 * A station with simulated tractors: the part of the composition shared by `headland serve
 * --sim N`, `headland sim --scenario` (on a manual clock) and tests. The fleet link is either
 * the real one — every machine an ISOBUS node on a 250 kbit/s virtual CAN bus, joined by the
 * fleet protocol — or the in-process bus, which unit tests use for speed.
 */
import { join } from 'node:path';
import type { Basemap, ImplementCapacity, LonLat } from '../../shared/index.js';
import { SOFTWARE_VERSION } from './app-paths.js';
import { VirtualBus } from '../can/index.js';
import type { FieldPlanner, ValidField } from '../fleet/index.js';
import {
  FileOutboxStore,
  LocalFleetBus,
  createVirtualFleet,
  type FleetTransport,
  type VirtualFleet,
} from '../link/index.js';
import { canAddressFeed } from '../isobus/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../records/index.js';
import { FleetKey, type AuditLog } from '../safety/index.js';
import {
  ReplicaTransport,
  SIM_IMPLEMENT_WIDTH_M,
  SIM_HOPPER,
  SIM_PLAN_OPTIONS,
  SimFleet,
  edgeRefillPoint,
  plannedShareReader,
  runScenario,
  type Scenario,
} from '../sim/index.js';
import { ReplicaHub, Station, type StartupAlert } from '../station/index.js';
import { startupAlertsWithOutbox } from './outbox-alert.js';
import type { Clock } from '../time/index.js';

/** ISO 11783-2: the implement bus runs at 250 kbit/s. */
const ISOBUS_BITRATE = 250_000;

export type FleetLinkKind = 'can' | 'local';

export interface SimulatedStationOptions {
  clock: Clock;
  field: ValidField;
  simCount: number;
  /** 'can' (default): real fleet link on a virtual CAN bus; 'local': in-process messages. */
  link?: FleetLinkKind;
  /** Folder for the station's persistent outbox (store-and-forward across restarts). */
  dataDir?: string;
  name?: string;
  store?: JobStore;
  /** Folder for the job's shared Yjs document (SQLite update log). */
  syncDir?: string;
  basemap?: Basemap | null;
  scenario?: Scenario;
  /** The job's refill point and the simulated machines' tank or hopper. */
  refill?: { point: LonLat; capacity: ImplementCapacity };
  /** The fleet's pairing key; a fresh one when omitted (the simulated tractors get the same). */
  fleetKey?: FleetKey;
  /** The safety audit log the station writes to. */
  audit?: AuditLog;
  /** The job history (browse, reopen, delete). */
  history?: JobHistory;
  /** Lays out fields opened from a file (a thread of its own in the running station). */
  planner?: FieldPlanner;
  /** The job's recording (telemetry, commands, safety events). */
  recorder?: StationRecorder;
  /** Damage the data folder's files showed on opening, for the station to raise. */
  startupAlerts?: readonly StartupAlert[];
  log?: (line: string) => void;
}

export interface SimulatedStation {
  station: Station;
  sim: SimFleet | null;
  transport: FleetTransport;
  /** The virtual CAN bus when the link is 'can' (for captures and the socketcand server). */
  canBus: VirtualBus | null;
  fleet: VirtualFleet | null;
  /** The station's end of the tractors' job-document replicas (CAN link with a sync folder). */
  replicaHub: ReplicaHub | null;
  /** The simulated tractors' replicas, by tractor id. */
  replicas: ReplicaTransport | null;
  fleetKey: FleetKey;
  close(): void;
}

export function createSimulatedStation(options: SimulatedStationOptions): SimulatedStation {
  const { clock, field } = options;
  const log = options.log ?? (() => undefined);
  const canBus =
    options.link === 'local'
      ? null
      : new VirtualBus({ clock, name: 'can0', bitrate: ISOBUS_BITRATE, seed: 1 });
  const outbox =
    canBus && options.dataDir
      ? new FileOutboxStore(join(options.dataDir, 'link'), { wallNow: () => clock.wallNow() })
      : null;
  const fleet = canBus
    ? createVirtualFleet({
        clock,
        bus: canBus,
        ...(outbox ? { stationStore: outbox } : {}),
        onError: (error) => log(`link: ${error instanceof Error ? error.message : String(error)}`),
      })
    : null;
  const startupAlerts = startupAlertsWithOutbox(options.startupAlerts, outbox?.problem, log);
  const localBus = fleet ? null : new LocalFleetBus({ clock });
  const transport: FleetTransport = fleet ?? localBus ?? new LocalFleetBus({ clock });
  // On the real fleet link every simulated tractor holds a replica of the job document.
  const replicas =
    fleet && options.syncDir
      ? new ReplicaTransport({
          transport: fleet,
          linkOf: (id) => fleet.tractor(id).link,
          clock,
          log,
        })
      : null;
  let replicaHub: ReplicaHub | null = null;
  const fleetKey = options.fleetKey ?? FleetKey.generate();
  const refill =
    options.refill ??
    (options.scenario?.refill
      ? {
          point: options.scenario.refill.point ?? edgeRefillPoint(field),
          capacity: options.scenario.refill.capacity ?? SIM_HOPPER,
        }
      : undefined);
  const station = new Station({
    clock,
    fleetKey,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.history ? { history: options.history } : {}),
    ...(options.planner ? { planner: options.planner } : {}),
    ...(options.recorder ? { recorder: options.recorder } : {}),
    port: transport.stationPort(),
    field,
    plan: SIM_PLAN_OPTIONS,
    ...(refill ? { refillPoint: refill.point } : {}),
    ...(options.simCount > 0 ? { fleetSize: options.simCount } : {}),
    name: options.name ?? 'Headland station',
    softwareVersion: SOFTWARE_VERSION,
    basemap: options.basemap ?? null,
    ...(fleet ? { linkStatus: () => fleet.linkStatus() } : {}),
    ...(fleet ? { canAddress: canAddressFeed(fleet.stationNode) } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.syncDir ? { syncDir: options.syncDir } : {}),
    startupAlerts,
    log,
  });
  if (fleet && replicas)
    replicaHub = new ReplicaHub({
      link: fleet.station,
      job: () => station.jobDocument(),
      clock,
      log,
    });
  const sim =
    options.simCount > 0
      ? new SimFleet({
          clock,
          bus: replicas ?? transport,
          count: options.simCount,
          parking: field.geometry.boundary[0] ?? [[field.origin.lon, field.origin.lat]],
          ...(field.geometry.boundary[0] ? { fence: field.geometry.boundary[0] } : {}),
          implementWidthM: SIM_IMPLEMENT_WIDTH_M,
          ...(refill
            ? {
                capacity: refill.capacity,
                // The machines go when the station's plan has them go (in-process: no fleet-link
                // message carries the plan's trips yet).
                refill: {
                  point: refill.point,
                  plannedShare: plannedShareReader(() => station.refillPlan()),
                },
              }
            : {}),
          fleetKey,
          keepOut: () => station.keepOutRings(),
        })
      : null;
  const cancelScenario =
    sim && options.scenario
      ? runScenario(options.scenario, sim, clock, (command) => station.command(command, 'scenario'))
      : null;
  return {
    station,
    sim,
    transport,
    canBus,
    fleet,
    fleetKey,
    replicaHub,
    replicas,
    close() {
      cancelScenario?.();
      sim?.close();
      replicas?.close();
      replicaHub?.close();
      station.close();
      fleet?.close();
      localBus?.close();
    },
  };
}
