/**
 * CAN / ISOBUS benchmarks. Figures:
 *  - can.tp_cmdt_goodput_pct: a 1785-byte CMDT transfer on the 250 kbit/s virtual bus running on
 *    the real clock; the wire time the TP.DT frames alone need, as a percentage of the time from
 *    send() to the sender's EoMA (so RTS, CTS per window, EoMA and turnaround count as overhead).
 *    Goal ≥ 90%.
 *  - can.etp_goodput_pct: the same for a 1 MiB ETP transfer, measured in simulated bus time
 *    (ManualClock; the wire alone needs about 80 s). Goal ≥ 85%.
 *  - can.stack_frames_per_s: frames per second through the whole stack without a bus — ETP
 *    sender → identifier encode → CanFrame → identifier decode → ETP receiver (and the CTS/EoMA
 *    back). Goal ≥ 50 × ~1,900 frames/s = 95,000.
 *  - can.address_claim_ms: 20 nodes starting together on the real clock, all preferring the same
 *    address, until every one has claimed. ISO 11783-5 sets the floor: 250 ms + up to 153 ms
 *    random delay before the claim, then the 250 ms claim wait.
 *  - can.socketcand_relay_fps_max, can.etp_100kB_ms.dpo16 / .dpo255: see bench/can-socketcand.ts.
 */
import { testName } from '../../electron/isobus/test-helpers/network.js';
import { frameBitCount, VirtualBus, type CanFrame } from '../../electron/can/index.js';
import {
  IsobusNode,
  PGN,
  toCanFrame,
  toPgnFrame,
  TransportProtocol,
  type PgnFrame,
} from '../../electron/isobus/index.js';
import { ManualClock, SystemClock, type Clock } from '../../electron/time/index.js';
import { etp100kB, QUICK_ETP_BYTES, socketcandRelayFps } from '../can-socketcand.js';
import { PYTHON, floorFramesPerSecond, pythonCanFramesPerSecond } from '../can-floor.js';
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  trials,
} from '../harness.js';
import { alternate, ratioResult } from '../peer.js';

const BITRATE = 250_000;
const PROPRIETARY_A = 0xef00;
/** Frames python-can runs through in the reference run (about a second of CPython). */
const PYTHON_FRAMES = 400_000;

function nameFor(i: number): bigint {
  return testName(1000 + i);
}

