/**
 * `headland serve`: the station without a window. Prints exactly one line
 * `Headland station listening on http://127.0.0.1:PORT` on stdout when ready; logs go to stderr,
 * the role links and tokens among them (docs/roles.md).
 */
import { resolve } from 'node:path';
import { isOfficeId } from '../office/index.js';
import { loadScenarioFile } from '../sim/index.js';
import { MIN_TOKEN_LENGTH, type RoleTokens } from '../server/index.js';
import { startStationRuntime } from '../runtime/index.js';
import { SystemClock } from '../time/index.js';
import { UsageError, type CliCommand } from './command.js';
import { parseHostPort, parseFlags, parseIntegerFlag, untilAborted } from './flags.js';
import { keepRunningOnFaults } from './process-faults.js';

const USAGE = `Usage: headland serve [options]

Runs the station headless: the core, N simulated tractors on a demo field, and the UI over HTTP.

Options:
  --sim N          simulated tractors to start (0–64, default 6)
  --port PORT      HTTP port on the host (0 picks a free one; default 8080)
  --host HOST      address to listen on (default 127.0.0.1)
  --data DIR       folder for the job record and logs (default ./data)
  --field FILE     GeoJSON field to work (default assets/fields/demo-farm.geojson)
  --basemap DIR    folder of XYZ tiles ({z}/{x}/{y}.png) drawn under the map; 'none' for a
                   plain background (default: the bundled demo-area tiles)
  --scenario FILE  JSON of timed faults for the simulated tractors (radio loss and return)
  --can-server HOST:PORT  expose the station's CAN bus over socketcand (e.g. 127.0.0.1:29536)
  --capture FILE   record every CAN frame to FILE (.pcapng for Wireshark, .log for candump)
  --operator-token T  token of the operator role: runs the job in the UI (open
                   http://HOST:PORT/?token=T) and writes the job's Yjs document at
                   ws://HOST:PORT/sync/<job-id>
  --viewer-token T token of the viewer role: sees everything, changes nothing, may stop
  --admin-token T  token of the admin role: an operator who may also rotate tokens
                   (each token is generated and printed on stderr when not given; without
                   a token the page is a viewer)
  --sync-token T   the old name of --operator-token
  --allow-host NAME   a host name the station answers to besides IP addresses and localhost
                   (repeatable; e.g. the laptop's DNS name when it listens beyond loopback)
  --allow-origin URL  a web page origin (http://NAME:PORT) that may use the station besides its
                   own pages (repeatable)
  --upstream URL   mirror the job to a Hocuspocus server (ws://HOST:PORT), e.g. a farm office;
                   several (repeated, or comma-separated) are nodes of one office, tried in
                   turn: the mirror moves to the next when one cannot be reached
  --upstream-token T  token the Hocuspocus server expects
  --station-id ID  this station's id at a farm office ('headland office'): the job is
                   mirrored as <ID>/<job-id>, which only ID's station token opens
  --no-start       do not start the job when the tractors have joined
  --realtime-core  run the safety core's process under real-time scheduling (SCHED_FIFO), ahead
                   of everything else on the laptop; needs CAP_SYS_NICE or an rtprio limit, and
                   says so and runs at the normal priority where it is refused
  --core-in-process  run the safety core (CAN bus, fleet link, heartbeats, stops, simulated
                   tractors) on the station's own thread instead of a process of its own
  -h, --help       show this help`;

const FLAGS = {
  sim: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  field: { type: 'string' },
  scenario: { type: 'string' },
  basemap: { type: 'string' },
  'can-server': { type: 'string' },
  capture: { type: 'string' },
  'no-start': { type: 'boolean' },
  'core-in-process': { type: 'boolean' },
  'realtime-core': { type: 'boolean' },
  'sync-token': { type: 'string' },
  upstream: { type: 'string', multiple: true },
  'upstream-token': { type: 'string' },
  'station-id': { type: 'string' },
  'viewer-token': { type: 'string' },
  'operator-token': { type: 'string' },
  'admin-token': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'allow-origin': { type: 'string', multiple: true },
} as const;

