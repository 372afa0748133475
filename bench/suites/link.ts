/**
 * Fleet-link benchmarks, on the real clock: a station and 20 tractors as ISOBUS nodes
 * on one 250 kbit/s virtual bus, every tractor reporting telemetry at 10 Hz with a coverage
 * trickle (the reliable progress message, at most one per second per section) besides its
 * heartbeat. Figures:
 *  - link.cmd_latency_p99_ms.loss0 / .loss10: a command (start/pause, one frame) accepted by the
 *    station's link to its end-to-end acknowledgement, with 0% and 10% random frame loss on
 *    every receiver. Goals ≤ 15 ms and ≤ 60 ms.
 *  - link.bus_load_per_tractor_pct: steady-state wire time one working tractor adds (all wire
 *    time minus the station's own heartbeat, divided by 20), % of 250 kbit/s. Goal ≤ 1.5.
 *  - link.safety_lane_delay_under_flood_ms: p99 of (e-stop sent → its frame completed on the
 *    wire) while the station's bulk lane is saturated, minus the median of the same on an idle
 *    bus, in bus time. Goal ≤ 2 ms.
 *  - link.restart_lost_messages: messages acknowledged to the caller by a station process that
 *    is then killed with SIGKILL, never delivered after a restart over the same data folder.
 *    Goal 0.
 */
import { VirtualBus, frameTimeMs } from '../../electron/can/index.js';
import {
  ALL_TRACTORS,
  MSG,
  PGN_ESTOP,
  PGN_HEARTBEAT,
  VirtualFleet,
  type FleetLinkTractorPort,
} from '../../electron/link/index.js';
import { runRestartScenario } from '../../electron/link/test-helpers/restart-scenario.js';
import { SystemClock, type Clock } from '../../electron/time/index.js';
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  trials,
} from '../harness.js';

const TRACTORS = 20;
const BITRATE = 250_000;
const TELEMETRY_MS = 100;
const COMMAND_RUN_MS = 8_000;
const COMMANDS_PER_S = 100;
const LOAD_WINDOW_MS = 5_000;
const ESTOP_TRIALS = 300;
const RESTART_ACKED = 500;
/**
 * --quick: 1 s of commands per loss, a 1 s load window, 60 e-stops, 100 messages before the
 * kill; the commands, the bus load and both e-stop runs on one working fleet in turn (each
 * starts its own in the full run).
 */
const QUICK_COMMAND_RUN_MS = 1_000;
const QUICK_LOAD_WINDOW_MS = 1_000;
const QUICK_ESTOP_TRIALS = 60;
const QUICK_RESTART_ACKED = 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Setup {
  clock: Clock;
  bus: VirtualBus;
  fleet: VirtualFleet;
  stop(): void;
}

/** Station + 20 working tractors, each driving north along its strip and reporting at 10 Hz. */
async function workingFleet(seed: number): Promise<Setup> {
  const clock = new SystemClock();
  const bus = new VirtualBus({ clock, bitrate: BITRATE, seed });
  const ids = Array.from({ length: TRACTORS }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);
  const fleet = new VirtualFleet({ clock, bus, tractorIds: ids, seed });
  await fleet.ready();
  await sleep(300); // first heartbeats: every peer online
  const station = fleet.stationPort();
  for (const [i, id] of ids.entries()) {
    station.send(id, {
      kind: 'assign',
      sections: [
        {
          id: `strip-${i}`,
          start: [10 + i * 1e-4, 50],
          end: [10 + i * 1e-4, 50.01],
          widthM: 12,
          done: [],
        },
      ],
    });
  }
  const timers: (() => void)[] = [];
  ids.forEach((id, i) => {
    const port: FleetLinkTractorPort = fleet.tractorPort(id);
    port.send({ kind: 'hello', name: id, implementWidthM: 12, workSpeedMps: 4 });
    let alongM = 0;
    const report = (): void => {
      alongM += 0.4;
      port.send({
        kind: 'telemetry',
        position: [10 + i * 1e-4, 50 + alongM / 111_000],
        headingDeg: 0,
        speedMps: 4,
        state: 'working',
        mode: 'autonomous',
        currentSectionId: `strip-${i}`,
        coverage: { sectionId: `strip-${i}`, fromM: 0, toM: alongM },
      });
      timers[i] = clock.setTimer(TELEMETRY_MS, report);
    };
    timers[i] = clock.setTimer((i * TELEMETRY_MS) / TRACTORS, report); // staggered, as real machines are
  });
  await sleep(1_500); // the assign lists and hellos are through
  return {
    clock,
    bus,
    fleet,
    stop() {
      for (const cancel of timers) cancel();
      fleet.close();
    },
  };
}