function payload(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

function pairOnBus(clock: Clock) {
  const bus = new VirtualBus({ clock, bitrate: BITRATE });
  const a = new IsobusNode({
    link: bus.createNode('a'),
    clock,
    name: nameFor(1),
    preferredAddress: 0x10,
  });
  const b = new IsobusNode({
    link: bus.createNode('b'),
    clock,
    name: nameFor(2),
    preferredAddress: 0x20,
  });
  return { bus, a, b };
}

/** Wire time of the DT frames alone, from the frames actually seen on the wire. */
function watchDataWireMs(bus: VirtualBus, dtPgn: number): () => number {
  let bits = 0;
  bus.onWire((f) => {
    if (toPgnFrame(f)?.pgn === dtPgn) bits += frameBitCount(f);
  });
  return () => (bits * 1000) / BITRATE;
}

async function cmdtGoodput(runCount: number): Promise<BenchResult> {
  const clock = new SystemClock();
  const { bus, a, b } = pairOnBus(clock);
  await Promise.all([a.start(), b.start()]);
  const runs: number[] = [];
  const data = payload(1785);
  for (let i = 0; i < runCount; i++) {
    const dataWireMs = watchDataWireMs(bus, PGN.TP_DT);
    const t0 = clock.now();
    await a.send(PROPRIETARY_A, data, { destination: 0x20 });
    runs.push((dataWireMs() / (clock.now() - t0)) * 100);
  }
  a.stop();
  b.stop();
  return {
    name: 'can.tp_cmdt_goodput_pct',
    value: round(percentile(runs, 50), 1),
    unit: '%',
    conditions: {
      payload_bytes: 1785,
      bitrate: BITRATE,
      clock: 'system',
      runs: runs.length,
      cts_window: 16,
      worst_pct: round(Math.min(...runs), 1),
    },
  };
}

async function etpGoodput(): Promise<BenchResult> {
  const clock = new ManualClock();
  const { bus, a, b } = pairOnBus(clock);
  await runSimulated(clock, Promise.all([a.start(), b.start()]), 5_000);
  const size = 1024 * 1024;
  const dataWireMs = watchDataWireMs(bus, PGN.ETP_DT);
  const ends: number[] = [];
  a.onSessionEnd(() => ends.push(bus.wireFreeAtMs()));
  const t0 = clock.now();
  const wall0 = performance.now();
  await runSimulated(clock, a.send(PROPRIETARY_A, payload(size), { destination: 0x20 }), 400_000);
  // The EoMA's end on the wire closes the transfer (the sender finishes as it arrives).
  const elapsedMs = (ends[0] ?? clock.now()) - t0;
  return {
    name: 'can.etp_goodput_pct',
    value: round((dataWireMs() / elapsedMs) * 100, 1),
    unit: '%',
    conditions: {
      payload_bytes: size,
      bitrate: BITRATE,
      clock: 'simulated bus time',
      bus_seconds: round(elapsedMs / 1000, 1),
      simulation_wall_ms: round(performance.now() - wall0, 0),
      cts_window: 255,
    },
  };
}

/** Steps a ManualClock until `promise` settles, letting promise callbacks run between steps. */
async function runSimulated<T>(clock: ManualClock, promise: Promise<T>, maxMs: number): Promise<T> {
  const state = { settled: false };
  const tracked = promise.finally(() => (state.settled = true));
  tracked.catch(() => undefined);
  for (let t = 0; t < maxMs && !state.settled; t += 20) {
    clock.advance(20);
    await new Promise((r) => setImmediate(r));
  }
  return tracked;
}

/** Frames per second through the whole stack for one `size`-byte ETP transfer. */
function stackRun(size: number): { framesPerSecond: number; frames: number } {
  const clock = new ManualClock();
  const queue: { to: 'a' | 'b'; frame: CanFrame }[] = [];
  let frames = 0;
  const wire =
    (to: 'a' | 'b') =>
    (f: PgnFrame): void => {
      queue.push({ to, frame: toCanFrame(f) });
    };
  const receivedBytes = { n: 0 };
  const a = new TransportProtocol({ clock, send: wire('b'), onMessage: () => undefined });
  const b = new TransportProtocol({
    clock,
    send: wire('a'),
    onMessage: (m) => (receivedBytes.n += m.data.length),
  });
  a.setAddress(0x10);
  b.setAddress(0x20);
  const data = payload(size);
  const t0 = performance.now();
  a.send(
    { pgn: PROPRIETARY_A, source: 0x10, destination: 0x20, priority: 6, data },
    () => undefined,
  );
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i]!;
    const frame = toPgnFrame(item.frame);
    if (!frame) continue;
    frames++;
    (item.to === 'a' ? a : b).handle(frame);
    if (i > 100_000) {
      queue.splice(0, i + 1);
      i = -1;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (receivedBytes.n !== size)
    throw new Error(`stack benchmark lost data: ${receivedBytes.n} of ${size} bytes`);
  return { framesPerSecond: frames / seconds, frames };
}

/** The stack beside the floor loop on the same data frames, alternating; python-can after. */
async function stackFramesPerSecond(options: BenchOptions): Promise<BenchResult[]> {
  const size = trials(options, 4, 1) * 1024 * 1024;
  const rounds = trials(options, 3, 2);
  const data = payload(size);
  let frames = 0;
  const r = await alternate(
    rounds,
    () => {
      const run = stackRun(size);
      frames = run.frames;
      return run.framesPerSecond;
    },
    () => floorFramesPerSecond(data),
  );
  const stack = percentile(r.ours, 50);
  const python = pythonCanFramesPerSecond(trials(options, PYTHON_FRAMES, PYTHON_FRAMES / 4));
  const results: BenchResult[] = [
    {
      name: 'can.stack_frames_per_s',
      value: Math.round(stack),
      unit: 'frames/s',
      conditions: {
        path: 'ETP tx → id encode → id decode → ETP rx (+CTS/EoMA back)',
        frames,
        payload_bytes: size,
        runs: rounds,
        statistic: 'median',
        goal: 95_000,
      },
    },
    ratioResult({
      name: 'can.stack_vs_floor',
      ours: stack,
      peer: percentile(r.peer, 50),
      unit: 'frames/s',
      peerName:
        'plain loop per ETP.DT frame of the same payload: pack the id, copy 7 bytes to an 8-byte Buffer, unpack, copy to the reassembly buffer',
      better: 'higher',
      cpu: { oursMs: r.oursCpuMs, peerMs: r.peerCpuMs },
      conditions: {
        runs: rounds,
        stat: 'median each',
        payload_bytes: size,
        order: 'alternating (ABBA)',
        ...r.machine,
      },
    }),
  ];
  if ('missing' in python) {
    process.stderr.write(
      `bench can: python-can cannot run here (${python.missing}); no python-can peer\n`,
    );
    return results;
  }
  results.push(
    ratioResult({
      name: 'can.stack_vs_python_can',
      ours: stack,
      peer: python.framesPerSecond,
      unit: 'frames/s',
      peerName: `python-can ${python.version} (${PYTHON}): can.Message per frame with the J1939 id encoded and decoded, the same copies`,
      better: 'higher',
      conditions: {
        python_frames: trials(options, PYTHON_FRAMES, PYTHON_FRAMES / 4),
        order: 'after the stack runs',
      },
    }),
  );
  return results;
}

async function addressClaim(runCount: number): Promise<BenchResult> {
  const runs: number[] = [];
  for (let r = 0; r < runCount; r++) {
    const clock = new SystemClock();
    const bus = new VirtualBus({ clock, bitrate: BITRATE });
    const nodes = Array.from(
      { length: 20 },
      (_, i) =>
        new IsobusNode({
          link: bus.createNode(`n${i}`),
          clock,
          name: nameFor(100 * r + i),
          preferredAddress: 0x1c,
        }),
    );
    const t0 = clock.now();
    const addresses = await Promise.all(nodes.map((n) => n.start()));
    runs.push(clock.now() - t0);
    if (new Set(addresses).size !== 20)
      throw new Error('address claim benchmark: duplicate addresses');
    for (const n of nodes) n.stop();
  }
  return {
    name: 'can.address_claim_ms',
    value: round(percentile(runs, 50), 1),
    unit: 'ms',
    conditions: {
      nodes: 20,
      preferred_address: 'all the same (0x1C)',
      clock: 'system',
      runs: runs.length,
      max_ms: round(Math.max(...runs), 1),
    },
  };
}

export const suite: BenchSuite = {
  name: 'can',
  description:
    'CAN virtual bus and ISO 11783 network layer: TP/ETP goodput, stack throughput, address claim, socketcand relay and ETP from a socketcand client',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const etpRuns = trials(options, 3, 1);
    const etpBytes = trials(options, 100_000, QUICK_ETP_BYTES);
    return [
      await cmdtGoodput(trials(options, 7, 3)),
      await etpGoodput(),
      ...(await stackFramesPerSecond(options)),
      await addressClaim(trials(options, 3, 2)),
      await socketcandRelayFps(trials(options, 4_000, 1_000)),
      await etp100kB(16, etpRuns, etpBytes),
      await etp100kB(255, etpRuns, etpBytes),
    ];
  },
};
