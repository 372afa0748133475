/**
 * socketcand figures of the `can` suite, on the real clock (clients talk TCP on loopback):
 *  - can.socketcand_relay_fps_max: two socketcand clients flood each other through the server
 *    on a 250 kbit/s virtual bus. The figure is the frames per second the clients receive; it
 *    cannot exceed the wire limit the bus computes (frames on the wire / their wire time), which
 *    is reported beside it, with the frames missing from the capture (must be 0).
 *  - can.etp_100kB_ms.dpo16 / .dpo255: a socketcand client (IsobusNode on a SocketcandLink)
 *    sends 100,000 bytes by ETP to the station's node on an otherwise idle 250 kbit/s bus,
 *    announcing 16 or 255 packets per DPO (a stock stack's 16, our own 255). The figure is
 *    send() until the EoMA reached the client; the wire-time limit beside it is the wire time
 *    of every frame of the transfer (14,286 ETP.DT, the RTS, each CTS and DPO, the EoMA), as
 *    the bus timed them. Goal: within 10% of the limit. The quick run sends 25,000 bytes (the
 *    transfer takes its wire time, about 7 s for 100,000 bytes) and scales time and limit to
 *    100,000 bytes, saying so in the conditions (`payload_bytes`, `measured_ms`).
 * The machine's load average is reported with each figure: real-clock figures swing with it.
 */
import { testName } from '../electron/isobus/test-helpers/network.js';
import { loadavg } from 'node:os';
import {
  frameTimeMs,
  SocketcandLink,
  SocketcandServer,
  VirtualBus,
  type CanFrame,
} from '../electron/can/index.js';
import { IsobusNode, PGN, toPgnFrame } from '../electron/isobus/index.js';
import { SystemClock } from '../electron/time/index.js';
import { type BenchResult, percentile, round } from './harness.js';

const BITRATE = 250_000; // ISO 11783-2
const PROPRIETARY_A = 0xef00;
const ETP_BYTES = 100_000;
/** --quick: a quarter of the payload, a quarter of the wire time. */
export const QUICK_ETP_BYTES = 25_000;
const RELAY_FRAMES_PER_CLIENT = 4_000;

function nameFor(i: number): bigint {
  return testName(2000 + i);
}

const load1 = (): number => round(loadavg()[0] ?? 0, 2);

async function serverOnBus(clock: SystemClock) {
  const bus = new VirtualBus({ clock, bitrate: BITRATE });
  const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
  const port = await server.listen(0);
  const client = async (): Promise<SocketcandLink> => {
    const link = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    await link.open();
    return link;
  };
  return { bus, server, client };
}

function until(check: () => boolean, capMs: number, what: string): Promise<void> {
  const deadline = performance.now() + capMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`bench: ${what} timed out`));
      setTimeout(poll, 2);
    };
    poll();
  });
}

export async function socketcandRelayFps(
  framesPerClient = RELAY_FRAMES_PER_CLIENT,
): Promise<BenchResult> {
  const clock = new SystemClock();
  const { bus, server, client } = await serverOnBus(clock);
  const a = await client();
  const b = await client();
  let captured = 0;
  let wireMs = 0;
  bus.onWire((f) => {
    captured++;
    wireMs += frameTimeMs(f, BITRATE);
  });
  let atA = 0;
  let atB = 0;
  a.on('frame', () => atA++);
  b.on('frame', () => atB++);
  const frame = (source: number, i: number): CanFrame => ({
    id: 0x18ff0000 | ((i % 64) << 8) | source,
    extended: true,
    data: Uint8Array.of(i & 0xff, (i >>> 8) & 0xff, 3, 4, 5, 6, 7, 8),
  });
  const load = load1();
  const t0 = performance.now();
  for (let i = 0; i < framesPerClient; i++) {
    a.send(frame(0x41, i));
    b.send(frame(0x42, i));
  }
  const total = 2 * framesPerClient;
  await until(() => atA + atB === total, 60_000, 'relay');
  const seconds = (performance.now() - t0) / 1000;
  const wireLimitFps = (captured / wireMs) * 1000;
  const stats = server.stats();
  await a.close();
  await b.close();
  await server.close();
  return {
    name: 'can.socketcand_relay_fps_max',
    value: Math.round(total / seconds),
    unit: 'frames/s',
    conditions: {
      wire_limit_fps: Math.round(wireLimitFps),
      bitrate: BITRATE,
      frames_sent: total,
      frames_on_wire: captured,
      missing_from_capture: total - captured,
      frames_delivered: atA + atB,
      refused: Object.values(stats.refused).reduce((s, n) => s + n, 0),
      bus_busy_pct: round((wireMs / (seconds * 1000)) * 100, 1),
      frame: '8-byte extended, priority 6',
      clock: 'system',
      load_avg_1m: load,
    },
  };
}

