import { GLOBAL_ADDRESS, type PgnFrame } from './identifier.js';
import { PGN } from './pgn-registry.js';
import {
  ABORT_REASON,
  BYTES_PER_PACKET,
  encodeCm,
  encodeDataPacket,
  packetCount,
  TIMING,
  type CmMessage,
} from './transport-messages.js';

/**
 * A receiver that hears nothing after its CTS asks again after 3 × Tr instead of waiting out
 * T2: two repeats still fit inside the sender's T3 (1250 ms), so one lost CTS does not cost the
 * whole transfer. Repeats count against maxRetransmits; when they run out the session aborts
 * with reason 3 (timeout), which is what T2 would have produced.
 */
export const CTS_RETRY_MS = 3 * TIMING.TR_MS;

export const TP_PRIORITY = 7; // J1939-21 §5.10: TP.CM and TP.DT default priority

export interface TransportConfig {
  /** Receive sessions open at once (all peers, TP and ETP). */
  maxRxSessions: number;
  /** Largest message we accept (ETP allows 117 MB; we refuse more with reason 2). */
  maxMessageBytes: number;
  /** Bytes all receive sessions may hold together. */
  maxBufferedBytes: number;
  /** Packets we grant per CTS for TP (at most 255) and ETP (at most 255). */
  tpWindow: number;
  etpWindow: number;
  /** Retransmission requests per session before abort reason 5. */
  maxRetransmits: number;
  /** BAM inter-packet gap, 10–200 ms (ISO 11783-3 §5.10.3.5). */
  bamIntervalMs: number;
  /** Sends waiting for a busy session slot before new sends fail. */
  maxQueuedSends: number;
}

export const DEFAULT_TRANSPORT_CONFIG: TransportConfig = {
  maxRxSessions: 16,
  maxMessageBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 64 * 1024 * 1024,
  tpWindow: 16,
  etpWindow: 255,
  maxRetransmits: 3,
  bamIntervalMs: TIMING.BAM_INTERVAL_MS,
  maxQueuedSends: 64,
};

export interface SessionContext {
  readonly config: TransportConfig;
  readonly source: number;
  now(): number;
  sendFrame(frame: PgnFrame): void;
}

export type SessionStatus = 'active' | 'complete' | 'aborted';

/** Fields every session exposes to the engine. */
export abstract class Session {
  status: SessionStatus = 'active';
  abortReason = 0;
  abortedByPeer = false;
  deadlineMs: number;

  constructor(
    protected readonly ctx: SessionContext,
    readonly etp: boolean,
    readonly peer: number,
    readonly pgn: number,
    readonly size: number,
  ) {
    this.deadlineMs = ctx.now();
  }

  get total(): number {
    return packetCount(this.size);
  }

  abstract onTimeout(): void;

  /** Ends the session and tells the peer why (never for broadcasts). */
  abort(reason: number): void {
    if (this.status !== 'active') return;
    this.sendCm({ kind: 'abort', etp: this.etp, reason, pgn: this.pgn });
    this.status = 'aborted';
    this.abortReason = reason;
  }

  peerAborted(reason: number): void {
    this.status = 'aborted';
    this.abortReason = reason;
    this.abortedByPeer = true;
  }

  /** Ends without telling anyone (broadcast receive, or reset). */
  drop(reason: number): void {
    this.status = 'aborted';
    this.abortReason = reason;
  }

  protected sendCm(message: CmMessage, destination = this.peer): void {
    this.ctx.sendFrame({
      priority: TP_PRIORITY,
      pgn: this.etp ? PGN.ETP_CM : PGN.TP_CM,
      source: this.ctx.source,
      destination,
      data: encodeCm(message),
    });
  }

  protected sendDt(
    seq: number,
    payload: Uint8Array,
    offset: number,
    destination = this.peer,
  ): void {
    this.ctx.sendFrame({
      priority: TP_PRIORITY,
      pgn: this.etp ? PGN.ETP_DT : PGN.TP_DT,
      source: this.ctx.source,
      destination,
      data: encodeDataPacket(seq, payload, offset),
    });
  }
}

/** Sender of a connection-mode transfer (TP CMDT or ETP): RTS, then windows on CTS, then EoMA. */
export class ConnectionSender extends Session {
  private highestSent = 0;
  private retransmits = 0;

  constructor(
    ctx: SessionContext,
    etp: boolean,
    peer: number,
    pgn: number,
    readonly payload: Uint8Array,
  ) {
    super(ctx, etp, peer, pgn, payload.length);
  }

