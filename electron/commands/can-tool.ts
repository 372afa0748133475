/**
 * `headland can send` and `headland can request`: a control function of its own on a CAN link,
 * for someone testing a machine on the bus (like `cansend` and the J1939 tools). It claims an
 * address first (ISO 11783-5 §4.4: nothing is sent before), then sends one message — one frame,
 * or TP/ETP/BAM as the size asks — or a Request, and reports what happened.
 */
import { createLink, toHex, type CanLink } from '../can/index.js';
import {
  ACK_CONTROL,
  decodeAcknowledgement,
  describeAbortReason,
  encodeName,
  formatName,
  GLOBAL_ADDRESS,
  INDUSTRY_GROUP_AGRICULTURE,
  IsobusNode,
  nameFromBytes,
  PGN,
  pgnName,
  TIMING,
  TP_MAX_BYTES,
  TransportAbortError,
  type IsobusMessage,
} from '../isobus/index.js';
import { SystemClock, type Clock } from '../time/index.js';
import type { CliIo } from './command.js';

/** J1939-81 / ISO 11783-5: 249 is the address of an off-board service tool. */
export const TOOL_ADDRESS = 0xf9;
/** Payloads up to 8 bytes go as one frame (ISO 11783-3 §5.10: TP carries 9 or more). */
const SINGLE_FRAME_MAX = 8;
/** Default wait for answers: T3, which also covers an answer sent by TP (its RTS/CTS round). */
export const REQUEST_WAIT_MS = TIMING.T3_MS;

export interface SendPlan {
  readonly link: string;
  readonly to: number;
  readonly pgn: number;
  readonly data: Uint8Array;
  readonly priority: number;
  readonly from: number;
}

export interface RequestPlan {
  readonly link: string;
  readonly to: number;
  readonly pgn: number;
  readonly waitMs: number;
  readonly from: number;
}

/** A NAME for this tool: self-configurable, so it moves rather than fights for its address. */
function toolName(): bigint {
  return encodeName({
    identityNumber: 0x1f0000 | (process.pid & 0xffff),
    manufacturerCode: 1407,
    ecuInstance: 0,
    functionInstance: 0,
    function: 130,
    deviceClass: 0,
    deviceClassInstance: 0,
    industryGroup: INDUSTRY_GROUP_AGRICULTURE,
    selfConfigurable: true,
  });
}

const hex2 = (a: number): string => `0x${a.toString(16).toUpperCase().padStart(2, '0')}`;
const addr = (a: number): string => (a === GLOBAL_ADDRESS ? 'global' : hex2(a));
const pgnText = (pgn: number): string =>
  `PGN 0x${pgn.toString(16).toUpperCase().padStart(4, '0')} (${pgnName(pgn)})`;
const ms = (t: number): string => `${t.toFixed(1)} ms`;

export function transferKind(size: number, to: number): string {
  if (size <= SINGLE_FRAME_MAX) return 'one frame';
  if (to === GLOBAL_ADDRESS) return 'BAM';
  return size > TP_MAX_BYTES ? 'ETP' : 'CMDT';
}

/** Opens the link and claims an address; undefined (after saying why) when either fails. */
async function join(
  uri: string,
  from: number,
  clock: Clock,
  io: CliIo,
  who: string,
): Promise<{ link: CanLink; node: IsobusNode } | undefined> {
  const link = createLink(uri, { clock, nodeName: `can-${who}` });
  await link.open();
  const node = new IsobusNode({ link, clock, name: toolName(), preferredAddress: from });
  try {
    const address = await node.start();
    io.stderr(`headland can ${who}: claimed ${hex2(address)} on ${link.name}`);
    return { link, node };
  } catch (error) {
    io.stderr(`headland can ${who}: ${error instanceof Error ? error.message : String(error)}`);
    node.stop();
    await link.close();
    return undefined;
  }
}

