/**
 * Real-clock trials of the safety benchmark (bench/suites/safety.ts): the station and 20
 * simulated tractors as composed for `headland serve --sim 20` (createSimulatedStation, CAN
 * fleet link on a 250 kbit/s virtual bus), working the quarter-section field.
 */
import { join } from 'node:path';
import { importFields, validateField, type ValidField } from '../electron/fleet/index.js';
import { createSimulatedStation, type SimulatedStation } from '../electron/runtime/index.js';
import { ManualClock, SystemClock, type Clock } from '../electron/time/index.js';
import { busTimePace, realPace, type Pace } from './safety-pace.js';

export const TRACTORS = 20;
const FIELD = join(import.meta.dirname, '..', 'assets', 'fields', 'quarter-section.geojson');
/** How long a trial may take before it counts as failed (the figure is then this bound). */
const TRIAL_TIMEOUT_MS = 3_000;

/** Progress on stderr (stdout carries the JSON): a full run takes minutes. */
export function progress(line: string): void {
  process.stderr.write(`bench safety: ${line}\n`);
}

async function loadField(): Promise<ValidField> {
  const imported = await importFields(FIELD);
  const first = imported.ok ? imported.value.fields[0] : undefined;
  if (!first) throw new Error(`bench: cannot read ${FIELD}`);
  const valid = validateField(first.geometry);
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}

export interface Working {
  clock: Clock;
  pace: Pace;
  sim: SimulatedStation;
  close(): void;
}

/**
 * The station and 20 tractors, job started, every tractor out working: on the real clock, or
 * in bus time (a ManualClock stepped a millisecond at a time: what the code takes with no CPU).
 */
export async function workingFleet(time: 'real' | 'bus time' = 'real'): Promise<Working> {
  const manual = time === 'bus time' ? new ManualClock() : undefined;
  const clock = manual ?? new SystemClock();
  const pace = manual ? busTimePace(manual) : realPace(clock);
  const sim = createSimulatedStation({ clock, field: await loadField(), simCount: TRACTORS });
  const ready = sim.fleet?.ready();
  if (ready) {
    let done = false;
    void ready.then(() => (done = true));
    await pace.poll(() => done, 10_000);
    await ready;
  }
  if (!(await pace.poll(() => sim.station.tractorCount() >= TRACTORS, 10_000)))
    throw new Error('bench: the tractors did not join');
  const started = sim.station.command({ type: 'startJob' });
  if (!started.ok) throw new Error(`bench: startJob: ${started.error.message}`);
  if (!(await pace.poll(() => moving(sim) === TRACTORS, 20_000)))
    throw new Error(`bench: only ${moving(sim)} tractors set off`);
  return { clock, pace, sim, close: () => sim.close() };
}

function moving(sim: SimulatedStation): number {
  return (sim.sim?.tractors ?? []).filter(
    (t) => t.currentState === 'working' || t.currentState === 'turning',
  ).length;
}

/** How long the fleet gets to be free of stops between trials before the run gives up. */
const SETTLE_LIMIT_MS = 15_000;

/**
 * Releases the given stops, then waits until no tractor is stopped and resumes the job. A
 * tractor can stay stopped: under loss a release can be delayed behind a stalled transfer and
 * overtaken by a later one, which the tractor refuses as a replay, and the station then holds
 * it with a stop of its own. Every active stop (found in a snapshot, which is slow) is then
 * released too; the count of those is returned.
 */
async function releaseAll(w: Working, stopIds: readonly string[]): Promise<number> {
  const station = w.sim.station;
  const tractors = w.sim.sim?.tractors ?? [];
  for (const id of stopIds) station.command({ type: 'release', stopId: id });
  let extra = 0;
  const settled = await w.pace.poll(
    () => {
      if (station.activeStopCount() > 0)
        for (const stop of station.snapshot().stops)
          if (station.command({ type: 'release', stopId: stop.id }).ok) extra++;
      return station.activeStopCount() === 0 && tractors.every((t) => t.currentState !== 'stopped');
    },
    SETTLE_LIMIT_MS,
    5,
  );
  if (!settled) throw new Error('bench: the fleet did not come out of its stops');
  station.command({ type: 'resumeJob' });
  return extra;
}

export interface EstopSamples {
  latencies: number[];
  /** Largest difference to the station's own recorded latency, over the cross-checked trials. */
  crossCheckMaxDiffMs: number;
  /** Stops the station added between trials (a release refused as overtaken) that were released too. */
  stationStopsReleased: number;
}

/** Every this many trials the measured latency is checked against the station's snapshot. */
const CROSS_CHECK_EVERY = 50;

/**
 * Click to every tractor's confirmation: the clock before `fleetStop` to the moment the
 * station's port delivers the 20th confirm (the station handles each confirm just before; its
 * own latencies, snapshot tractors[].stop.latencyMs, are compared every 50 trials).
 */
