import { readFile } from 'node:fs/promises';
import {
  CanLinkError,
  createLink,
  LinkUriError,
  openCaptureFile,
  parseLinkUri,
  parseCandumpLog,
  readPcapngFrames,
  type CanFrame,
  type CaptureSink,
} from '../can/index.js';
import {
  DEFAULT_PRIORITY,
  describeFrame,
  describeTransfer,
  GLOBAL_ADDRESS,
  toPgnFrame,
  TransportMonitor,
} from '../isobus/index.js';
import { SystemClock } from '../time/index.js';
import {
  checkAddressable,
  parseAddress,
  parseHexData,
  parsePgn,
  patternData,
} from './can-flags.js';
import {
  REQUEST_WAIT_MS,
  runRequest,
  runSend,
  TOOL_ADDRESS,
  type RequestPlan,
  type SendPlan,
} from './can-tool.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseFlags, parseIntegerFlag } from './flags.js';

const USAGE = `Usage: headland can dump --can LINK [--capture FILE] [--count N]
       headland can dump --read FILE
       headland can send --can LINK --to ADDR --pgn PGN (--data HEX | --size N)
                         [--priority P] [--from ADDR]
       headland can request --can LINK --pgn PGN [--to ADDR] [--wait MS] [--from ADDR]

dump prints the traffic on a CAN link decoded as ISO 11783: priority, source -> destination, PGN
name, payload, what Address Claimed / Request / Acknowledgement / TP and ETP control messages
say, and one line per reassembled TP/ETP transfer with its size (or its abort reason).

send joins the bus as a control function of its own (it claims an address first), sends one
message — one frame up to 8 bytes, else BAM to global, CMDT up to 1785 bytes, ETP above — and
prints whether it arrived (EoMA), the abort reason, and how long it took. Exit 0 when sent.

request claims an address, sends a Request for PGN (to one node, or global) and prints every
answer (the PGN itself, or an ACK/NACK) until one came from --to or --wait ran out. Exit 0 when
something answered.

  --can LINK      virtual:<bus> | socketcan:<iface> | socketcand://host:port/<bus>
  --capture FILE  also record every frame to FILE (.pcapng for Wireshark, .log for candump)
  --count N       stop after N frames
  --read FILE     decode a candump .log or a .pcapng capture instead of a live link
  --to ADDR       destination, 0–253 or 255/global (decimal or 0x hex); request: default global
  --pgn PGN       parameter group number, decimal or 0x hex (PDU1: low byte 0)
  --data HEX      the payload, e.g. 01:02:ff or 0102ff
  --size N        a payload of N bytes counting 00 01 02 … (N up to 117,440,505)
  --priority P    0 (highest) to 7; default 6
  --from ADDR     the address to claim (default 0xF9, the service tool's; moves if taken)
  --wait MS       how long request waits for answers (default 1250, T3)`;

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
    if (capture)
      sink = openCaptureFile(capture, {
        onError: (message) => io.stderr(`headland can dump: ${message}`),
      });
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
  summary: 'CAN/ISOBUS tools: dump decoded traffic, send a message, request a PGN',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'dump') return await dump(rest, io, signal);
      if (sub === 'send') return await runSend(sendPlan(rest), io);
      if (sub === 'request') return await runRequest(requestPlan(rest), io);
    } catch (error) {
      if (error instanceof LinkUriError) throw new UsageError(error.message);
      if (error instanceof CanLinkError) {
        io.stderr(`headland can ${sub ?? ''}: ${error.message}`);
        return 1;
      }
      throw error;
    }
    throw new UsageError(
      sub === undefined
        ? 'missing subcommand (dump, send, request)'
        : `unknown subcommand '${sub}'`,
    );
  },
};

function sendPlan(argv: readonly string[]): SendPlan {
  const v = parseFlags(argv, {
    can: { type: 'string' },
    to: { type: 'string' },
    pgn: { type: 'string' },
    data: { type: 'string' },
    size: { type: 'string' },
    priority: { type: 'string' },
    from: { type: 'string' },
  });
  if (v.can === undefined) throw new UsageError('send needs --can LINK');
  if (v.to === undefined) throw new UsageError('send needs --to ADDR (255 or global for all)');
  if (v.pgn === undefined) throw new UsageError('send needs --pgn PGN');
  if ((v.data === undefined) === (v.size === undefined))
    throw new UsageError('give exactly one of --data HEX or --size N');
  parseLinkUri(v.can);
  const to = parseAddress('--to', v.to);
  const pgn = parsePgn('--pgn', v.pgn);
  const data =
    v.data !== undefined ? parseHexData('--data', v.data) : patternData('--size', v.size ?? '');
  checkAddressable(pgn, data.length, to);
  return {
    link: v.can,
    to,
    pgn,
    data,
    priority:
      v.priority === undefined
        ? DEFAULT_PRIORITY
        : parseIntegerFlag('--priority', v.priority, 0, 7),
    from: v.from === undefined ? TOOL_ADDRESS : parseUnicast('--from', v.from),
  };
}

function requestPlan(argv: readonly string[]): RequestPlan {
  const v = parseFlags(argv, {
    can: { type: 'string' },
    to: { type: 'string' },
    pgn: { type: 'string' },
    wait: { type: 'string' },
    from: { type: 'string' },
  });
  if (v.can === undefined) throw new UsageError('request needs --can LINK');
  if (v.pgn === undefined) throw new UsageError('request needs --pgn PGN');
  parseLinkUri(v.can);
  return {
    link: v.can,
    to: v.to === undefined ? GLOBAL_ADDRESS : parseAddress('--to', v.to),
    pgn: parsePgn('--pgn', v.pgn),
    waitMs: v.wait === undefined ? REQUEST_WAIT_MS : parseIntegerFlag('--wait', v.wait, 1, 60_000),
    from: v.from === undefined ? TOOL_ADDRESS : parseUnicast('--from', v.from),
  };
}

function parseUnicast(flag: string, raw: string): number {
  const address = parseAddress(flag, raw);
  if (address === GLOBAL_ADDRESS) throw new UsageError(`${flag} must be one address, 0–253`);
  return address;
}

async function dump(argv: readonly string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const values = parseFlags(argv, {
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
  return dumpLive(values.can ?? '', values.capture, count, io, signal);
}
