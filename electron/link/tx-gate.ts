/**
 * Counts our frames the CAN controller still holds, so the scheduler can keep its FIFO queue
 * short (fleet-link-node.ts). A frame leaves the count when the link reports it sent; since the
 * controller sends in the order it was given, a report also clears every older entry (sent
 * while a report was missed, or dropped). An entry never reported is forgotten after a while
 * so a lost report cannot jam the link.
 */
import type { CanFrame } from '../can/index.js';

interface Entry {
  readonly canId: number;
  readonly data: Uint8Array;
  readonly atMs: number;
}

export class TxGate {
  private readonly entries: Entry[] = [];

  constructor(private readonly staleMs: number) {}

  get size(): number {
    return this.entries.length;
  }

  add(canId: number, data: Uint8Array, nowMs: number): void {
    this.entries.push({ canId, data, atMs: nowMs });
  }

  /** True if the frame was one of ours (the count went down). */
  sent(frame: CanFrame): boolean {
    const index = this.entries.findIndex(
      (e) => e.canId === frame.id && sameBytes(e.data, frame.data),
    );
    if (index < 0) return false;
    this.entries.splice(0, index + 1);
    return true;
  }

  dropStale(nowMs: number): void {
    while (this.entries.length > 0 && nowMs - (this.entries[0]?.atMs ?? nowMs) > this.staleMs)
      this.entries.shift();
  }

  /** When the oldest entry turns stale (undefined when empty). */
  nextStaleMs(): number | undefined {
    const first = this.entries[0];
    return first ? first.atMs + this.staleMs + 1 : undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
