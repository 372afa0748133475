/**
 * Composition root: builds a running station (core, fleet link, optional simulated fleet and
 * the HTTP/WebSocket face) from options. Used by `headland serve`, the Electron main process
 * and the end-to-end tests alike.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEMO_BASEMAP_DIR,
  DEMO_FIELD_PATH,
  RENDERER_DIST_DIR,
  SOFTWARE_VERSION,
} from './app-paths.js';
import { importFields, validateField, type ValidField } from './fleet/index.js';
import { createSimulatedStation } from './simulation.js';
import { AUDIT_LOG_FILE, AuditLog, loadOrCreateFleetKey } from './safety/index.js';
import { fleetLinkMetrics, type FleetTransport, type MetricSample } from './link/index.js';
import { SocketcandServer, openCaptureFile, type VirtualBus } from './can/index.js';
import {
  EXPORT_FORMATS,
  ExportError,
  JobHistory,
  JobRecorder,
  JobStore,
  RECORDINGS_DIR,
  exportDownload,
  isExportFormat,
} from './records/index.js';
import {
  AccessTokens,
  BASEMAP_URL_PATH,
  ExportRequestError,
  StationHttpServer,
  StationMetrics,
  describeBasemapDir,
  type RoleTokens,
  type UpgradeRoute,
} from './server/index.js';
import { HocuspocusMirror, createSyncEndpoint, hostJob, type HostedJob } from './sync/index.js';
import type { SimFleet, Scenario } from './sim/index.js';
import type { Station } from './station/index.js';
import { SystemClock, type Clock } from './time/index.js';

/**
 * How often the recorder is asked whether it wants the station's snapshot (after a command or
 * safety event, else once a second); as often as the station publishes to a UI.
 */
const RECORDER_CHECK_MS = 200;
/** How long serve waits for the simulated tractors to introduce themselves. */
const SIM_JOIN_TIMEOUT_MS = 5_000;

export interface StationRuntimeOptions {
  simCount: number;
  dataDir: string;
  fieldPath?: string;
  host: string;
  /** 0 picks a free port. Omit to run without HTTP (the Electron window uses IPC). */
  port?: number;
  name?: string;
  /** Start the job as soon as the simulated tractors have joined. */
  autoStart?: boolean;
  /** Folder of XYZ basemap tiles; the bundled demo basemap when omitted, none when null. */
  basemapDir?: string | null;
  /** Timed faults for the simulated tractors. */
  scenario?: Scenario;
  /** Expose the station's CAN bus over socketcand on this address (host:port). */
  canServer?: { host: string; port: number };
  /** Record every frame on the bus to this file (.pcapng or .log). */
  capturePath?: string;
  /** Mirror the job to this Hocuspocus server (the scale-out path for a farm office). */
  upstream?: { url: string; token?: string };
  /**
   * Role tokens (docs/roles.md) for the UI bridge at /api/ws and the job document at
   * /sync/<job-id> alike; generated when omitted.
   */
  tokens?: RoleTokens;
  /** Host the job's Yjs document at /sync/<job-id> (admin and operator write, viewer reads). */
  syncEndpoint?: boolean;
  clock?: Clock;
  log?: (line: string) => void;
}

export interface StationRuntime {
  station: Station;
  sim: SimFleet | null;
  transport: FleetTransport;
  http: StationHttpServer | null;
  port: number | null;
  /** The socketcand port when a CAN server was asked for. */
  canServerPort: number | null;
  /** The role tokens of the bridge and the sync endpoint (an admin may rotate them). */
  tokens: AccessTokens;
  close(): Promise<void>;
}