/** A fleet of its own for one measurement (full run), or one shared by several (quick run). */
interface FleetSource {
  take(seed: number): Promise<Setup>;
  /** One measurement is done with the fleet. */
  done(s: Setup): void;
  /** Every measurement is done. */
  close(): void;
}

const ownFleet: FleetSource = {
  take: (seed) => workingFleet(seed),
  done: (s) => s.stop(),
  close: () => undefined,
};

function sharedFleet(): FleetSource {
  let shared: Promise<Setup> | undefined;
  return {
    take: (seed) => (shared ??= workingFleet(seed)),
    done: () => undefined,
    close: () => void shared?.then((s) => s.stop()),
  };
}

async function commandLatency(
  loss: number,
  runMs: number,
  fleets: FleetSource,
): Promise<{ p99: number; p50: number; n: number; expired: number }> {
  const s = await fleets.take(loss === 0 ? 3 : 4);
  s.bus.configureFaults({ lossProbability: loss });
  const latencies: number[] = [];
  let expired = 0;
  const off = s.fleet.station.onOutcome((o) => {
    if (o.type !== MSG.START && o.type !== MSG.PAUSE) return;
    if (o.outcome === 'delivered') latencies.push(o.latencyMs);
    else expired++;
  });
  const ids = [...s.fleet.tractors.keys()];
  const total = (runMs / 1000) * COMMANDS_PER_S;
  for (let i = 0; i < total; i++) {
    const id = ids[i % ids.length] ?? 'sim-01';
    s.fleet.station.sendReliable(id, i % 2 === 0 ? MSG.START : MSG.PAUSE, new Uint8Array());
    await sleep(1000 / COMMANDS_PER_S);
  }
  await sleep(2_000);
  off();
  s.bus.configureFaults({ lossProbability: 0 });
  fleets.done(s);
  return {
    p99: percentile(latencies, 99),
    p50: percentile(latencies, 50),
    n: latencies.length,
    expired,
  };
}

async function busLoadPerTractor(
  windowMs: number,
  fleets: FleetSource,
): Promise<{ perTractorPct: number; totalPct: number }> {
  const s = await fleets.take(5);
  let bits = 0;
  let stationHeartbeatBits = 0;
  let counting = false;
  const offWire = s.bus.onWire((frame, sender) => {
    if (!counting) return;
    const ms = frameTimeMs(frame, BITRATE);
    bits += ms;
    if (sender === 'station' && ((frame.id >>> 8) & 0xffff) === PGN_HEARTBEAT)
      stationHeartbeatBits += ms;
  });
  await sleep(1_000); // steady state
  counting = true;
  await sleep(windowMs);
  counting = false;
  offWire();
  fleets.done(s);
  const totalPct = (bits / windowMs) * 100;
  return {
    perTractorPct: ((bits - stationHeartbeatBits) / windowMs / TRACTORS) * 100,
    totalPct,
  };
}

