/**
 * A connection-mode originator scripted frame by frame the way an independent ISO 11783 stack
 * sends: RTS, then on each CTS one ETP.CM_DPO announcing at most `packetsPerDpo` packets (a
 * stock stack may announce fewer than the CTS allowed) followed by those ETP.DT, then wait for
 * the next CTS; done on EoMA, failed on Abort. It works on a raw CanLink, so nothing of our own
 * transport code is on the sending side.
 */
import type { CanFrame, CanLink } from '../../can/index.js';
import { toCanFrame, toPgnFrame } from '../identifier.js';
import { PGN } from '../pgn-registry.js';
import {
  BYTES_PER_PACKET,
  decodeCm,
  encodeCm,
  encodeDataPacket,
  type CmMessage,
} from '../transport-messages.js';

const CM_PRIORITY = 7;

export interface StockSenderOptions {
  readonly link: CanLink;
  readonly source: number;
  readonly destination: number;
  readonly pgn: number;
  readonly data: Uint8Array;
  readonly packetsPerDpo: number;
}

export type StockOutcome =
  | { readonly ok: true; readonly eomaSize: number }
  | { readonly ok: false; readonly reason: number };

export interface StockSender {
  readonly outcome: Promise<StockOutcome>;
  /** Every CTS received, in order: [packets, next packet]. */
  readonly ctsLog: [number, number][];
  /** Frames this script sent, in order. */
  readonly sent: CanFrame[];
}

/** Starts an ETP transfer from a raw link (the message must be larger than 1785 bytes). */
export function stockEtpSend(options: StockSenderOptions): StockSender {
  const { link, source, destination, pgn, data, packetsPerDpo } = options;
  const sent: CanFrame[] = [];
  const ctsLog: [number, number][] = [];
  const send = (pgnOut: number, bytes: Uint8Array): void => {
    const frame = toCanFrame({
      priority: CM_PRIORITY,
      pgn: pgnOut,
      source,
      destination,
      data: bytes,
    });
    sent.push(frame);
    link.send(frame);
  };
  const cm = (m: CmMessage): void => send(PGN.ETP_CM, encodeCm(m));
  const outcome = new Promise<StockOutcome>((resolve) => {
    const off = link.on('frame', (canFrame) => {
      const f = toPgnFrame(canFrame);
      if (f?.pgn !== PGN.ETP_CM || f.source !== destination || f.destination !== source) return;
      const m = decodeCm(f.data, true);
      if (!m || m.pgn !== pgn) return;
      if (m.kind === 'cts' && m.count > 0) {
        ctsLog.push([m.count, m.next]);
        const count = Math.min(m.count, packetsPerDpo);
        cm({ kind: 'dpo', count, offset: m.next - 1, pgn });
        for (let seq = 1; seq <= count; seq++) {
          const offset = (m.next - 1 + seq - 1) * BYTES_PER_PACKET;
          if (offset >= data.length) break;
          send(PGN.ETP_DT, encodeDataPacket(seq, data, offset));
        }
      } else if (m.kind === 'eoma') {
        off();
        resolve({ ok: true, eomaSize: m.size });
      } else if (m.kind === 'abort') {
        off();
        resolve({ ok: false, reason: m.reason });
      }
    });
  });
  cm({
    kind: 'rts',
    etp: true,
    size: data.length,
    packets: Math.ceil(data.length / 7),
    maxPerCts: 0xff,
    pgn,
  });
  return { outcome, ctsLog, sent };
}
