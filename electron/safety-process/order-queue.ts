/**
 * The main thread's orders as the core's process works through them: in order, in slices of at
 * most ORDER_SLICE_MS, with a turn of the loop between slices so the heartbeat and the stop
 * repeats run on time. A burst of orders (fifty drags re-sending every machine's assignments,
 * posted while the main thread was busy and arriving at once) would otherwise hold the core's
 * loop as long as it takes to check, encode and queue them all.
 */

/** Longest slice of orders before the core's timers get a turn: a fifth of a heartbeat period. */
export const ORDER_SLICE_MS = 5;

export class OrderQueue {
  private readonly items: unknown[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly run: (order: unknown) => void,
    private readonly now: () => number,
    /** Runs `fn` after the loop's pending timers and I/O (setImmediate). */
    private readonly defer: (fn: () => void) => void,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(order: unknown): void {
    this.items.push(order);
    if (this.scheduled) return;
    this.scheduled = true;
    this.defer(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const endMs = this.now() + ORDER_SLICE_MS;
    while (this.head < this.items.length && this.now() < endMs) {
      const order = this.items[this.head];
      this.items[this.head++] = undefined;
      this.run(order);
    }
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
      return;
    }
    this.scheduled = true;
    this.defer(() => this.drain());
  }
}