/** Delay from sendEstop() to the end of the e-stop frame on the wire, in bus time. */
async function estopDelays(
  flood: boolean,
  count: number,
  fleets: FleetSource,
): Promise<{ delays: number[]; busLoadPct: number }> {
  const s = await fleets.take(6);
  const ids = [...s.fleet.tractors.keys()];
  let stopping = true;
  if (flood) {
    // Keep the station's bulk lane full for every tractor (one-frame bulk messages).
    const refill = (): void => {
      if (!stopping) return;
      for (const id of ids) {
        while (s.fleet.station.engine.queued(id).bulk < 64)
          s.fleet.station.sendReliable(id, MSG.BULK_DATA, Uint8Array.of(1, 2));
      }
      setTimeout(refill, 5);
    };
    refill();
    await sleep(500);
  }
  const delays: number[] = [];
  let sentAt = Number.NaN;
  const offWire = s.bus.onWire((frame) => {
    if (((frame.id >>> 8) & 0xffff) !== PGN_ESTOP || Number.isNaN(sentAt)) return;
    delays.push(s.bus.wireFreeAtMs() - sentAt);
    sentAt = Number.NaN;
  });
  for (let i = 0; i < count; i++) {
    await sleep(3 + (i % 7));
    sentAt = s.clock.now();
    s.fleet.station.sendEstop(ALL_TRACTORS, 0x1000 + i);
  }
  const busLoadPct = s.bus.busLoad(1000) * 100;
  await sleep(100);
  stopping = false;
  offWire();
  fleets.done(s);
  return { delays, busLoadPct };
}

export const suite: BenchSuite = {
  name: 'link',
  description:
    'fleet link: command latency at 0/10% loss, bus load per tractor, safety delay under flood, restart losses',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const runMs = trials(options, COMMAND_RUN_MS, QUICK_COMMAND_RUN_MS);
    const windowMs = trials(options, LOAD_WINDOW_MS, QUICK_LOAD_WINDOW_MS);
    const estopCount = trials(options, ESTOP_TRIALS, QUICK_ESTOP_TRIALS);
    const conditions = {
      tractors: TRACTORS,
      bitrateBps: BITRATE,
      telemetryHz: 1000 / TELEMETRY_MS,
      clock: 'real',
    };
    const results: BenchResult[] = [];
    const fleets = options.quick ? sharedFleet() : ownFleet;
    const fleetsSaid = options.quick
      ? 'one working fleet for the commands at 0% and 10% loss, the bus load and the e-stops, in turn'
      : 'a working fleet of its own';
    for (const loss of [0, 10]) {
      const r = await commandLatency(loss / 100, runMs, fleets);
      results.push({
        name: `link.cmd_latency_p99_ms.loss${loss}`,
        value: round(r.p99, 2),
        unit: 'ms',
        conditions: {
          ...conditions,
          lossPct: loss,
          commands: r.n,
          commandsPerS: COMMANDS_PER_S,
          p50Ms: round(r.p50, 2),
          expired: r.expired,
          fleet: fleetsSaid,
        },
      });
    }
    const load = await busLoadPerTractor(windowMs, fleets);
    results.push({
      name: 'link.bus_load_per_tractor_pct',
      value: round(load.perTractorPct, 3),
      unit: '%',
      conditions: {
        ...conditions,
        totalLoadPct: round(load.totalPct, 2),
        windowMs,
        fleet: fleetsSaid,
      },
    });
    const idle = (await estopDelays(false, estopCount, fleets)).delays;
    const flood = await estopDelays(true, estopCount, fleets);
    fleets.close();
    const flooded = flood.delays;
    results.push({
      name: 'link.safety_lane_delay_under_flood_ms',
      value: round(percentile(flooded, 99) - percentile(idle, 50), 3),
      unit: 'ms',
      conditions: {
        ...conditions,
        trials: flooded.length,
        idleP50Ms: round(percentile(idle, 50), 3),
        floodP50Ms: round(percentile(flooded, 50), 3),
        floodP99Ms: round(percentile(flooded, 99), 3),
        floodMaxMs: round(Math.max(...flooded), 3),
        floodBusLoadPct: round(flood.busLoadPct, 1),
        idleTrials: idle.length,
        fleet: fleetsSaid,
      },
    });
    const restart = await runRestartScenario({
      ackedBeforeKill: trials(options, RESTART_ACKED, QUICK_RESTART_ACKED),
    });
    results.push({
      name: 'link.restart_lost_messages',
      value: restart.lost,
      unit: 'messages',
      conditions: {
        acked: restart.acked,
        duplicates: restart.duplicates,
        outOfOrder: restart.outOfOrder,
        kill: 'SIGKILL',
      },
    });
    return results;
  },
};
