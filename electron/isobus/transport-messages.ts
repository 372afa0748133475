import { readPgn, writePgn } from './pgn-registry.js';

/**
 * Connection management messages of TP (ISO 11783-3 §5.10, J1939-21 §5.10) and ETP
 * (ISO 11783-3 §5.11). Byte 1 is the control byte; bytes 6–8 the PGN of the packeted message.
 */
export const TP_CONTROL = { RTS: 16, CTS: 17, EOMA: 19, BAM: 32, ABORT: 255 } as const;
export const ETP_CONTROL = { RTS: 20, CTS: 21, DPO: 22, EOMA: 23, ABORT: 255 } as const;

/** Connection abort reasons (ISO 11783-3 Table 8 / J1939-21 §5.10.3.5); numeric values kept. */
export const ABORT_REASON = {
  ALREADY_IN_SESSION: 1,
  SYSTEM_RESOURCES_NEEDED: 2,
  TIMEOUT: 3,
  CTS_WHILE_TRANSFERRING: 4,
  MAX_RETRANSMIT_REACHED: 5,
  UNEXPECTED_DATA_PACKET: 6,
  BAD_SEQUENCE_NUMBER: 7,
  DUPLICATE_SEQUENCE_NUMBER: 8,
  UNEXPECTED_EDPO: 9,
  UNEXPECTED_EDPO_PGN: 10,
  EDPO_PACKETS_EXCEED_CTS: 11,
  BAD_EDPO_OFFSET: 12,
  UNEXPECTED_ECTS_PGN: 14,
  ECTS_EXCEEDS_MESSAGE_SIZE: 15,
  ANY_OTHER: 250,
} as const;

const ABORT_REASON_TEXT: Readonly<Record<number, string>> = {
  1: 'already in a session',
  2: 'system resources needed',
  3: 'timeout',
  4: 'CTS while a transfer is in progress',
  5: 'retransmit limit reached',
  6: 'unexpected data packet',
  7: 'bad sequence number',
  8: 'duplicate sequence number',
  9: 'unexpected DPO',
  10: 'DPO with another PGN',
  11: 'DPO with more packets than the CTS',
  12: 'bad DPO offset',
  14: 'CTS with another PGN',
  15: 'CTS past the end of the message',
  250: 'any other reason',
};

/** `3 (timeout)`: an abort reason with its meaning (ISO 11783-3 Table 8). */
export function describeAbortReason(reason: number): string {
  const text = ABORT_REASON_TEXT[reason];
  return text ? `${reason} (${text})` : String(reason);
}

/** Bytes of payload per data packet (byte 1 is the sequence number). */
export const BYTES_PER_PACKET = 7;
export const TP_MAX_BYTES = 1785; // 255 packets × 7
export const ETP_MAX_BYTES = 117_440_505; // 0xFFFFFF packets × 7
export const TP_MIN_BYTES = 9;

/** Timeouts of J1939-21 §5.10.2.4 / ISO 11783-3 §5.10.2 (milliseconds). */
export const TIMING = {
  /** Tr: the longest a node may take to respond. */
  TR_MS: 200,
  /** Th: a receiver holding the connection (CTS with 0 packets) repeats CTS within this. */
  TH_MS: 500,
  /** T1: receiver, time since the last data packet while more are expected. */
  T1_MS: 750,
  /** T2: receiver, time after sending CTS until the first data packet. */
  T2_MS: 1250,
  /** T3: sender, time after the last packet of a window (or RTS) until CTS or EoMA. */
  T3_MS: 1250,
  /** T4: sender, time after a hold CTS until the next CTS. */
  T4_MS: 1050,
  /** BAM inter-packet gap: 50 ms default, 10–200 ms allowed (ISO 11783-3 §5.10.3.5). */
  BAM_INTERVAL_MS: 50,
} as const;

export type CmMessage =
  | { kind: 'rts'; etp: boolean; size: number; packets: number; maxPerCts: number; pgn: number }
  | { kind: 'cts'; etp: boolean; count: number; next: number; pgn: number }
  | { kind: 'dpo'; count: number; offset: number; pgn: number }
  | { kind: 'eoma'; etp: boolean; size: number; packets: number; pgn: number }
  | { kind: 'bam'; size: number; packets: number; pgn: number }
  | { kind: 'abort'; etp: boolean; reason: number; pgn: number };

