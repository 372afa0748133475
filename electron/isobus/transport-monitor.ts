import { GLOBAL_ADDRESS, type PgnFrame } from './identifier.js';
import { PGN } from './pgn-registry.js';
import { BYTES_PER_PACKET, decodeCm, packetCount, TP_MAX_BYTES } from './transport-messages.js';

/** What a bystander saw of one transport session. */
export type MonitoredTransfer =
  | {
      readonly outcome: 'complete';
      readonly kind: 'bam' | 'cmdt' | 'etp';
      readonly source: number;
      readonly destination: number;
      readonly pgn: number;
      readonly data: Uint8Array;
    }
  | {
      readonly outcome: 'aborted';
      readonly kind: 'cmdt' | 'etp';
      readonly source: number;
      readonly destination: number;
      readonly pgn: number;
      readonly reason: number;
      readonly by: number;
    };

interface Watched {
  readonly kind: 'bam' | 'cmdt' | 'etp';
  readonly pgn: number;
  readonly data: Uint8Array;
  offset: number;
  lastSeenMs: number;
}

/** Monitored sessions are forgotten after this long without traffic (T1 + T2 is the longest gap). */
const FORGET_AFTER_MS = 2000;
const MAX_WATCHED = 64;

/**
 * A passive reassembler for `headland can dump`: it follows every TP/ETP session on the bus
 * (whoever the peers are), never sends, and reports whole payloads and aborts. Bounded: at
 * most 64 sessions and TP_MAX_BYTES per BAM/CMDT, `maxEtpBytes` per ETP.
 */
export class TransportMonitor {
  private readonly sessions = new Map<string, Watched>();

  constructor(private readonly maxEtpBytes = 16 * 1024 * 1024) {}

  /** Feeds any frame; returns a finished transfer when this frame completed or aborted one. */
  observe(frame: PgnFrame, nowMs: number): MonitoredTransfer | undefined {
    this.forgetStale(nowMs);
    const { pgn, source, destination } = frame;
    if (pgn === PGN.TP_CM || pgn === PGN.ETP_CM) return this.onCm(frame, pgn === PGN.ETP_CM, nowMs);
    if (pgn !== PGN.TP_DT && pgn !== PGN.ETP_DT) return undefined;
    const kind = pgn === PGN.ETP_DT ? 'etp' : destination === GLOBAL_ADDRESS ? 'bam' : 'cmdt';
    const key = `${kind}:${source}:${destination}`;
    const s = this.sessions.get(key);
    const seq = frame.data[0] ?? 0;
    if (!s || seq === 0) return undefined;
    s.lastSeenMs = nowMs;
    const at = (s.offset + seq - 1) * BYTES_PER_PACKET;
    if (at >= s.data.length) return undefined;
    s.data.set(frame.data.subarray(1, 1 + Math.min(BYTES_PER_PACKET, s.data.length - at)), at);
    if (kind === 'bam' && seq === packetCount(s.data.length)) {
      this.sessions.delete(key);
      return { outcome: 'complete', kind, source, destination, pgn: s.pgn, data: s.data };
    }
    return undefined;
  }

  watching(): number {
    return this.sessions.size;
  }

  private onCm(frame: PgnFrame, etp: boolean, nowMs: number): MonitoredTransfer | undefined {
    const cm = decodeCm(frame.data, etp);
    if (!cm) return undefined;
    const { source, destination } = frame;
    // CTS, EoMA and aborts from the receiver name the session from the other side.
    const forward = `${etp ? 'etp' : 'cmdt'}:${source}:${destination}`;
    const reverse = `${etp ? 'etp' : 'cmdt'}:${destination}:${source}`;
    switch (cm.kind) {
      case 'rts':
      case 'bam': {
        const kind = cm.kind === 'bam' ? 'bam' : etp ? 'etp' : 'cmdt';
        const limit = etp ? this.maxEtpBytes : TP_MAX_BYTES;
        if (cm.size > limit || cm.size === 0 || this.sessions.size >= MAX_WATCHED) return undefined;
        this.sessions.set(`${kind}:${source}:${destination}`, {
          kind,
          pgn: cm.pgn,
          data: new Uint8Array(cm.size),
          offset: 0,
          lastSeenMs: nowMs,
        });
        return undefined;
      }
      case 'dpo': {
        const s = this.sessions.get(forward);
        if (s) s.offset = cm.offset;
        return undefined;
      }
      case 'eoma': {
        const s = this.sessions.get(reverse);
        if (!s) return undefined;
        this.sessions.delete(reverse);
        return {
          outcome: 'complete',
          kind: s.kind,
          source: destination,
          destination: source,
          pgn: s.pgn,
          data: s.data,
        };
      }
      case 'abort': {
        const key = this.sessions.has(forward) ? forward : reverse;
        const s = this.sessions.get(key);
        if (!s || s.kind === 'bam') return undefined;
        this.sessions.delete(key);
        const [from, to] = key === forward ? [source, destination] : [destination, source];
        return {
          outcome: 'aborted',
          kind: s.kind,
          source: from,
          destination: to,
          pgn: s.pgn,
          reason: cm.reason,
          by: source,
        };
      }
      case 'cts':
        return undefined;
    }
  }

  private forgetStale(nowMs: number): void {
    for (const [key, s] of this.sessions)
      if (nowMs - s.lastSeenMs > FORGET_AFTER_MS) this.sessions.delete(key);
  }
}
