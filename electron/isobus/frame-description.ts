import { formatCanId, toHex, type CanFrame } from '../can/index.js';
import { decodeIdentifier, GLOBAL_ADDRESS, NULL_ADDRESS } from './identifier.js';
import { decodeName, formatName, nameFromBytes } from './iso-name.js';
import { PGN, pgnName } from './pgn-registry.js';
import { decodeAcknowledgement, decodeRequest } from './request-ack.js';
import { decodeCm, type CmMessage } from './transport-messages.js';
import type { MonitoredTransfer } from './transport-monitor.js';

/** One human line for a raw frame: identifier fields, PGN name, and what the payload means. */
export function describeFrame(frame: CanFrame): string {
  const data = toHex(frame.data).replace(/(..)(?=.)/g, '$1 ');
  if (!frame.extended)
    return `${formatCanId(frame.id, false)}  11-bit frame (not ISOBUS)  [${frame.data.length}] ${data}`;
  const d = decodeIdentifier(frame.id);
  const head = `${formatCanId(frame.id, true)}  p${d.priority} ${addr(d.source)} -> ${addr(d.destination)}  ${pgnName(d.pgn)} (0x${hex(d.pgn, 4)})`;
  return `${head}  [${frame.data.length}] ${data}${meaning(d.pgn, d.source, frame.data)}`;
}

export function describeTransfer(t: MonitoredTransfer): string {
  const who = `${addr(t.source)} -> ${addr(t.destination)}`;
  if (t.outcome === 'aborted')
    return `${t.kind.toUpperCase()} ${who} ${pgnName(t.pgn)} (0x${hex(t.pgn, 4)}) aborted by ${addr(t.by)}, reason ${t.reason}`;
  return `${t.kind.toUpperCase()} ${who} ${pgnName(t.pgn)} (0x${hex(t.pgn, 4)}) reassembled ${t.data.length} bytes`;
}

function meaning(pgn: number, source: number, data: Uint8Array): string {
  try {
    if (pgn === PGN.ADDRESS_CLAIMED && data.length >= 8) {
      const name = nameFromBytes(data);
      const f = decodeName(name);
      const what = source === NULL_ADDRESS ? 'cannot claim' : 'claims';
      return `  — ${what}, NAME ${formatName(name)} (function ${f.function}, manufacturer ${f.manufacturerCode}, identity ${f.identityNumber}${f.selfConfigurable ? ', self-configurable' : ''})`;
    }
    if (pgn === PGN.REQUEST && data.length >= 3) {
      const requested = decodeRequest(data);
      return `  — requests ${pgnName(requested)} (0x${hex(requested, 4)})`;
    }
    if (pgn === PGN.ACKNOWLEDGEMENT && data.length >= 8) {
      const a = decodeAcknowledgement(data);
      const kind = ['ACK', 'NACK', 'access denied', 'cannot respond'][a.control] ?? '?';
      return `  — ${kind} for ${pgnName(a.pgn)} (0x${hex(a.pgn, 4)}) to ${addr(a.address)}`;
    }
    if (pgn === PGN.TP_CM || pgn === PGN.ETP_CM) {
      const cm = decodeCm(data, pgn === PGN.ETP_CM);
      return cm ? `  — ${cmText(cm)}` : '  — unknown control byte';
    }
  } catch {
    return '  — malformed';
  }
  return '';
}

function cmText(cm: CmMessage): string {
  const of = `${pgnName(cm.pgn)} (0x${hex(cm.pgn, 4)})`;
  switch (cm.kind) {
    case 'rts':
      return `RTS ${cm.size} bytes of ${of}`;
    case 'cts':
      return cm.count === 0
        ? `CTS hold for ${of}`
        : `CTS ${cm.count} packets from ${cm.next} of ${of}`;
    case 'dpo':
      return `DPO ${cm.count} packets at offset ${cm.offset} of ${of}`;
    case 'eoma':
      return `EoMA ${cm.size} bytes of ${of}`;
    case 'bam':
      return `BAM ${cm.size} bytes of ${of}`;
    case 'abort':
      return `abort (reason ${cm.reason}) of ${of}`;
  }
}

function addr(a: number): string {
  if (a === GLOBAL_ADDRESS) return 'global';
  if (a === NULL_ADDRESS) return 'null';
  return `0x${hex(a, 2)}`;
}

function hex(v: number, width: number): string {
  return v.toString(16).toUpperCase().padStart(width, '0');
}