export async function runSend(plan: SendPlan, io: CliIo): Promise<number> {
  const clock = new SystemClock();
  const joined = await join(plan.link, plan.from, clock, io, 'send');
  if (!joined) return 1;
  const { link, node } = joined;
  const what = `${pgnText(plan.pgn)} ${plan.data.length} B to ${addr(plan.to)} by ${transferKind(plan.data.length, plan.to)}`;
  const t0 = clock.now();
  try {
    // One frame is done when it left the controller; a transfer when it completed.
    const sent =
      plan.data.length <= SINGLE_FRAME_MAX
        ? new Promise<void>((resolve) => {
            const off = link.on('sent', () => {
              off();
              resolve();
            });
          })
        : Promise.resolve();
    await node.send(plan.pgn, plan.data, { destination: plan.to, priority: plan.priority });
    await sent;
    io.stdout(`sent ${what} in ${ms(clock.now() - t0)}`);
    return 0;
  } catch (error) {
    const elapsed = ms(clock.now() - t0);
    if (error instanceof TransportAbortError)
      io.stdout(
        `aborted ${what}: reason ${describeAbortReason(error.reason)} ${error.byPeer ? `by ${addr(plan.to)}` : 'here'} after ${elapsed}`,
      );
    else io.stdout(`failed ${what}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    node.stop();
    await link.close();
  }
}

/** One line for an answer to our request, or undefined if the message is not one. */
export function describeAnswer(m: IsobusMessage, pgn: number, me: number): string | undefined {
  if (m.pgn === PGN.ACKNOWLEDGEMENT && m.data.length >= 8) {
    const ack = decodeAcknowledgement(m.data);
    if (ack.pgn !== pgn || (ack.address !== me && ack.address !== GLOBAL_ADDRESS)) return undefined;
    const kind =
      ack.control === ACK_CONTROL.ACK
        ? 'ACK'
        : ack.control === ACK_CONTROL.NACK
          ? 'NACK'
          : ack.control === ACK_CONTROL.ACCESS_DENIED
            ? 'access denied'
            : 'cannot respond';
    return `${addr(m.source)}: ${kind}`;
  }
  if (m.pgn !== pgn) return undefined;
  if (m.destination !== GLOBAL_ADDRESS && m.destination !== me) return undefined;
  if (pgn === PGN.ADDRESS_CLAIMED && m.data.length >= 8)
    return `${addr(m.source)}: claims, NAME ${formatName(nameFromBytes(m.data))}`;
  return `${addr(m.source)}: ${m.data.length} B ${toHex(m.data)}`;
}

export async function runRequest(plan: RequestPlan, io: CliIo): Promise<number> {
  const clock = new SystemClock();
  const joined = await join(plan.link, plan.from, clock, io, 'request');
  if (!joined) return 1;
  const { link, node } = joined;
  const me = node.address ?? GLOBAL_ADDRESS;
  let answers = 0;
  try {
    const done = new Promise<void>((resolve) => {
      const off = node.onMessage((m) => {
        if (plan.to !== GLOBAL_ADDRESS && m.source !== plan.to) return;
        const line = describeAnswer(m, plan.pgn, me);
        if (line === undefined) return;
        answers++;
        io.stdout(line);
        // A destination-specific request has one answer (ISO 11783-3 §5.4.4).
        if (plan.to !== GLOBAL_ADDRESS) finish();
      });
      const cancel = clock.setTimer(plan.waitMs, () => finish());
      function finish(): void {
        off();
        cancel();
        resolve();
      }
    });
    await node.request(plan.pgn, plan.to);
    io.stderr(
      `headland can request: requested ${pgnText(plan.pgn)} from ${addr(plan.to)}; waiting up to ${plan.waitMs} ms`,
    );
    await done;
  } finally {
    node.stop();
    await link.close();
  }
  if (answers === 0) {
    io.stdout(`no answer within ${plan.waitMs} ms`);
    return 1;
  }
  return 0;
}
