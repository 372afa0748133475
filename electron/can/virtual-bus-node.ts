import type { CanFrame } from './can-frame.js';
import { CanLinkError } from './can-link.js';
import { LinkBase } from './link-base.js';

/** What a node needs from its bus (kept narrow so the node cannot reach bus internals). */
export interface VirtualBusPort {
  enqueued(): void;
  nowMs(): number;
  readonly txQueueLimit: number;
}

export interface QueuedFrame {
  readonly frame: CanFrame;
  readonly enqueuedMs: number;
}

/**
 * One controller on a VirtualBus. Its transmit queue is FIFO (like a SocketCAN socket), so the
 * order a protocol sends in is the order its frames reach the wire; arbitration happens between
 * the heads of the nodes' queues.
 */
export class VirtualBusNode extends LinkBase {
  private tx: QueuedFrame[] = [];
  private txHead = 0;

  constructor(
    name: string,
    private readonly port: VirtualBusPort,
  ) {
    super(name);
  }

  open(): Promise<void> {
    if (this.state === 'closed') this.setState('open');
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.clearTx();
    this.setState('closed');
    return Promise.resolve();
  }

  protected transmit(frame: CanFrame): void {
    if (this.state === 'bus-off') {
      this.emitError(new CanLinkError(`${this.name}: frame dropped, node is bus-off`));
      return;
    }
    if (this.tx.length - this.txHead >= this.port.txQueueLimit) {
      this.emitError(new CanLinkError(`${this.name}: transmit queue full (${this.port.txQueueLimit} frames), frame dropped`));
      return;
    }
    this.tx.push({ frame, enqueuedMs: this.port.nowMs() });
    this.port.enqueued();
  }

  /** Frames waiting to be sent. */
  pendingTx(): number {
    return this.tx.length - this.txHead;
  }

  peekTx(): QueuedFrame | undefined {
    return this.state === 'open' ? this.tx[this.txHead] : undefined;
  }

  shiftTx(): QueuedFrame | undefined {
    const entry = this.tx[this.txHead];
    if (!entry) return undefined;
    this.txHead++;
    if (this.txHead > 1024 && this.txHead * 2 > this.tx.length) {
      this.tx = this.tx.slice(this.txHead);
      this.txHead = 0;
    }
    return entry;
  }

  listening(): boolean {
    return this.state === 'open';
  }

  receive(frame: CanFrame): void {
    if (this.state === 'open') this.emit('frame', frame);
  }

  transmitted(frame: CanFrame): void {
    this.emit('sent', frame);
  }

  enterBusOff(error: CanLinkError): void {
    if (this.state !== 'open') return;
    this.clearTx();
    this.setState('bus-off');
    this.emitError(error);
  }

  recover(): void {
    if (this.state === 'bus-off') this.setState('open');
  }

  private clearTx(): void {
    this.tx = [];
    this.txHead = 0;
  }
}
