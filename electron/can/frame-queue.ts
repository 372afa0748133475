import type { CanFrame } from './can-frame.js';

export interface QueuedFrame {
  readonly frame: CanFrame;
  readonly enqueuedMs: number;
}

/** Past this many sent entries, a queue still in use drops them once they are half of it. */
const COMPACT_AFTER = 1024;

/**
 * One transmit buffer: frames in the order they were queued. It holds no frame it has handed
 * over: a drained queue starts afresh, a busy one drops its sent entries in batches. (Sent frames
 * kept in the array were live heap for every collection of the safety core to mark.)
 */
export class FrameQueue {
  private items: QueuedFrame[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** Entries the queue keeps in memory, sent ones included (at most about the queued ones again). */
  get held(): number {
    return this.items.length;
  }

  push(entry: QueuedFrame): void {
    this.items.push(entry);
  }

  peek(): QueuedFrame | undefined {
    return this.items[this.head];
  }

  shift(): QueuedFrame | undefined {
    const entry = this.items[this.head];
    if (!entry) return undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > COMPACT_AFTER && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Removes the queued frames that match; returns how many. */
  discard(match: (frame: CanFrame) => boolean): number {
    const kept = this.items.slice(this.head).filter((entry) => !match(entry.frame));
    const removed = this.size - kept.length;
    this.items = kept;
    this.head = 0;
    return removed;
  }
}