  start(): void {
    this.sendCm({
      kind: 'rts',
      etp: this.etp,
      size: this.size,
      packets: this.total,
      maxPerCts: 0xff,
      pgn: this.pgn,
    });
    this.deadlineMs = this.ctx.now() + TIMING.T3_MS;
  }

  onCts(count: number, next: number, pgn: number): void {
    if (pgn !== this.pgn)
      return this.abort(this.etp ? ABORT_REASON.UNEXPECTED_ECTS_PGN : ABORT_REASON.ANY_OTHER);
    if (count === 0) {
      this.deadlineMs = this.ctx.now() + TIMING.T4_MS; // hold the connection open
      return;
    }
    const last = next + count - 1;
    if (next < 1 || last > this.total) {
      return this.abort(this.etp ? ABORT_REASON.ECTS_EXCEEDS_MESSAGE_SIZE : ABORT_REASON.ANY_OTHER);
    }
    if (next <= this.highestSent && ++this.retransmits > this.ctx.config.maxRetransmits) {
      return this.abort(ABORT_REASON.MAX_RETRANSMIT_REACHED);
    }
    if (this.etp) this.sendCm({ kind: 'dpo', count, offset: next - 1, pgn: this.pgn });
    for (let packet = next; packet <= last; packet++) {
      const seq = this.etp ? packet - next + 1 : packet;
      this.sendDt(seq, this.payload, (packet - 1) * BYTES_PER_PACKET);
    }
    this.highestSent = Math.max(this.highestSent, last);
    this.deadlineMs = this.ctx.now() + TIMING.T3_MS;
  }

  onEoma(pgn: number): void {
    if (pgn === this.pgn) this.status = 'complete';
  }

  onTimeout(): void {
    this.abort(ABORT_REASON.TIMEOUT);
  }
}

/** Receiver of a connection-mode transfer: grants windows, requests lost packets again, EoMA. */
export class ConnectionReceiver extends Session {
  readonly data: Uint8Array;
  private readonly got: Uint8Array;
  private gotCount = 0;
  private lowestMissing = 1;
  private windowFirst = 0;
  private windowCount = 0;
  private highestRequested = 0;
  private retransmits = 0;
  private awaitingDpo = false;
  private dpoOffset: number | undefined;

  constructor(
    ctx: SessionContext,
    etp: boolean,
    peer: number,
    pgn: number,
    size: number,
    private readonly maxPerCts: number,
    readonly priority: number,
  ) {
    super(ctx, etp, peer, pgn, size);
    this.data = new Uint8Array(size);
    this.got = new Uint8Array(this.total);
  }

  start(): void {
    this.requestNext(ABORT_REASON.MAX_RETRANSMIT_REACHED);
  }

  onDpo(count: number, offset: number, pgn: number): void {
    if (!this.awaitingDpo) return this.abort(ABORT_REASON.UNEXPECTED_EDPO);
    if (pgn !== this.pgn) return this.abort(ABORT_REASON.UNEXPECTED_EDPO_PGN);
    if (count > this.windowCount || count === 0)
      return this.abort(ABORT_REASON.EDPO_PACKETS_EXCEED_CTS);
    if (offset !== this.windowFirst - 1) return this.abort(ABORT_REASON.BAD_EDPO_OFFSET);
    this.awaitingDpo = false;
    this.dpoOffset = offset;
    this.windowCount = count;
    this.deadlineMs = this.ctx.now() + TIMING.T1_MS;
  }