/** Decodes a TP.CM or ETP.CM payload; undefined for unknown control bytes or short frames. */
export function decodeCm(data: Uint8Array, etp: boolean): CmMessage | undefined {
  if (data.length < 8) return undefined;
  const b = (i: number): number => data[i] ?? 0;
  const pgn = readPgn(data, 5);
  const control = b(0);
  if (!etp) {
    switch (control) {
      case TP_CONTROL.RTS:
        return { kind: 'rts', etp, size: b(1) | (b(2) << 8), packets: b(3), maxPerCts: b(4), pgn };
      case TP_CONTROL.CTS:
        return { kind: 'cts', etp, count: b(1), next: b(2), pgn };
      case TP_CONTROL.EOMA:
        return { kind: 'eoma', etp, size: b(1) | (b(2) << 8), packets: b(3), pgn };
      case TP_CONTROL.BAM:
        return { kind: 'bam', size: b(1) | (b(2) << 8), packets: b(3), pgn };
      case TP_CONTROL.ABORT:
        return { kind: 'abort', etp, reason: b(1), pgn };
      default:
        return undefined;
    }
  }
  switch (control) {
    case ETP_CONTROL.RTS: {
      const size = (b(1) | (b(2) << 8) | (b(3) << 16) | (b(4) << 24)) >>> 0;
      return {
        kind: 'rts',
        etp,
        size,
        packets: Math.ceil(size / BYTES_PER_PACKET),
        maxPerCts: 0xff,
        pgn,
      };
    }
    case ETP_CONTROL.CTS:
      return { kind: 'cts', etp, count: b(1), next: b(2) | (b(3) << 8) | (b(4) << 16), pgn };
    case ETP_CONTROL.DPO:
      return { kind: 'dpo', count: b(1), offset: b(2) | (b(3) << 8) | (b(4) << 16), pgn };
    case ETP_CONTROL.EOMA: {
      const size = (b(1) | (b(2) << 8) | (b(3) << 16) | (b(4) << 24)) >>> 0;
      return { kind: 'eoma', etp, size, packets: Math.ceil(size / BYTES_PER_PACKET), pgn };
    }
    case ETP_CONTROL.ABORT:
      return { kind: 'abort', etp, reason: b(1), pgn };
    default:
      return undefined;
  }
}

export function encodeCm(message: CmMessage): Uint8Array {
  const d = new Uint8Array(8).fill(0xff);
  const u16 = (at: number, v: number): void => {
    d[at] = v & 0xff;
    d[at + 1] = (v >>> 8) & 0xff;
  };
  const u24 = (at: number, v: number): void => {
    u16(at, v);
    d[at + 2] = (v >>> 16) & 0xff;
  };
  const u32 = (at: number, v: number): void => {
    u24(at, v);
    d[at + 3] = (v >>> 24) & 0xff;
  };
  switch (message.kind) {
    case 'rts':
      d[0] = message.etp ? ETP_CONTROL.RTS : TP_CONTROL.RTS;
      if (message.etp) u32(1, message.size);
      else {
        u16(1, message.size);
        d[3] = message.packets;
        d[4] = message.maxPerCts;
      }
      break;
    case 'cts':
      d[0] = message.etp ? ETP_CONTROL.CTS : TP_CONTROL.CTS;
      d[1] = message.count;
      if (message.etp) u24(2, message.next);
      else d[2] = message.next;
      break;
    case 'dpo':
      d[0] = ETP_CONTROL.DPO;
      d[1] = message.count;
      u24(2, message.offset);
      break;
    case 'eoma':
      d[0] = message.etp ? ETP_CONTROL.EOMA : TP_CONTROL.EOMA;
      if (message.etp) u32(1, message.size);
      else {
        u16(1, message.size);
        d[3] = message.packets;
      }
      break;
    case 'bam':
      d[0] = TP_CONTROL.BAM;
      u16(1, message.size);
      d[3] = message.packets;
      break;
    case 'abort':
      d[0] = ETP_CONTROL.ABORT;
      d[1] = message.reason;
      break;
  }
  writePgn(d, 5, message.pgn);
  return d;
}

/** The data packet `seq` (1-based within its window) carrying payload bytes from `offset`. */
export function encodeDataPacket(seq: number, payload: Uint8Array, offset: number): Uint8Array {
  const d = new Uint8Array(8).fill(0xff); // unused bytes of the last packet are 0xFF
  d[0] = seq;
  d.set(payload.subarray(offset, Math.min(offset + BYTES_PER_PACKET, payload.length)), 1);
  return d;
}

export function packetCount(size: number): number {
  return Math.ceil(size / BYTES_PER_PACKET);
}
