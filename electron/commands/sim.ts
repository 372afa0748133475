/**
 * `headland sim --scenario FILE`: runs a scenario (fleet size, field, timed faults and operator
 * commands) on a simulated clock, much faster than real time and the same every run, and prints
 * what happened: a progress line per simulated interval and a summary (or JSON with --json).
 */
import { dirname, resolve } from 'node:path';
import { createSimulatedStation, DEMO_FIELD_PATH, loadField } from '../runtime/index.js';
import { RemoteTractorFleet } from '../link/index.js';
import {
  ReplicaTransport,
  SIM_IMPLEMENT_WIDTH_M,
  SimFleet,
  loadScenarioFile,
  type Scenario,
} from '../sim/index.js';
import { ManualClock, SystemClock } from '../time/index.js';
import { FleetKeyError, readFleetKeyFile, type FleetKey } from '../safety/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseFlags, parseIntegerFlag, untilAborted } from './flags.js';

const USAGE = `Usage: headland sim --scenario FILE [options]
       headland sim --can URI --fleet-key-file FILE [--tractors N] [--field FILE]

With --scenario: runs a simulation scenario on a simulated clock and prints what happened.
With --can: attaches N simulated tractors to a running station's bus (e.g. one started with
\`headland serve --can-server 127.0.0.1:29536\`) and drives them until interrupted. A tractor
that stops itself (the station silent for too long) says so on stderr at once; on exit the
longest silence between two station heartbeats any tractor heard is printed.

Options:
  --can URI        link to join: socketcand://HOST:PORT/can0 or socketcan:can0
  --fleet-key-file FILE  the station's fleet key (<data>/fleet.key): without the key a
                   machine refuses every release, so a stopped tractor stays stopped
  --field FILE     field whose boundary the tractors park on (default: the demo field)
  --id-base N      first ISO NAME identity number of these tractors (default 1000)
  --first-spot N   park from the field's corner N on (default 0): beside a station's own
                   N simulated machines, so no two machines park at one spot
  --scenario FILE  scenario JSON: {"tractors", "field", "durationS", "faults", "commands"}
  --tractors N     override the scenario's fleet size (1–64)
  --report-every S seconds of simulated time between progress lines (default 300)
  --json           print one JSON summary instead of text
  -h, --help       show this help`;

/** Simulation step: fine enough for the 25 ms station housekeeping and 10 Hz telemetry. */
const STEP_MS = 25;
/** Simulated time allowed for the tractors to claim addresses and introduce themselves. */
const JOIN_LIMIT_MS = 10_000;
/** How often remote tractors are looked at for stops of their own. */
const OWN_STOP_CHECK_MS = 250;

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

export interface SimSummary {
  scenario: string;
  tractors: number;
  simulatedS: number;
  finished: boolean;
  workedHa: number;
  overlapHa: number;
  totalHa: number;
  fraction: number;
  /** Ground no pass reached, counted once the work on it is over; null while it goes on. */
  unworkedHa: number | null;
  /** Pieces of unworked ground drawn on the map. */
  unworkedPieces: number;
  alerts: number;
  stopsActive: number;
}

const FLAGS = {
  scenario: { type: 'string' },
  tractors: { type: 'string' },
  'report-every': { type: 'string' },
  json: { type: 'boolean' },
  can: { type: 'string' },
  field: { type: 'string' },
  'id-base': { type: 'string' },
  'first-spot': { type: 'string' },
  'fleet-key-file': { type: 'string' },
} as const;

