/**
 * Tells a stalled process from a silent peer. When a periodic task or a timer runs much later
 * than it was due, the whole process was busy (garbage collection, an overloaded laptop) and
 * the frames that arrived meanwhile are still queued behind the stall: judging silence right
 * then would declare a peer lost that was talking all along. The guard opens a short grace
 * period after such a stall in which silence is not judged; the next look decides.
 */
/** A timer this late means the process stalled. */
export const STALL_LATE_MS = 150;
/** How long after a stall silence is not judged (queued frames are delivered meanwhile). */
export const STALL_GRACE_MS = 50;

export class StallGuard {
  private graceUntilMs = -Infinity;

  /** A task due at `dueMs` runs at `nowMs`. */
  ran(dueMs: number, nowMs: number): void {
    if (nowMs - dueMs > STALL_LATE_MS) this.graceUntilMs = nowMs + STALL_GRACE_MS;
  }

  /** Whether silence may be judged at `nowMs`. */
  judging(nowMs: number): boolean {
    return nowMs >= this.graceUntilMs;
  }

  /** When silence may be judged again (now or later). */
  judgingFrom(nowMs: number): number {
    return Math.max(nowMs, this.graceUntilMs);
  }
}
