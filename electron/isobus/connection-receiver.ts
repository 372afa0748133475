import { ABORT_REASON, BYTES_PER_PACKET, TIMING } from './transport-messages.js';
import { RESPONSE_GRACE_MS, Session, type SessionContext } from './transport-session.js';

/**
 * Receiver of a connection-mode transfer: grants windows, requests lost packets again, EoMA.
 * Timeouts as ISO 11783-3 (and J1939-21 §5.10.2.4) set them: after our CTS the first packet
 * (or ETP.DPO) must come within T2, after a packet or DPO the next one within T1; when either
 * runs out the session aborts with reason 3. Inside those bounds it acts on silence sooner, after
 * RESPONSE_GRACE_MS: an unanswered CTS is sent once more, and a window whose tail went missing
 * is asked for again (a retransmission request, counted against maxRetransmits).
 */
export class ConnectionReceiver extends Session {
  readonly data: Uint8Array;
  private readonly got: Uint8Array;
  private gotCount = 0;
  private lowestMissing = 1;
  private windowFirst = 0;
  private windowCount = 0;
  /**
   * The highest packet the sender has committed to send: the end of a TP CTS window, and for
   * ETP the end of the DPO's block (the DPO, not the CTS, says what comes: see onDpo).
   */
  private highestCommitted = 0;
  private retransmits = 0;
  private awaitingDpo = false;
  private dpoOffset: number | undefined;
  /** When the CTS still waiting for its first packet (or DPO) was sent; undefined once answered. */
  private ctsAtMs: number | undefined;
  private ctsRepeated = false;
  /** When the last packet or DPO of the current window came. */
  private lastHeardMs = 0;

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
    // ISO 11783-3, ETP.CM_DPO byte 2: a sender may announce fewer packets than the CTS allowed
    // (only more is an error, reason 11), and the receiver adjusts its session to the DPO's
    // block. The rest of the CTS window is released, not owed: the next CTS asking for it is a
    // new request, not a retransmission.
    this.awaitingDpo = false;
    this.dpoOffset = offset;
    this.windowCount = count;
    this.highestCommitted = Math.max(this.highestCommitted, offset + count);
    this.answered();
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
    if (packet > this.highestCommitted) return this.abort(ABORT_REASON.BAD_SEQUENCE_NUMBER);
    const windowEnd = this.windowFirst + this.windowCount - 1;
    this.data.set(bytes, offset);
    this.got[packet - 1] = 1;
    this.gotCount++;
    while (this.lowestMissing <= this.total && this.got[this.lowestMissing - 1] === 1)
      this.lowestMissing++;
    this.answered();
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
    const now = this.ctx.now();
    const ctsAt = this.ctsAtMs;
    if (ctsAt !== undefined) {
      if (now >= ctsAt + TIMING.T2_MS || this.ctsRepeated) return this.abort(ABORT_REASON.TIMEOUT); // T2
      this.ctsRepeated = true;
      this.sendCts();
      this.deadlineMs = ctsAt + TIMING.T2_MS;
      return;
    }
    // Silence in the middle of a window: the sender is done with it, so its tail was lost.
    const t1End = this.lastHeardMs + TIMING.T1_MS;
    if (now >= t1End) return this.abort(ABORT_REASON.TIMEOUT); // T1
    if (this.retransmits < this.ctx.config.maxRetransmits)
      return this.requestNext(ABORT_REASON.TIMEOUT);
    this.deadlineMs = t1End;
  }

  /** A packet or DPO came: the CTS is answered, and the next packet is due. */
  private answered(): void {
    const now = this.ctx.now();
    this.ctsAtMs = undefined;
    this.lastHeardMs = now;
    this.deadlineMs = now + RESPONSE_GRACE_MS;
  }

  /**
   * CTS for the next run of missing packets. Asking again for packets the sender already
   * committed to counts against the retransmit limit.
   */
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
    if (first <= this.highestCommitted && ++this.retransmits > this.ctx.config.maxRetransmits) {
      return this.abort(reasonWhenExhausted);
    }
    // TP has no DPO: the sender must send the whole CTS window (J1939-21 §5.10.3.2).
    if (!this.etp) this.highestCommitted = Math.max(this.highestCommitted, first + count - 1);
    this.windowFirst = first;
    this.windowCount = count;
    this.awaitingDpo = this.etp;
    this.dpoOffset = undefined;
    this.ctsAtMs = this.ctx.now();
    this.ctsRepeated = false;
    this.sendCts();
    this.deadlineMs = this.ctsAtMs + RESPONSE_GRACE_MS;
  }

  private sendCts(): void {
    this.sendCm({
      kind: 'cts',
      etp: this.etp,
      count: this.windowCount,
      next: this.windowFirst,
      pgn: this.pgn,
    });
  }
}
