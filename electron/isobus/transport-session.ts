import type { PgnFrame } from './identifier.js';
import { PGN } from './pgn-registry.js';
import {
  encodeCm,
  encodeDataPacket,
  packetCount,
  TIMING,
  type CmMessage,
} from './transport-messages.js';

/**
 * Silence a receiver waits out before acting, three times the response time Tr a sender is
 * allowed (ISO 11783-3, J1939-21 §5.10.2.4): it then sends an unanswered CTS once more, or asks
 * again for the tail of a window that stopped short. Both stay inside T2 and T1, which still
 * bound the wait (reason 3), and the CTS reaches the sender well inside its T3 (1250 ms).
 */
export const RESPONSE_GRACE_MS = 3 * TIMING.TR_MS;

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
  /**
   * Most packets we announce in one ETP.CM_DPO when sending (1–255). A DPO may announce fewer
   * than the CTS allowed (ISO 11783-3, ETP.CM_DPO byte 2); the receiver then asks again.
   */
  etpPacketsPerDpo: number;
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
  etpPacketsPerDpo: 255,
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