export const serveCommand: CliCommand = {
  name: 'serve',
  stopsOnSignal: true,
  summary: 'run the station headless with simulated tractors and the UI over HTTP',
  usage: USAGE,
  async run(argv, io, signal) {
    const values = parseFlags(argv, FLAGS);
    const simCount = parseIntegerFlag('--sim', values.sim ?? '6', 0, 64);
    const port = parseIntegerFlag('--port', values.port ?? '8080', 0, 65535);
    const host = values.host ?? '127.0.0.1';
    if (values['station-id'] !== undefined && values.upstream === undefined)
      throw new UsageError('--station-id names the station at its --upstream: give both');
    const runtime = await startStationRuntime({
      simCount,
      port,
      host,
      dataDir: resolve(values.data ?? './data'),
      ...(values.field ? { fieldPath: resolve(values.field) } : {}),
      autoStart: values['no-start'] !== true,
      coreProcess: values['core-in-process'] !== true,
      ...(values['realtime-core'] ? { realtimeCore: true } : {}),
      ...(values.upstream
        ? {
            upstream: {
              urls: values.upstream.flatMap((v) => v.split(',')).map(upstreamUrl),
              ...(values['upstream-token'] ? { token: values['upstream-token'] } : {}),
              ...(values['station-id'] ? { stationId: stationId(values['station-id']) } : {}),
            },
          }
        : {}),
      tokens: roleTokens(values),
      syncEndpoint: true,
      allowedHosts: (values['allow-host'] ?? []).map(hostName),
      allowedOrigins: (values['allow-origin'] ?? []).map(pageOrigin),
      ...(values['can-server']
        ? { canServer: parseHostPort('--can-server', values['can-server']) }
        : {}),
      ...(values.capture ? { capturePath: resolve(values.capture) } : {}),
      ...(values.basemap
        ? { basemapDir: values.basemap === 'none' ? null : resolve(values.basemap) }
        : {}),
      ...(values.scenario ? { scenario: loadScenarioFile(values.scenario) } : {}),
      log: (line) => io.stderr(line),
    });
    if (runtime.canServerPort !== null)
      io.stderr(
        `serve: socketcand server on ${values['can-server']?.split(':')[0] ?? ''}:${runtime.canServerPort} (bus can0)`,
      );
    const base = `http://${host}:${runtime.port ?? port}`;
    const { tokens } = runtime;
    io.stderr(`serve: operator page ${base}/?token=${tokens.tokenOf('operator')}`);
    io.stderr(`serve: viewer page ${base}/?token=${tokens.tokenOf('viewer')}`);
    io.stderr(`serve: admin token ${tokens.tokenOf('admin')} (rotates tokens; keep it apart)`);
    io.stderr(
      `serve: job document at ws://${host}:${runtime.port ?? port}/sync/${runtime.station.jobId} (write token ${tokens.tokenOf('operator')}, viewer token ${tokens.tokenOf('viewer')})`,
    );
    // From here on nothing that goes wrong ends the station: it is logged and alerted.
    const removeFaultHandlers = keepRunningOnFaults(process, {
      clock: new SystemClock(),
      log: (line) => io.stderr(line),
      report: (source, err) => runtime.station.reportFault(source, err),
    });
    io.stdout(`Headland station listening on ${base}`);
    try {
      await untilAborted(signal);
      io.stderr('serve: shutting down, saving the job');
      await runtime.close();
    } finally {
      removeFaultHandlers();
    }
    return 0;
  },
};

/** The role tokens the flags give; the others are the data folder's (server/token-file.ts). */
function roleTokens(values: {
  'operator-token'?: string | undefined;
  'sync-token'?: string | undefined;
  'viewer-token'?: string | undefined;
  'admin-token'?: string | undefined;
}): Partial<RoleTokens> {
  const operator = values['operator-token'];
  const alias = values['sync-token'];
  if (operator !== undefined && alias !== undefined && operator !== alias)
    throw new UsageError('--sync-token is the old name of --operator-token: give one of them');
  const tokens: Partial<RoleTokens> = {};
  const admin = tokenFlag('--admin-token', values['admin-token']);
  const op = tokenFlag(operator ? '--operator-token' : '--sync-token', operator ?? alias);
  const viewer = tokenFlag('--viewer-token', values['viewer-token']);
  if (admin !== undefined) tokens.admin = admin;
  if (op !== undefined) tokens.operator = op;
  if (viewer !== undefined) tokens.viewer = viewer;
  const given = Object.values(tokens);
  if (new Set(given).size !== given.length)
    throw new UsageError('--admin-token, --operator-token and --viewer-token must differ');
  return tokens;
}

/** Tokens are opaque; a short one would be guessable. */
function tokenFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`${flag} must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return value;
}

function hostName(raw: string): string {
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(raw))
    throw new UsageError(`--allow-host expects a host name without port, got '${raw}'`);
  return raw;
}

function pageOrigin(raw: string): string {
  if (
    !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(raw) &&
    !/^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(raw)
  )
    throw new UsageError(
      `--allow-origin expects http://NAME[:PORT] or https://NAME[:PORT], got '${raw}'`,
    );
  return raw;
}

function upstreamUrl(raw: string): string {
  if (!/^wss?:\/\/[^\s/]+/.test(raw))
    throw new UsageError(`--upstream expects ws://HOST:PORT or wss://HOST:PORT, got '${raw}'`);
  return raw;
}

function stationId(raw: string): string {
  if (!isOfficeId(raw))
    throw new UsageError(
      `--station-id expects letters, digits, '.', '_', '-' (1–64), got '${raw}'`,
    );
  return raw;
}
