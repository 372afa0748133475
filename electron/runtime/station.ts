/**
 * Composition root: builds a running station (core, fleet link, optional simulated fleet and
 * the HTTP/WebSocket face) from options. Used by `headland serve`, the Electron main process
 * and the end-to-end tests alike.
 */
import { pathToFileURL } from 'node:url';
import {
  DEMO_BASEMAP_DIR,
  DEMO_FIELD_PATH,
  RENDERER_DIST_DIR,
  SOFTWARE_VERSION,
} from './app-paths.js';
import {
  importFields,
  ThreadedFieldPlanner,
  validateField,
  type ValidField,
} from '../fleet/index.js';
import { openDataFolder } from './data-folder.js';
import { createSimulatedStation } from './simulation.js';
import { startCoreProcessStation } from './core-process-station.js';
import { canBusMetrics, socketcandMetrics, type SafetyProcess } from '../safety-process/index.js';
import { fleetLinkMetrics, type FleetTransport, type MetricSample } from '../link/index.js';
import { SocketcandServer, openCaptureFile } from '../can/index.js';
import { EXPORT_FORMATS, ExportError, ExportThread, isExportFormat } from '../records/index.js';
import {
  AccessTokens,
  keptTokens,
  BASEMAP_URL_PATH,
  ExportRequestError,
  StationHttpServer,
  StationMetrics,
  describeBasemapDir,
  type RoleTokens,
  type UpgradeRoute,
} from '../server/index.js';
import { HocuspocusMirror, createSyncEndpoint, hostJob, type HostedJob } from '../sync/index.js';
import { officeDocumentName } from '../office/index.js';
import type { SimFleet, Scenario } from '../sim/index.js';
import type { Station } from '../station/index.js';
import { SystemClock, type Clock } from '../time/index.js';

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
  upstream?: Upstream;
  /**
   * Role tokens (docs/roles.md) for the UI bridge at /api/ws and the job document at
   * /sync/<job-id> alike; a role not given takes the token kept in the data folder
   * (`tokens.json`, made at the first start, renewed only by an admin's rotation).
   */
  tokens?: Partial<RoleTokens>;
  /** Host the job's Yjs document at /sync/<job-id> (admin and operator write, viewer reads). */
  syncEndpoint?: boolean;
  /**
   * Run the safety core (CAN bus, fleet link, heartbeats, stops, and the simulated tractors) in
   * a process of its own, so no work of the station's can delay a heartbeat or a stop
   * (docs/safety.md, "The safety core"). A scenario runs in this process: its faults act on the
   * simulated tractors directly.
   */
  coreProcess?: boolean;
  /** The core's process asks for real-time scheduling (safety-process/realtime.ts). */
  realtimeCore?: boolean;
  /** Host names the HTTP face serves besides IP literals and localhost (request-guard.ts). */
  allowedHosts?: readonly string[];
  /** Page origins allowed to use the HTTP face besides its own. */
  allowedOrigins?: readonly string[];
  clock?: Clock;
  log?: (line: string) => void;
}

export interface StationRuntime {
  station: Station;
  /** The simulated tractors when they share this process (null in the safety core's own). */
  sim: SimFleet | null;
  /** The fleet link when it runs in this process (null when the safety core has its own). */
  transport: FleetTransport | null;
  /** The safety core's process, when it has one. */
  coreProcess: SafetyProcess | null;
  http: StationHttpServer | null;
  port: number | null;
  /** The socketcand port when a CAN server was asked for. */
  canServerPort: number | null;
  /** The role tokens of the bridge and the sync endpoint (an admin may rotate them). */
  tokens: AccessTokens;
  close(): Promise<void>;
}