export async function estopTrials(w: Working, trials: number, loss: number): Promise<EstopSamples> {
  const bus = w.sim.canBus;
  if (!bus) throw new Error('bench: no CAN bus');
  const { station } = w.sim;
  const confirmed = new Set<string>();
  let current: string | undefined;
  let allAt = Number.NaN;
  const off = w.sim.transport.stationPort().onMessage((from, m) => {
    if (m.kind !== 'stop-confirm' || m.stopId !== current || confirmed.has(from)) return;
    confirmed.add(from);
    if (confirmed.size === TRACTORS) allAt = w.clock.now();
  });
  const out: EstopSamples = { latencies: [], crossCheckMaxDiffMs: 0, stationStopsReleased: 0 };
  for (let i = 0; i < trials; i++) {
    await w.pace.sleep(20 + (i % 11)); // tractors back at work; heartbeats and telemetry at all phases
    confirmed.clear();
    allAt = Number.NaN;
    bus.configureFaults({ lossProbability: loss });
    const clickAt = w.clock.now();
    const result = station.command({ type: 'fleetStop' });
    current = result.ok ? result.stopId : undefined;
    const done = await w.pace.poll(() => !Number.isNaN(allAt), TRIAL_TIMEOUT_MS);
    out.latencies.push(done ? allAt - clickAt : TRIAL_TIMEOUT_MS);
    // The loss applies from the click to the last confirm; releases and the resumed work then
    // run loss-free, or TP recovery times (600 ms per lost packet) would stretch the run.
    bus.configureFaults({ lossProbability: 0 });
    if (done && i % CROSS_CHECK_EVERY === 0) {
      const own = Math.max(...station.snapshot().tractors.map((t) => t.stop.latencyMs ?? 0));
      out.crossCheckMaxDiffMs = Math.max(
        out.crossCheckMaxDiffMs,
        Math.abs(own - (allAt - clickAt)),
      );
    }
    // Each release must reach its tractors before the next stop: authenticated releases are TP
    // transfers (~140 ms for 20 tractors at priority 7), and one overtaken by the next stop's
    // release is refused as a replay, which the station answers with a stop of its own.
    out.stationStopsReleased += await releaseAll(w, current ? [current] : []);
    if ((i + 1) % 100 === 0)
      progress(`e-stop at ${loss * 100}% loss (${w.pace.kind}): ${i + 1}/${trials} trials`);
  }
  off();
  bus.configureFaults({ lossProbability: 0 });
  return out;
}

export interface SilenceSamples {
  /** Last station heartbeat a tractor heard → its safe stop, per tractor and cut. */
  stopMs: number[];
  /** Last frame the station's link heard from a tractor → COMM LOST in the station, per tractor and cut. */
  commLostMs: number[];
  /** Tractors that did not stop, or were not shown COMM LOST, within the trial timeout. */
  missed: number;
}

/**
 * Cuts every tractor's radio at a random phase, measures per tractor how long after the last
 * heartbeat it heard it stopped itself and how long after its last frame the station showed
 * it COMM LOST, then heals, releases the adopted stops and sets the fleet working again.
 */
export async function silenceTrials(w: Working, cuts: number): Promise<SilenceSamples> {
  const { sim, clock } = w;
  const fleet = sim.fleet;
  const tractors = sim.sim?.tractors ?? [];
  if (!fleet) throw new Error('bench: no CAN fleet');
  const lastBeat = new Map<string, number>();
  const stoppedAt = new Map<string, number>();
  const commLostAgo = new Map<string, number>();
  for (const t of tractors) {
    const port = fleet.tractorPort(t.id);
    port.onMessage((m) => {
      if (m.kind === 'heartbeat') lastBeat.set(t.id, clock.now());
    });
    // The tractor reports at once when it stops by itself (sim-tractor.ts safeStop).
    const send = port.send.bind(port);
    port.send = (m) => {
      if (m.kind === 'telemetry' && m.state === 'stopped' && !stoppedAt.has(t.id))
        stoppedAt.set(t.id, clock.now());
      send(m);
    };
  }
  const idOfName = new Map(sim.station.snapshot().tractors.map((t) => [t.name, t.id]));
  const off = sim.station.subscribe((event) => {
    if (event.type !== 'notice' || !event.message.endsWith(': COMM LOST')) return;
    const id = idOfName.get(event.message.slice(0, -': COMM LOST'.length));
    const status = id === undefined ? undefined : fleet.station.liveness.status(id);
    if (id && status?.lastHeardAgoMs != null) commLostAgo.set(id, status.lastHeardAgoMs);
  });
  const samples: SilenceSamples = { stopMs: [], commLostMs: [], missed: 0 };
  for (let c = 0; c < cuts; c++) {
    await w.pace.poll(() => moving(sim) === tractors.length, TRIAL_TIMEOUT_MS);
    await w.pace.sleep(100 + Math.random() * 50); // a random phase against heartbeats and steps
    stoppedAt.clear();
    commLostAgo.clear();
    const cutIds = tractors
      .filter((t) => t.currentState === 'working' || t.currentState === 'turning')
      .map((t) => t.id);
    for (const id of cutIds) fleet.setConnected(id, false);
    await w.pace.poll(
      () => cutIds.every((id) => stoppedAt.has(id) && commLostAgo.has(id)),
      TRIAL_TIMEOUT_MS,
    );
    for (const id of cutIds) {
      const stopped = stoppedAt.get(id);
      const beat = lastBeat.get(id);
      const lost = commLostAgo.get(id);
      if (stopped === undefined || beat === undefined || lost === undefined) samples.missed++;
      if (stopped !== undefined && beat !== undefined) samples.stopMs.push(stopped - beat);
      if (lost !== undefined) samples.commLostMs.push(lost);
    }
    for (const id of cutIds) fleet.setConnected(id, true);
    // The station adopts each tractor's own stop when it hears it again; release them all.
    await w.pace.poll(() => sim.station.activeStopCount() >= cutIds.length, TRIAL_TIMEOUT_MS);
    await releaseAll(w, []);
    if ((c + 1) % 10 === 0) progress(`radio cuts: ${c + 1}/${cuts}`);
  }
  off();
  return samples;
}
