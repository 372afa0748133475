import { ABORT_REASON, BYTES_PER_PACKET, TIMING } from './transport-messages.js';
import { Session, type SessionContext } from './transport-session.js';

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
    if (next < 1 || next + count - 1 > this.total) {
      return this.abort(this.etp ? ABORT_REASON.ECTS_EXCEEDS_MESSAGE_SIZE : ABORT_REASON.ANY_OTHER);
    }
    // ETP: one DPO block of at most etpPacketsPerDpo packets per CTS (ISO 11783-3 allows fewer
    // than the CTS granted); the receiver asks for the rest with its next CTS.
    const block = this.etp ? Math.min(count, Math.max(1, this.ctx.config.etpPacketsPerDpo)) : count;
    const last = next + block - 1;
    if (next <= this.highestSent && ++this.retransmits > this.ctx.config.maxRetransmits) {
      return this.abort(ABORT_REASON.MAX_RETRANSMIT_REACHED);
    }
    if (this.etp) this.sendCm({ kind: 'dpo', count: block, offset: next - 1, pgn: this.pgn });
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
