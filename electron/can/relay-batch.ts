import type { Clock } from '../time/index.js';
import { frameTimestampNow, stampFrame, type CanFrame } from './can-frame.js';

/**
 * How long the first frame of a batch may wait for the frames after it when the bus's turn runs
 * long (a pump catching up after a stall hands many frames over, each handled by this process's
 * own nodes before the next): the next frame handed over after that hands the batch over first.
 */
export const MAX_RELAY_HOLD_MS = 0.5;

/** Where a node that relays to another process (a socketcand client) puts its frames. */
export type RelaySink = (frames: readonly CanFrame[]) => void;

export interface RelayTarget {
  readonly sink: RelaySink;
  /** Whether the node still takes frames (it may have left since the frame was handed over). */
  listening(): boolean;
}

/** What a frame left this process as: the stamped frame and the name of the node that sent it. */
export type LeftListener = (frame: CanFrame, sender: string) => void;

interface Delayed {
  readonly target: RelayTarget;
  readonly index: number;
  readonly delayMs: number;
}

/**
 * The frames the bus handed over in one turn, held for the nodes that relay them to another
 * process and handed to each in one batch (one socket write each, not one per frame: a write
 * costs the bus's thread a system call, and at a full bus with twenty clients that was most of
 * its time). A frame leaves the process only when its batch is handed over, after whatever else
 * the turn did (this process's own nodes handling the frames, a garbage collection), so the
 * batch is dated then: the relayed frames and the capture carry that time (`left`), and a frame
 * reaches another process as close to its stamp as one socket write allows, however long the
 * turn. One stamp per batch keeps the stamps in bus order and never decreasing.
 */
export class RelayBatch {
  private held: { frame: CanFrame; sender: string }[] = [];
  private to = new Map<RelayTarget, number[]>();
  private delayed: Delayed[] = [];
  private heldSinceMs: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly left: LeftListener,
    /** Runs `fn` once the current turn's synchronous work is done (Node: process.nextTick). */
    private readonly afterTurn: (fn: () => void) => void,
  ) {}

  /** Whether frames wait to be handed over (the capture must then wait its turn behind them). */
  get holding(): boolean {
    return this.heldSinceMs !== undefined;
  }

  /** Holds a frame the bus has just handed over; returns its place in the batch. */
  hold(frame: CanFrame, sender: string): number {
    if (this.heldSinceMs === undefined) {
      this.heldSinceMs = this.clock.now();
      this.afterTurn(() => this.flush());
    }
    this.held.push({ frame, sender });
    return this.held.length - 1;
  }

  /** The frame at `index` goes to `target` with this batch (or `delayMs` after it). */
  deliver(target: RelayTarget, index: number, delayMs = 0): void {
    if (delayMs > 0) {
      this.delayed.push({ target, index, delayMs });
      return;
    }
    const indices = this.to.get(target);
    if (indices) indices.push(index);
    else this.to.set(target, [index]);
  }

  /** Hands the batch over now if its first frame has waited longer than MAX_RELAY_HOLD_MS. */
  flushIfHeldLong(): void {
    if (this.heldSinceMs !== undefined && this.clock.now() - this.heldSinceMs > MAX_RELAY_HOLD_MS)
      this.flush();
  }

  /** Dates the held frames now and hands them over: to every relay, then to `left`. */
  flush(): void {
    if (this.heldSinceMs === undefined) return;
    const { held, to, delayed } = this;
    this.held = [];
    this.to = new Map();
    this.delayed = [];
    this.heldSinceMs = undefined;
    const stampMs = frameTimestampNow(this.clock);
    const stamped = held.map((h) => stampFrame(h.frame, stampMs));
    const at = (index: number): CanFrame => {
      const frame = stamped[index];
      if (!frame) throw new RangeError(`no frame ${index} in a batch of ${stamped.length}`);
      return frame;
    };
    // The sockets first: the capture's own writing must not stand between the stamp and them.
    for (const [target, indices] of to) if (target.listening()) target.sink(indices.map(at));
    held.forEach((h, i) => this.left(at(i), h.sender));
    for (const { target, index, delayMs } of delayed)
      this.clock.setTimer(delayMs, () => {
        if (target.listening()) target.sink([at(index)]);
      });
  }
}
