import { readFile } from 'node:fs/promises';
import {
  CanLinkError,
  createLink,
  LinkUriError,
  openCaptureFile,
  parseCandumpLog,
  readPcapngFrames,
  type CanFrame,
  type CaptureSink,
} from '../can/index.js';
import { describeFrame, describeTransfer, toPgnFrame, TransportMonitor } from '../isobus/index.js';
import { SystemClock } from '../time/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseFlags } from './flags.js';

const USAGE = `Usage: headland can dump --can LINK [--capture FILE] [--count N]
       headland can dump --read FILE

Prints the traffic on a CAN link decoded as ISO 11783: priority, source -> destination, PGN
name, payload, what Address Claimed / Request / Acknowledgement / TP and ETP control messages
say, and one line per reassembled TP/ETP transfer with its size (or its abort reason).

  --can LINK      virtual:<bus> | socketcan:<iface> | socketcand://host:port/<bus>
  --capture FILE  also record every frame to FILE (.pcapng for Wireshark, .log for candump)
  --count N       stop after N frames
  --read FILE     decode a candump .log or a .pcapng capture instead of a live link`;

function wallTime(ms: number): string {
  return (ms / 1000).toFixed(6);
}

/** Decodes frames one by one, adding a line whenever a transfer completes or aborts. */
function dumper(io: CliIo): (frame: CanFrame) => void {
  const monitor = new TransportMonitor();
  return (frame) => {
    const ts = frame.timestampMs ?? 0;
    io.stdout(`(${wallTime(ts)}) ${describeFrame(frame)}`);
    const pgnFrame = toPgnFrame(frame);
    const done = pgnFrame ? monitor.observe(pgnFrame, ts) : undefined;
    if (done) io.stdout(`(${wallTime(ts)}) ${describeTransfer(done)}`);
  };
}

async function readFrames(file: string): Promise<CanFrame[]> {
  const bytes = await readFile(file);
  if (file.endsWith('.pcapng')) return readPcapngFrames(bytes);
  return parseCandumpLog(bytes.toString('utf8')).map((r) => r.frame);
}

async function dumpLive(
  uri: string,
  capture: string | undefined,
  count: number | undefined,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const clock = new SystemClock();
  const link = createLink(uri, { clock, nodeName: 'can-dump' });
  let sink: CaptureSink | undefined;
  try {
    await link.open();
  } catch (error) {
    io.stderr(`headland can dump: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    if (capture) sink = openCaptureFile(capture);
    io.stderr(`headland can dump: listening on ${link.name}`);
    const print = dumper(io);
    let seen = 0;
    link.on('error', (e) => io.stderr(`headland can dump: ${e.message}`));
    for await (const frame of link.frames(signal)) {
      sink?.frame(frame);
      print(frame);
      if (count !== undefined && ++seen >= count) break;
    }
    return 0;
  } finally {
    await sink?.close();
    await link.close();
  }
}

export const canCommand: CliCommand = {
  name: 'can',
  stopsOnSignal: true,
  summary: 'CAN/ISOBUS tools: dump decoded traffic from a link or a capture file',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub !== 'dump')
      throw new UsageError(
        sub === undefined ? 'missing subcommand (dump)' : `unknown subcommand '${sub}'`,
      );
    const values = parseFlags(rest, {
      can: { type: 'string' },
      capture: { type: 'string' },
      count: { type: 'string' },
      read: { type: 'string' },
    });
    if ((values.can === undefined) === (values.read === undefined))
      throw new UsageError('give exactly one of --can LINK or --read FILE');
    if (values.capture !== undefined && !/\.(pcapng|log)$/.test(values.capture))
      throw new UsageError('--capture FILE must end in .pcapng or .log');
    let count: number | undefined;
    if (values.count !== undefined) {
      if (!/^\d+$/.test(values.count) || Number(values.count) < 1)
        throw new UsageError(`--count expects a positive whole number, got '${values.count}'`);
      count = Number(values.count);
    }
    if (values.read !== undefined) {
      let frames: CanFrame[];
      try {
        frames = await readFrames(values.read);
      } catch (error) {
        io.stderr(
          `headland can dump: ${values.read}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 1;
      }
      const print = dumper(io);
      for (const frame of count === undefined ? frames : frames.slice(0, count)) print(frame);
      return 0;
    }
    try {
      return await dumpLive(values.can ?? '', values.capture, count, io, signal);
    } catch (error) {
      if (error instanceof LinkUriError) throw new UsageError(error.message);
      if (error instanceof CanLinkError) {
        io.stderr(`headland can dump: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};