  onDt(packetData: Uint8Array): void {
    const seq = packetData[0] ?? 0;
    if (this.etp && this.dpoOffset === undefined)
      return this.abort(ABORT_REASON.UNEXPECTED_DATA_PACKET);
    const packet = (this.dpoOffset ?? 0) + seq;
    if (seq === 0 || packet > this.total) return this.abort(ABORT_REASON.BAD_SEQUENCE_NUMBER);
    const offset = (packet - 1) * BYTES_PER_PACKET;
    const bytes = packetData.subarray(1, 1 + Math.min(BYTES_PER_PACKET, this.size - offset));
    if (this.got[packet - 1] === 1) {
      // A late copy of a packet we asked for again is harmless; different data is not.
      if (bytes.every((b, i) => b === this.data[offset + i])) return;
      return this.abort(ABORT_REASON.DUPLICATE_SEQUENCE_NUMBER);
    }
    // Anything we have asked for and not yet got is welcome (a late packet after a re-request);
    // a packet beyond every CTS we sent is a bad sequence number (J1939-21 §5.10.3.5).
    if (packet > this.highestRequested) return this.abort(ABORT_REASON.BAD_SEQUENCE_NUMBER);
    const windowEnd = this.windowFirst + this.windowCount - 1;
    this.data.set(bytes, offset);
    this.got[packet - 1] = 1;
    this.gotCount++;
    while (this.lowestMissing <= this.total && this.got[this.lowestMissing - 1] === 1)
      this.lowestMissing++;
    this.deadlineMs = this.ctx.now() + TIMING.T1_MS;
    if (this.gotCount === this.total) {
      this.sendCm({
        kind: 'eoma',
        etp: this.etp,
        size: this.size,
        packets: this.total,
        pgn: this.pgn,
      });
      this.status = 'complete';
      return;
    }
    // Window filled, or its last packet came with gaps: ask for what is still missing.
    if (this.lowestMissing > windowEnd || packet === windowEnd)
      this.requestNext(ABORT_REASON.MAX_RETRANSMIT_REACHED);
  }

  onTimeout(): void {
    this.requestNext(ABORT_REASON.TIMEOUT);
  }

  /** CTS for the next run of missing packets; re-asking counts against the retransmit limit. */
  private requestNext(reasonWhenExhausted: number): void {
    const first = this.lowestMissing;
    const limit = Math.min(
      this.etp ? this.ctx.config.etpWindow : this.ctx.config.tpWindow,
      this.maxPerCts || 0xff,
      0xff,
    );
    let count = 0;
    while (count < limit && first + count <= this.total && this.got[first + count - 1] !== 1)
      count++;
    if (first <= this.highestRequested && ++this.retransmits > this.ctx.config.maxRetransmits) {
      return this.abort(reasonWhenExhausted);
    }
    this.highestRequested = Math.max(this.highestRequested, first + count - 1);
    this.windowFirst = first;
    this.windowCount = count;
    this.awaitingDpo = this.etp;
    this.dpoOffset = undefined;
    this.sendCm({ kind: 'cts', etp: this.etp, count, next: first, pgn: this.pgn });
    this.deadlineMs = this.ctx.now() + CTS_RETRY_MS;
  }
}

/** Sender of a broadcast (BAM): announce, then one packet per interval, no handshake. */
export class BamSender extends Session {
  private next = 1;

  constructor(
    ctx: SessionContext,
    pgn: number,
    readonly payload: Uint8Array,
  ) {
    super(ctx, false, GLOBAL_ADDRESS, pgn, payload.length);
  }

  start(): void {
    this.sendCm(
      { kind: 'bam', size: this.size, packets: this.total, pgn: this.pgn },
      GLOBAL_ADDRESS,
    );
    this.deadlineMs = this.ctx.now() + this.ctx.config.bamIntervalMs;
  }

  onTimeout(): void {
    this.sendDt(this.next, this.payload, (this.next - 1) * BYTES_PER_PACKET, GLOBAL_ADDRESS);
    this.next++;
    if (this.next > this.total) this.status = 'complete';
    else this.deadlineMs += this.ctx.config.bamIntervalMs;
  }
}

/** Receiver of a broadcast: packets must come in order; any fault silently drops the message. */
export class BamReceiver extends Session {
  readonly data: Uint8Array;
  private expected = 1;

  constructor(
    ctx: SessionContext,
    peer: number,
    pgn: number,
    size: number,
    readonly priority: number,
  ) {
    super(ctx, false, peer, pgn, size);
    this.data = new Uint8Array(size);
    this.deadlineMs = ctx.now() + TIMING.T1_MS;
  }

  onDt(packetData: Uint8Array): void {
    const seq = packetData[0] ?? 0;
    if (seq !== this.expected) return this.drop(ABORT_REASON.BAD_SEQUENCE_NUMBER);
    const offset = (seq - 1) * BYTES_PER_PACKET;
    this.data.set(
      packetData.subarray(1, 1 + Math.min(BYTES_PER_PACKET, this.size - offset)),
      offset,
    );
    this.expected++;
    this.deadlineMs = this.ctx.now() + TIMING.T1_MS;
    if (this.expected > this.total) this.status = 'complete';
  }

  onTimeout(): void {
    this.drop(ABORT_REASON.TIMEOUT);
  }
}
