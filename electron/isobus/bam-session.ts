import { GLOBAL_ADDRESS } from './identifier.js';
import { ABORT_REASON, BYTES_PER_PACKET, TIMING } from './transport-messages.js';
import { Session, type SessionContext } from './transport-session.js';

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