export async function startStationRuntime(options: StationRuntimeOptions): Promise<StationRuntime> {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? ((line: string) => console.error(line));
  const field = await loadField(options.fieldPath ?? DEMO_FIELD_PATH);
  const basemapDir = options.basemapDir === undefined ? DEMO_BASEMAP_DIR : options.basemapDir;
  // Served over HTTP in headless mode; read straight from disk by the Electron window.
  const tileTemplate =
    options.port === undefined
      ? `${pathToFileURL(basemapDir ?? '').href}/{z}/{x}/{y}.png`
      : `${BASEMAP_URL_PATH.slice(1)}{z}/{x}/{y}.png`;
  const fleetKey = loadOrCreateFleetKey(options.dataDir);
  if (fleetKey.created)
    log(`station: new fleet key written to ${fleetKey.file} (pair tractors with it)`);
  const history = new JobHistory(options.dataDir, clock.wallNow());
  if (history.problem) log(`station: ${history.problem}`);
  const audit = AuditLog.open(join(options.dataDir, AUDIT_LOG_FILE), () => clock.wallNow());
  if (audit.problem) log(`station: ${audit.problem}`);
  // Every job is recorded for `headland replay` (docs/records.md, "Recording and replay").
  const recorder = new JobRecorder({
    dir: join(options.dataDir, RECORDINGS_DIR),
    clock,
    station: options.name ?? 'Headland station',
  });
  const simulated = createSimulatedStation({
    clock,
    field,
    fleetKey: fleetKey.key,
    audit: audit.log,
    history,
    recorder,
    simCount: options.simCount,
    link: 'can',
    dataDir: options.dataDir,
    store: new JobStore(options.dataDir),
    syncDir: options.dataDir,
    basemap: basemapDir ? describeBasemapDir(basemapDir, tileTemplate) : null,
    log,
    ...(options.name ? { name: options.name } : {}),
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  const { station, sim, transport, canBus, fleet } = simulated;
  const closers: (() => Promise<void>)[] = [];
  // The plan, the station's view and the worked ground come from the station's snapshot when
  // the recorder wants one (a subscription would make a station with no UI build one every
  // 200 ms).
  let cancelRecording = clock.setTimer(RECORDER_CHECK_MS, function check() {
    if (recorder.snapshotDue()) recorder.snapshot(station.snapshot());
    cancelRecording = clock.setTimer(RECORDER_CHECK_MS, check);
  });
  closers.push(() => {
    cancelRecording();
    recorder.close();
    return Promise.resolve();
  });
  if (canBus && options.capturePath) {
    const sink = openCaptureFile(options.capturePath);
    const off = canBus.onWire((frame) => sink.frame(frame));
    closers.push(async () => {
      off();
      await sink.close();
    });
  }
  let canServerPort: number | null = null;
  let canServer: SocketcandServer | null = null;
  if (canBus && options.canServer) {
    const server = new SocketcandServer({ medium: canBus, bus: 'can0', clock, log });
    canServer = server;
    canServerPort = await server.listen(options.canServer.port, options.canServer.host);
    closers.push(() => server.close());
  }
  if (sim) {
    await withTimeout(
      station.whenTractors(options.simCount),
      SIM_JOIN_TIMEOUT_MS,
      'simulated tractors did not join',
    );
    // Only a job this start created starts by itself; a job read back after a restart (even
    // one only opened, never started) waits for the operator.
    if ((options.autoStart ?? true) && !station.jobReadBack && station.jobState() === 'planned') {
      const started = station.command({ type: 'startJob' }, 'station');
      if (!started.ok) log(`station: job not started: ${started.error.message}`);
    }
  }
  const metrics = new StationMetrics({
    tractors: () => station.tractorCount(),
    stopsActive: () => station.activeStopCount(),
    fleetMessages: () => transport.deliveredCount(),
    ...(fleet ? { canAddress: () => fleet.stationNode.address ?? null } : {}),
    extra: () => [
      ...(fleet ? fleetLinkMetrics(fleet.station) : []),
      ...(canBus ? canBusMetrics(canBus) : []),
      ...(canServer ? socketcandMetrics(canServer) : []),
    ],
  });
  const upgradeRoutes: UpgradeRoute[] = [];
  // The job can change (a field opened between jobs): host whichever document is current.
  let hosted: { doc: unknown; job: HostedJob } | null = null;
  const currentJob = (id: string): HostedJob | undefined => {
    const doc = station.jobDocument();
    if (!doc || id !== station.jobId) return undefined;
    if (hosted?.doc !== doc) {
      hosted?.job.destroy();
      hosted = { doc, job: hostJob(id, doc.doc, clock, { log: (line) => log(line) }) };
    }
    return hosted.job;
  };
  closers.push(() => {
    hosted?.job.destroy();
    return Promise.resolve();
  });
  const tokens = options.tokens ? new AccessTokens(options.tokens) : AccessTokens.generate();
  if (options.syncEndpoint) {
    const endpoint = createSyncEndpoint({
      // Read at every connection, so a rotated token stops opening the document at once.
      tokens: (token) => tokens.syncRoleOf(token),
      getJob: currentJob,
      clock,
      log: (line) => log(line),
    });
    upgradeRoutes.push((req, socket, head) => endpoint.handleUpgrade(req, socket, head));
    closers.unshift(() => endpoint.close());
  }
  if (options.upstream) {
    const upstream = options.upstream;
    let mirror: { jobId: string; mirror: HocuspocusMirror } | null = null;
    // Mirrors the current job; a new job (field opened) is mirrored under its own name.
    const follow = (): void => {
      const job = currentJob(station.jobId);
      if (!job || mirror?.jobId === station.jobId) return;
      mirror?.mirror.destroy();
      mirror = {
        jobId: station.jobId,
        mirror: new HocuspocusMirror({
          url: upstream.url,
          name: station.jobId,
          doc: job.doc,
          gate: job.gate,
          ...(upstream.token ? { token: upstream.token } : {}),
        }),
      };
      log(`sync: mirroring job ${station.jobId} to ${upstream.url}`);
    };
    follow();
    const unsubscribe = station.subscribe(() => follow());
    closers.unshift(() => {
      unsubscribe();
      mirror?.mirror.destroy();
      return Promise.resolve();
    });
  }
  let http: StationHttpServer | null = null;
  let port: number | null = null;
  if (options.port !== undefined) {
    http = new StationHttpServer({
      upgradeRoutes,
      station,
      metrics,
      tokens,
      log,
      clock,
      staticDir: RENDERER_DIST_DIR,
      basemapDir,
      softwareVersion: SOFTWARE_VERSION,
      exportJob: async (jobId, format) => {
        // Every export is a line in the event log, as a command would be.
        try {
          const file = await exportForDownload(options.dataDir, jobId, format);
          station.noteEvent(
            'export',
            'info',
            'a station page',
            `exported ${file.fileName} (${format})`,
          );
          return file;
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          station.noteEvent(
            'export',
            'warning',
            'a station page',
            `export of ${jobId} as ${format} failed: ${why}`,
          );
          throw error;
        }
      },
    });
    port = await http.listen(options.port, options.host);
  }
  return {
    station,
    sim,
    transport,
    http,
    port,
    canServerPort,
    tokens,
    async close() {
      for (const close of closers) await close();
      simulated.close();
      await http?.close();
    },
  };
}

/** Bus load and frame counts of the virtual CAN bus, for /metrics. */
function canBusMetrics(bus: VirtualBus): MetricSample[] {
  const stats = bus.stats();
  return [
    {
      name: 'headland_can_bus_load_ratio',
      help: 'Share of the last second the CAN bus was busy',
      type: 'gauge',
      labels: { bus: 'can0' },
      value: bus.busLoad(1_000),
    },
    {
      name: 'headland_can_frames_total',
      help: 'Frames carried by the CAN bus',
      type: 'counter',
      labels: { bus: 'can0' },
      value: stats.framesTransmitted,
    },
  ];
}

/** The socketcand server's clients and what it refused, for /metrics. */
function socketcandMetrics(server: SocketcandServer): MetricSample[] {
  const stats = server.stats();
  return [
    {
      name: 'headland_socketcand_clients',
      help: 'socketcand clients connected to the CAN server',
      type: 'gauge',
      labels: { bus: 'can0' },
      value: stats.clients,
    },
    ...Object.entries(stats.refused).map(([reason, value]): MetricSample => ({
      name: 'headland_socketcand_refused_total',
      help: 'Frames (or connections) the socketcand server did not take, by reason',
      type: 'counter',
      labels: { bus: 'can0', reason },
      value,
    })),
  ];
}

export class FieldFileError extends Error {
  override readonly name = 'FieldFileError';
}

/** Reads the first field of a boundary file (GeoJSON, KML, zipped shapefile, ISOXML). */
export async function loadField(path: string): Promise<ValidField> {
  const imported = await importFields(path);
  if (!imported.ok) throw new FieldFileError(`${path}: ${imported.error.message}`);
  const first = imported.value.fields[0];
  if (!first) throw new FieldFileError(`${path}: no field in the file`);
  const valid = validateField(first.geometry);
  if (!valid.ok) throw new FieldFileError(`${path}: ${valid.error.message}`);
  return valid.value;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** A job of the data folder as one file for the UI's download; bad requests name the problem. */
async function exportForDownload(dataDir: string, jobId: string, format: string) {
  if (!isExportFormat(format))
    throw new ExportRequestError(400, `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  try {
    return await exportDownload(dataDir, jobId, format, SOFTWARE_VERSION);
  } catch (error) {
    if (error instanceof ExportError)
      throw new ExportRequestError(error.problem === 'not-found' ? 404 : 500, error.message);
    throw error;
  }
}