export const simCommand: CliCommand = {
  name: 'sim',
  stopsOnSignal: true,
  summary: 'run a simulation scenario (faults, commands) on a simulated clock and report',
  usage: USAGE,
  async run(argv, io, signal) {
    const values = parseFlags(argv, FLAGS);
    if (values.can) {
      if (values.scenario) throw new UsageError('--can and --scenario cannot be combined');
      const tractors = parseIntegerFlag('--tractors', values.tractors ?? '6', 1, 64);
      const identityBase = parseIntegerFlag('--id-base', values['id-base'] ?? '1000', 2, 2_000_000);
      const firstSpot = parseIntegerFlag('--first-spot', values['first-spot'] ?? '0', 0, 1_000);
      const keyFile = values['fleet-key-file'];
      if (!keyFile) throw new UsageError('--fleet-key-file FILE is required with --can (pairing)');
      const fleetKey = readFleetKey(keyFile);
      const field = await loadField(values.field ? resolve(values.field) : DEMO_FIELD_PATH);
      await runRemoteTractors({
        uri: values.can,
        tractors,
        identityBase,
        firstSpot,
        field,
        fleetKey,
        io,
        signal,
      });
      return 0;
    }
    if (!values.scenario) throw new UsageError('--scenario FILE (or --can URI) is required');
    const scenario = loadScenarioFile(values.scenario);
    const tractors = values.tractors
      ? parseIntegerFlag('--tractors', values.tractors, 1, 64)
      : scenario.tractors;
    const reportEveryS = parseIntegerFlag(
      '--report-every',
      values['report-every'] ?? '300',
      1,
      86_400,
    );
    const fieldPath = scenario.field
      ? resolve(dirname(values.scenario), scenario.field)
      : DEMO_FIELD_PATH;
    const summary = await simulate(
      { ...scenario, tractors },
      await loadField(fieldPath),
      reportEveryS,
      values.json === true ? null : io,
    );
    if (values.json === true) io.stdout(JSON.stringify(summary));
    else
      io.stdout(
        `done: ${summary.finished ? 'job finished' : 'time limit reached'} after ${formatHms(summary.simulatedS)}; worked ${summary.workedHa.toFixed(3)} of ${summary.totalHa.toFixed(3)} ha (${(summary.fraction * 100).toFixed(1)}%), overlap ${summary.overlapHa.toFixed(3)} ha${summary.unworkedHa === null ? '' : `, left unworked ${summary.unworkedHa.toFixed(3)} ha`}, ${summary.alerts} alert(s)`,
      );
    return 0;
  },
};

async function simulate(
  scenario: Scenario,
  field: Awaited<ReturnType<typeof loadField>>,
  reportEveryS: number,
  io: CliIo | null,
): Promise<SimSummary> {
  const clock = new ManualClock();
  const sim = createSimulatedStation({ clock, field, simCount: scenario.tractors, scenario });
  for (let t = 0; t < JOIN_LIMIT_MS && sim.station.tractorCount() < scenario.tractors; t += STEP_MS)
    await step(clock);
  const started = sim.station.command({ type: 'startJob' }, 'scenario');
  if (!started.ok) throw new SimulationError(`the job could not start: ${started.error.message}`);
  let nextReportMs = reportEveryS * 1000;
  const endMs = scenario.durationS * 1000;
  while (clock.now() < endMs && sim.station.jobState() !== 'finished') {
    await step(clock);
    if (io && clock.now() >= nextReportMs) {
      nextReportMs += reportEveryS * 1000;
      const snapshot = sim.station.snapshot();
      const states = new Map<string, number>();
      for (const t of snapshot.tractors) states.set(t.state, (states.get(t.state) ?? 0) + 1);
      io.stdout(
        `${formatHms(clock.now() / 1000)}  ${(snapshot.job.progress.fraction * 100).toFixed(1).padStart(5)}%  ${snapshot.job.state.padEnd(8)} ${[...states].map(([s, n]) => `${n} ${s}`).join(', ')}`,
      );
    }
  }
  const snapshot = sim.station.snapshot();
  sim.close();
  return {
    scenario: scenario.name,
    tractors: scenario.tractors,
    simulatedS: clock.now() / 1000,
    finished: snapshot.job.state === 'finished',
    workedHa: snapshot.job.progress.workedHa,
    overlapHa: snapshot.job.progress.overlapHa,
    totalHa: snapshot.job.progress.totalHa,
    fraction: snapshot.job.progress.fraction,
    unworkedHa: snapshot.job.progress.unworkedHa,
    unworkedPieces: snapshot.sections.reduce((n, s) => n + s.unworked.length, 0),
    alerts: snapshot.alerts.length,
    stopsActive: snapshot.stops.length,
  };
}