/** One ETP of `bytes` from a socketcand client to the station's node; ms and the wire limit. */
async function etpOnce(packetsPerDpo: number, run: number, bytes: number) {
  const clock = new SystemClock();
  const { bus, server, client } = await serverOnBus(clock);
  const station = new IsobusNode({
    link: bus.createNode('station'),
    clock,
    name: nameFor(10 * run),
    preferredAddress: 0x20,
  });
  const link = await client();
  const sender = new IsobusNode({
    link,
    clock,
    name: nameFor(10 * run + 1),
    preferredAddress: 0x35,
    transport: { etpPacketsPerDpo: packetsPerDpo },
  });
  await Promise.all([station.start(), sender.start()]);
  let got = 0;
  station.onPgn(PROPRIETARY_A, (m) => (got = m.data.length));
  const counts = { dt: 0, cm: 0 };
  let wireMs = 0;
  bus.onWire((f) => {
    const pgn = toPgnFrame(f)?.pgn;
    if (pgn !== PGN.ETP_DT && pgn !== PGN.ETP_CM) return;
    if (pgn === PGN.ETP_DT) counts.dt++;
    else counts.cm++;
    wireMs += frameTimeMs(f, BITRATE);
  });
  const data = Uint8Array.from({ length: bytes }, (_, i) => (i * 31 + 7) & 0xff);
  const t0 = clock.now();
  await sender.send(PROPRIETARY_A, data, { destination: 0x20 });
  const elapsedMs = clock.now() - t0;
  if (got !== bytes) throw new Error(`bench: ETP delivered ${got} of ${bytes} bytes`);
  sender.stop();
  station.stop();
  await link.close();
  await server.close();
  return { elapsedMs, wireMs, ...counts };
}

export async function etp100kB(
  packetsPerDpo: 16 | 255,
  runCount = 3,
  bytes = ETP_BYTES,
): Promise<BenchResult> {
  const runs: Awaited<ReturnType<typeof etpOnce>>[] = [];
  const load = load1();
  for (let r = 0; r < runCount; r++)
    runs.push(await etpOnce(packetsPerDpo, r + packetsPerDpo, bytes));
  // A smaller payload's time and wire limit, scaled to 100,000 bytes (both grow with the bytes).
  const scale = ETP_BYTES / bytes;
  const scaledMedian = (of: (r: (typeof runs)[number]) => number): number =>
    scale * percentile(runs.map(of), 50);
  const median = scaledMedian((r) => r.elapsedMs);
  const limit = scaledMedian((r) => r.wireMs);
  const first = runs[0]!;
  return {
    name: `can.etp_100kB_ms.dpo${packetsPerDpo}`,
    value: round(median, 1),
    unit: 'ms',
    conditions: {
      wire_limit_ms: round(limit, 1),
      over_limit_pct: round((median / limit - 1) * 100, 1),
      // Each CTS is a round trip through TCP and the client's stack: the time over the limit per CTS.
      over_limit_per_cts_ms: round((median - limit) / scale / ((first.cm - 2) / 2), 2),
      goal: 'within 10% of the wire limit',
      dt_frames: first.dt,
      cm_frames: first.cm,
      packets_per_dpo: packetsPerDpo,
      payload_bytes: bytes,
      ...(scale === 1 ? {} : { measured_ms: round(median / scale, 1), scaled_to_bytes: ETP_BYTES }),
      bitrate: BITRATE,
      path: 'IsobusNode on SocketcandLink -> socketcand server -> virtual bus -> station IsobusNode',
      runs: runs.length,
      worst_ms: round(scale * Math.max(...runs.map((r) => r.elapsedMs)), 1),
      clock: 'system',
      load_avg_1m: load,
    },
  };
}
