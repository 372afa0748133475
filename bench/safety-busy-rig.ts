/**
 * The machines of the busy-station benchmark (bench/safety-busy.ts): the 20 remote tractors in a
 * process of their own (`headland sim --can socketcand://…`, as real machines join), joined,
 * given work and started, then ended with what they said of the station's silence and their
 * own stops; and the in-process comparison, a simulated fleet on the station's main thread.
 */
import { join } from 'node:path';
import type { StationSnapshot } from '../shared/index.js';
import { startCli, type StartedCli } from '../electron/commands/test-helpers/cli-process.js';
import {
  createSimulatedStation,
  DEMO_FIELD_PATH,
  loadField,
  type StationRuntime,
} from '../electron/runtime/index.js';
import { SystemClock } from '../electron/time/index.js';
import { BLOCK_MS, busyLoop } from './busy-loads.js';
import type { RigPriority } from './rig-priority.js';
import { sleepReal as sleep } from './safety-pace.js';
import { progress } from './safety-trials.js';

export const BUSY_TRACTORS = 20;

/** How long the remote tractors get to join, and then to be given work. */
const JOIN_TIMEOUT_MS = 90_000;

/** `headland sim --can …` with the bench's tractors, joined, given work and started. */
export async function startRemoteTractors(
  runtime: StationRuntime,
  dataDir: string,
  priority: RigPriority,
): Promise<StartedCli> {
  const remote = await startCli(
    [
      'sim',
      '--can',
      `socketcand://127.0.0.1:${runtime.canServerPort ?? 0}/can0`,
      '--tractors',
      String(BUSY_TRACTORS),
      '--fleet-key-file',
      join(dataDir, 'fleet.key'),
    ],
    new RegExp(`${BUSY_TRACTORS} tractors? joined`),
    (command, args) => priority.wrapMachines(command, args),
  );
  const until = async (what: string, ok: () => boolean): Promise<void> => {
    const deadline = performance.now() + JOIN_TIMEOUT_MS;
    while (!ok()) {
      if (performance.now() > deadline) throw new Error(`bench: the remote tractors ${what}`);
      await sleep(100);
    }
  };
  const tractors = (): StationSnapshot['tractors'] => runtime.station.snapshot().tractors;
  try {
    await until('did not join', () => tractors().length === BUSY_TRACTORS);
    // On a loaded machine the main thread can stay silent past the watchdog's bound while the
    // tractors join; the core then holds the fleet, rightly. Its stop is released (and named).
    const held = runtime.station.snapshot().stops.map((s) => s.issuedBy);
    if (held.length > 0) {
      progress(`busy: stops before the start (${held.join(', ')}) released`);
      for (const stop of runtime.station.snapshot().stops)
        runtime.station.command({ type: 'release', stopId: stop.id }, 'bench');
      await until('stayed stopped', () => runtime.station.snapshot().stops.length === 0);
    }
    const started = runtime.station.command({ type: 'startJob' }, 'bench');
    if (!started.ok) throw new Error(`bench: the job did not start: ${started.error.message}`);
    // A plan may leave a machine without work where one more would not finish sooner.
    await until('were given no work', () => tractors().some((t) => t.sectionIds.length > 0));
  } catch (error) {
    remote.child.kill('SIGKILL');
    throw error;
  }
  const working = tractors().filter((t) => t.sectionIds.length > 0).length;
  if (working < BUSY_TRACTORS)
    progress(`busy: ${working} of ${BUSY_TRACTORS} tractors have work in the plan`);
  return remote;
}

/** Ends the tractors' process; returns what it said of the station's silence and its own stops. */
export async function stopRemoteTractors(remote: StartedCli): Promise<string> {
  const exited = new Promise<void>((resolve) => remote.child.once('exit', () => resolve()));
  remote.child.kill('SIGTERM');
  await exited;
  return /sim: longest station silence heard[^\n]*/.exec(remote.output())?.[0] ?? '';
}

/** Each stop a remote tractor made by itself is reported as it happens (`… stopped itself`). */
export function ownStopsReported(output: string): number {
  return output.split('\n').filter((line) => line.includes('stopped itself')).length;
}

/** The same block with the link on the main thread: the gap a tractor hears. */
export async function inProcessBlockGap(warmupMs: number): Promise<number> {
  const clock = new SystemClock();
  const sim = createSimulatedStation({
    clock,
    field: await loadField(DEMO_FIELD_PATH),
    simCount: BUSY_TRACTORS,
  });
  try {
    await sim.station.whenTractors(BUSY_TRACTORS);
    sim.station.command({ type: 'startJob' });
    await sleep(warmupMs);
    let last: number | null = null;
    let maxGap = 0;
    const off = sim.transport.tractorPort('sim-01').onMessage((m) => {
      if (m.kind !== 'heartbeat') return;
      const now = performance.now();
      if (last !== null) maxGap = Math.max(maxGap, now - last);
      last = now;
    });
    await sleep(200);
    busyLoop(BLOCK_MS);
    await sleep(200);
    off();
    return maxGap;
  } finally {
    sim.close();
  }
}