interface RemoteRun {
  uri: string;
  tractors: number;
  identityBase: number;
  firstSpot: number;
  field: Awaited<ReturnType<typeof loadField>>;
  fleetKey: FleetKey;
  io: CliIo;
  signal: AbortSignal;
}

/** Reads the fleet key file, as a usage error (exit 2) when it cannot be used. */
function readFleetKey(file: string): FleetKey {
  try {
    return readFleetKeyFile(resolve(file));
  } catch (error) {
    if (error instanceof FleetKeyError) throw new UsageError(error.message);
    throw error;
  }
}

async function runRemoteTractors(run: RemoteRun): Promise<void> {
  const clock = new SystemClock();
  const transport = new RemoteTractorFleet({
    clock,
    uri: run.uri,
    identityBase: run.identityBase,
    onError: (e) => run.io.stderr(`sim: ${e instanceof Error ? e.message : String(e)}`),
  });
  // Each tractor holds a replica of the station's job and records its own coverage in it.
  const replicas = new ReplicaTransport({
    transport,
    linkOf: (id) => transport.linkOf(id),
    stationSideId: (id) => transport.stationSideId(id),
    clock,
    log: (line) => run.io.stderr(line),
  });
  const fleet = new SimFleet({
    clock,
    bus: replicas,
    count: run.tractors,
    firstSpot: run.firstSpot,
    parking: run.field.geometry.boundary[0] ?? [[run.field.origin.lon, run.field.origin.lat]],
    ...(run.field.geometry.boundary[0] ? { fence: run.field.geometry.boundary[0] } : {}),
    implementWidthM: SIM_IMPLEMENT_WIDTH_M,
    fleetKey: run.fleetKey,
    keepOut: () => run.field.geometry.boundary.slice(1),
    idPrefix: 'remote-',
    namePrefix: 'Remote',
  });
  await transport.ready();
  run.io.stdout(`sim: ${run.tractors} tractors joined ${run.uri}`);
  const stopWatch = watchOwnStops(fleet, clock, run.io);
  await untilAborted(run.signal);
  stopWatch();
  fleet.close();
  replicas.close();
  await transport.close();
}

/**
 * Reports each stop a remote tractor makes on its own, as it happens, and on the returned
 * function the longest station silence any of them heard: what an operator testing a station
 * under load (or a test) needs to know from the machines' side.
 */
function watchOwnStops(fleet: SimFleet, clock: SystemClock, io: CliIo): () => void {
  const seen = new Map<string, number>();
  const reportNewStops = (): void => {
    for (const tractor of fleet.tractors) {
      const stops = tractor.ownStops;
      if (stops > (seen.get(tractor.id) ?? 0))
        io.stderr(
          `sim: ${tractor.name} stopped itself (${tractor.holds.join(', ')}); longest station silence heard ${tractor.longestStationSilenceMs.toFixed(0)} ms`,
        );
      seen.set(tractor.id, stops);
    }
  };
  let cancel = (): void => undefined;
  const everyCheck = (): void => {
    reportNewStops();
    cancel = clock.setTimer(OWN_STOP_CHECK_MS, everyCheck);
  };
  everyCheck();
  return () => {
    cancel();
    reportNewStops();
    const longest = Math.max(0, ...fleet.tractors.map((t) => t.longestStationSilenceMs));
    const stops = fleet.tractors.reduce((n, t) => n + t.ownStops, 0);
    io.stdout(
      `sim: longest station silence heard ${longest.toFixed(1)} ms; ${stops} stop(s) of the tractors' own`,
    );
  };
}

/**
 * One simulation step. The fleet link's protocol engines continue in promise callbacks (address
 * claim, transport sessions), so each step lets pending callbacks run before time moves on.
 */
async function step(clock: ManualClock): Promise<void> {
  clock.advance(STEP_MS);
  await new Promise((resolve) => setImmediate(resolve));
}

function formatHms(seconds: number): string {
  const s = Math.round(seconds);
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
