import type { CanFrame } from './can-frame.js';
import { CanLinkError } from './can-link.js';
import { FrameQueue, type QueuedFrame } from './frame-queue.js';
import { LinkBase } from './link-base.js';

/** What a node needs from its bus (kept narrow so the node cannot reach bus internals). */
export interface VirtualBusPort {
  enqueued(): void;
  nowMs(): number;
  readonly txQueueLimit: number;
}

/** Transmit buffers by the identifier's top three bits (the J1939/ISO 11783 priority field). */
const PRIORITY_CLASSES = 8;

function priorityClass(frame: CanFrame): number {
  return frame.extended ? (frame.id >>> 26) & 0x7 : (frame.id >>> 8) & 0x7;
}

/**
 * One controller on a VirtualBus. Like a controller with one transmit buffer per priority
 * class, a frame of a higher priority (lower top-3 identifier bits) goes before queued
 * lower-priority frames — so a priority-0 stop is never stuck behind a 255-packet ETP window —
 * while frames of the same class keep the order they were sent in (TP.CM before its TP.DT).
 * Arbitration happens between the heads of the nodes' queues.
 */
export class VirtualBusNode extends LinkBase {
  private queues: FrameQueue[] = makeQueues();
  private queued = 0;

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
    if (this.queued >= this.port.txQueueLimit) {
      this.emitError(
        new CanLinkError(
          `${this.name}: transmit queue full (${this.port.txQueueLimit} frames), frame dropped`,
        ),
      );
      return;
    }
    this.queues[priorityClass(frame)]?.push({ frame, enqueuedMs: this.port.nowMs() });
    this.queued++;
    this.port.enqueued();
  }

  override discardQueued(match: (frame: CanFrame) => boolean): number {
    let removed = 0;
    for (const q of this.queues) removed += q.discard(match);
    this.queued -= removed;
    return removed;
  }

  /** Frames waiting to be sent. */
  pendingTx(): number {
    return this.queued;
  }

  peekTx(): QueuedFrame | undefined {
    if (this.state !== 'open' || this.queued === 0) return undefined;
    for (const q of this.queues) if (q.size > 0) return q.peek();
    return undefined;
  }

  shiftTx(): QueuedFrame | undefined {
    for (const q of this.queues) {
      if (q.size === 0) continue;
      this.queued--;
      return q.shift();
    }
    return undefined;
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
    this.queues = makeQueues();
    this.queued = 0;
  }
}

function makeQueues(): FrameQueue[] {
  return Array.from({ length: PRIORITY_CLASSES }, () => new FrameQueue());
}