export async function startStationRuntime(options: StationRuntimeOptions): Promise<StationRuntime> {
  // The station's timers never hold the process open: it lives while it serves.
  const clock = options.clock ?? new SystemClock({ unref: true });
  const log = options.log ?? ((line: string) => console.error(line));
  const field = await loadField(options.fieldPath ?? DEMO_FIELD_PATH);
  const basemapDir = options.basemapDir === undefined ? DEMO_BASEMAP_DIR : options.basemapDir;
  // Served over HTTP in headless mode; read straight from disk by the Electron window.
  const tileTemplate =
    options.port === undefined
      ? `${pathToFileURL(basemapDir ?? '').href}/{z}/{x}/{y}.png`
      : `${BASEMAP_URL_PATH.slice(1)}{z}/{x}/{y}.png`;
  // What was started, in order; a failed start and close() undo it in reverse.
  const started: (() => Promise<void> | void)[] = [];
  const undo = async (): Promise<void> => {
    for (const close of started.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        log(`station: while closing: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  try {
    const folder = openDataFolder({
      dir: options.dataDir,
      clock,
      station: options.name ?? 'Headland station',
      log,
    });
    started.push(() => folder.close());
    const { recorder } = folder;
    const basemap = basemapDir ? describeBasemapDir(basemapDir, tileTemplate) : null;
    // A field opened from a file is laid out in a thread of its own: thousands of boundary
    // points take seconds, which would hold the UI and the document.
    const planner = new ThreadedFieldPlanner();
    started.push(() => planner.close());
    const common = {
      planner,
      clock,
      field,
      fleetKey: folder.fleetKey,
      audit: folder.audit,
      history: folder.history,
      recorder,
      startupAlerts: folder.alerts,
      simCount: options.simCount,
      dataDir: options.dataDir,
      store: folder.store,
      syncDir: options.dataDir,
      basemap,
      log,
      ...(options.name ? { name: options.name } : {}),
    };
    const split =
      options.coreProcess && !options.scenario
        ? await startCoreProcessStation({
            ...common,
            ...(options.canServer ? { canServer: options.canServer } : {}),
            ...(options.capturePath ? { capturePath: options.capturePath } : {}),
            ...(options.realtimeCore ? { realtimeCore: true } : {}),
          })
        : null;
    if (split) started.push(() => split.close());
    const simulated = split
      ? null
      : createSimulatedStation({
          ...common,
          link: 'can',
          ...(options.scenario ? { scenario: options.scenario } : {}),
        });
    if (simulated) started.push(() => simulated.close());
    const station = split?.station ?? simulated?.station;
    if (!station) throw new Error('station: neither composition was built');
    const sim = simulated?.sim ?? null;
    const transport = simulated?.transport ?? null;
    const canBus = simulated?.canBus ?? null;
    const fleet = simulated?.fleet ?? null;
    const coreProcess = split?.core ?? null;
    folder.reportRecordingProblemsTo((message) =>
      station.raiseAlert('warning', 'recorder', message),
    );
    // The plan, the station's view and the worked ground come from the station's snapshot when
    // the recorder wants one (a subscription would make a station with no UI build one every
    // 200 ms).
    let cancelRecording = clock.setTimer(RECORDER_CHECK_MS, function check() {
      try {
        if (recorder.snapshotDue()) recorder.snapshot(station.snapshot());
      } catch (err) {
        // A recording that cannot be written is alerted; the station and the next check go on.
        station.reportFault('recording', err);
      }
      cancelRecording = clock.setTimer(RECORDER_CHECK_MS, check);
    });
    started.push(() => cancelRecording());
    if (canBus && options.capturePath) {
      const sink = openCaptureFile(options.capturePath, { onError: log });
      const off = canBus.onCapture((frame) => sink.frame(frame));
      started.push(async () => {
        canBus.flushRelays(); // the last turn's frames reach the capture
        off();
        await sink.close();
      });
    }
    let canServerPort: number | null = coreProcess?.canServerPort ?? null;
    let canServer: SocketcandServer | null = null;
    if (canBus && options.canServer) {
      const server = new SocketcandServer({ medium: canBus, bus: 'can0', clock, log });
      canServer = server;
      started.push(() => server.close());
      canServerPort = await server.listen(options.canServer.port, options.canServer.host);
    }
    // The job can change (a field opened between jobs): host whichever document is current.
    let hosted: { doc: unknown; job: HostedJob } | null = null;
    const metrics = new StationMetrics({
      tractors: () => station.tractorCount(),
      stopsActive: () => station.activeStopCount(),
      fleetMessages: () => transport?.deliveredCount() ?? coreProcess?.deliveredCount() ?? 0,
      ...(fleet ? { canAddress: () => fleet.stationNode.address ?? null } : {}),
      ...(coreProcess ? { canAddress: () => coreProcess.canAddress.current() } : {}),
      extra: () => [
        ...(coreProcess ? coreProcess.metrics() : []),
        ...(fleet ? fleetLinkMetrics(fleet.station) : []),
        ...(canBus ? canBusMetrics(canBus) : []),
        ...(canServer ? socketcandMetrics(canServer) : []),
        ...(hosted ? gateMetrics(hosted.job) : []),
      ],
    });
    const upgradeRoutes: UpgradeRoute[] = [];
    // Upgraded sockets hold the HTTP server open: their owners close before it does.
    const closeUpgraded: (() => Promise<void>)[] = [];
    const currentJob = (id: string): HostedJob | undefined => {
      const doc = station.jobDocument();
      if (!doc || id !== station.jobId) return undefined;
      if (hosted?.doc !== doc) {
        hosted?.job.destroy();
        hosted = { doc, job: hostJob(id, doc.doc, clock, { log: (line) => log(line) }) };
      }
      return hosted.job;
    };
    started.push(() => hosted?.job.destroy());
    // Kept in the data folder so bookmarked links survive a restart; flags override per role.
    const kept = keptTokens(options.dataDir, options.tokens ?? {}, clock.wallNow());
    if (kept.note) log(`station: ${kept.note}`);
    const tokens = new AccessTokens(kept.tokens, (role, token) => kept.rotated(role, token));
    if (options.syncEndpoint) {
      const endpoint = createSyncEndpoint({
        // Read at every connection, so a rotated token stops opening the document at once.
        tokens: (token) => tokens.syncRoleOf(token),
        getJob: currentJob,
        clock,
        log: (line) => log(line),
      });
      upgradeRoutes.push((req, socket, head) => endpoint.handleUpgrade(req, socket, head));
      const closeEndpoint = once(() => endpoint.close());
      closeUpgraded.push(closeEndpoint);
      started.push(closeEndpoint);
    }
    if (options.upstream) started.push(mirrorUpstream(options.upstream, station, currentJob, log));
    let http: StationHttpServer | null = null;
    let port: number | null = null;
    // Bound before anything moves a machine: a port that cannot be had ends the start here.
    if (options.port !== undefined) {
      // Exports render in a thread of their own: seconds of work on a long job.
      const exporter = new ExportThread();
      started.push(() => exporter.close());
      const server = new StationHttpServer({
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
            const file = await exportForDownload(exporter, options.dataDir, jobId, format);
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
        ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
      });
      started.push(async () => {
        for (const close of closeUpgraded) await close();
        await server.close();
      });
      port = await server.listen(options.port, options.host).catch((error: unknown) => {
        throw new Error(
          `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
      http = server;
    }
    if (options.simCount > 0) {
      await withTimeout(
        station.whenTractors(options.simCount),
        SIM_JOIN_TIMEOUT_MS,
        'simulated tractors did not join',
      );
      // Only a job this start created starts by itself, and never one held by a stop: a job
      // read back after a restart (even one only opened, never started), or one whose records
      // were in doubt, waits for the operator.
      if (
        (options.autoStart ?? true) &&
        !station.jobReadBack &&
        station.jobState() === 'planned' &&
        station.activeStopCount() === 0
      ) {
        const startedJob = station.command({ type: 'startJob' }, 'station');
        if (!startedJob.ok) log(`station: job not started: ${startedJob.error.message}`);
      }
    }
    return {
      station,
      sim,
      transport,
      coreProcess,
      http,
      port,
      canServerPort,
      tokens,
      async close() {
        // The job is written first, whatever happens to the rest.
        station.save();
        await undo();
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

interface Upstream {
  /** One server, or the nodes of one farm office tried in turn (failover). */
  urls: readonly string[];
  token?: string;
  /**
   * The station's id at a farm office: the job is mirrored as `<stationId>/<jobId>`
   * (docs/office.md); without it, as `<jobId>` (a plain Hocuspocus server).
   */
  stationId?: string;
}

/** Mirrors the current job upstream; a new job (field opened) is mirrored under its own name. */
function mirrorUpstream(
  upstream: Upstream,
  station: Station,
  currentJob: (id: string) => HostedJob | undefined,
  log: (line: string) => void,
): () => void {
  let mirror: { jobId: string; mirror: HocuspocusMirror } | null = null;
  const follow = (): void => {
    const job = currentJob(station.jobId);
    if (!job || mirror?.jobId === station.jobId) return;
    mirror?.mirror.destroy();
    const name = upstream.stationId
      ? officeDocumentName(upstream.stationId, station.jobId)
      : station.jobId;
    mirror = {
      jobId: station.jobId,
      mirror: new HocuspocusMirror({
        url: upstream.urls,
        name,
        doc: job.doc,
        gate: job.gate,
        ...(upstream.token ? { token: upstream.token } : {}),
        onRefused: (reason) => log(`sync: the upstream refused or ended ${name}: ${reason}`),
      }),
    };
    log(`sync: mirroring job ${station.jobId} to ${upstream.urls.join(', ')} as ${name}`);
  };
  follow();
  const unsubscribe = station.subscribe(() => follow());
  return () => {
    unsubscribe();
    mirror?.mirror.destroy();
  };
}

/** `fn` run at most once; later calls get the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}

/** What the hosted job's update gate let in and refused (by reason), for /metrics. */
function gateMetrics(job: HostedJob): MetricSample[] {
  const { stats } = job.gate;
  return [
    {
      name: 'headland_sync_updates_accepted_total',
      help: 'Remote updates to the job document accepted by its gate',
      type: 'counter',
      labels: {},
      value: stats.accepted,
    },
    ...Object.entries(stats.byReason).map(([reason, count]) => ({
      name: 'headland_sync_updates_rejected_total',
      help: 'Remote updates to the job document refused by its gate, by reason',
      type: 'counter' as const,
      labels: { reason },
      value: count,
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
async function exportForDownload(
  exporter: ExportThread,
  dataDir: string,
  jobId: string,
  format: string,
) {
  if (!isExportFormat(format))
    throw new ExportRequestError(400, `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  try {
    return await exporter.export(dataDir, jobId, format, SOFTWARE_VERSION);
  } catch (error) {
    if (error instanceof ExportError)
      throw new ExportRequestError(error.problem === 'not-found' ? 404 : 500, error.message);
    throw error;
  }
}
