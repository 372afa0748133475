/**
 * Composition root: builds a running station (core, fleet link, optional simulated fleet and
 * the HTTP/WebSocket face) from options. Used by `headland serve`, the Electron main process
 * and the end-to-end tests alike.
 */
import { pathToFileURL } from 'node:url';
import { DEMO_BASEMAP_DIR, DEMO_FIELD_PATH, RENDERER_DIST_DIR, SOFTWARE_VERSION } from './app-paths.js';
import { importFields, validateField, type ValidField } from './fleet/index.js';
import { createSimulatedStation } from './simulation.js';
import type { LocalFleetBus } from './link/index.js';
import { JobStore } from './records/index.js';
import { BASEMAP_URL_PATH, StationHttpServer, StationMetrics, describeBasemapDir } from './server/index.js';
import type { SimFleet, Scenario } from './sim/index.js';
import type { Station } from './station/index.js';
import { SystemClock, type Clock } from './time/index.js';

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
  clock?: Clock;
  log?: (line: string) => void;
}

export interface StationRuntime {
  station: Station;
  sim: SimFleet | null;
  bus: LocalFleetBus;
  http: StationHttpServer | null;
  port: number | null;
  close(): Promise<void>;
}

export async function startStationRuntime(options: StationRuntimeOptions): Promise<StationRuntime> {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? ((line: string) => console.error(line));
  const field = await loadField(options.fieldPath ?? DEMO_FIELD_PATH);
  const basemapDir = options.basemapDir === undefined ? DEMO_BASEMAP_DIR : options.basemapDir;
  // Served over HTTP in headless mode; read straight from disk by the Electron window.
  const tileTemplate = options.port === undefined
    ? `${pathToFileURL(basemapDir ?? '').href}/{z}/{x}/{y}.png`
    : `${BASEMAP_URL_PATH.slice(1)}{z}/{x}/{y}.png`;
  const { station, sim, bus, close } = createSimulatedStation({
    clock,
    field,
    simCount: options.simCount,
    store: new JobStore(options.dataDir),
    basemap: basemapDir ? describeBasemapDir(basemapDir, tileTemplate) : null,
    log,
    ...(options.name ? { name: options.name } : {}),
    ...(options.scenario ? { scenario: options.scenario } : {}),
  });
  if (sim) {
    await withTimeout(station.whenTractors(options.simCount), SIM_JOIN_TIMEOUT_MS, 'simulated tractors did not join');
    if (options.autoStart ?? true) {
      const started = station.command({ type: 'startJob' }, 'station');
      if (!started.ok) log(`station: job not started: ${started.error.message}`);
    }
  }
  const metrics = new StationMetrics({
    tractors: () => station.tractorCount(),
    stopsActive: () => station.snapshot().stops.length,
    fleetMessages: () => bus.deliveredCount(),
  });
  let http: StationHttpServer | null = null;
  let port: number | null = null;
  if (options.port !== undefined) {
    http = new StationHttpServer({ station, metrics, clock, staticDir: RENDERER_DIST_DIR, basemapDir, softwareVersion: SOFTWARE_VERSION });
    port = await http.listen(options.port, options.host);
  }
  return {
    station,
    sim,
    bus,
    http,
    port,
    async close() {
      close();
      await http?.close();
    },
  };
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
