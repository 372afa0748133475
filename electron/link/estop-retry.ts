/**
 * Fast retries of the station's e-stops on the link (docs/fleet-protocol.md §4.3,
 * docs/safety.md "Timing"). The safety layer repeats a stop every 50 ms until every tractor has
 * confirmed; at 10% frame loss four rounds in five lose at least one of twenty e-stops or
 * confirms, so waiting 50 ms per round would put the p99 of "every tractor confirmed" near
 * 200 ms. The link knows better when a round is over: the e-stop (priority 0) and the confirms
 * (priority 1) win arbitration over everything else, so once the wire time of one e-stop and
 * one confirm per tractor has passed, a missing confirm is a lost frame. Each further round
 * sends a *targeted* e-stop to just the tractors still silent (only they answer, so rounds get
 * shorter) — a few rounds within a bounded window, after which the safety layer's own repeats
 * carry on. Engine style: no timers; the owner asks `nextDeadlineMs()` and calls `due(now)`.
 */
import { DEFAULT_BITRATE, worstCaseFrameBits } from '../can/index.js';

export interface EstopRetryConfig {
  /** Wire time of one stop frame (7 data bytes, 29-bit identifier, worst-case stuffing). */
  frameMs: number;
  /** Added to every round for the frame already on the wire and for scheduling. */
  marginMs: number;
  /** Targeted rounds after the first copy, at most. */
  maxRounds: number;
  /** Fast retries for one stop end this long after its first copy (the 50 ms repeats go on). */
  windowMs: number;
}

const STOP_FRAME_BYTES = 7;

export const DEFAULT_ESTOP_RETRY: EstopRetryConfig = {
  frameMs: (worstCaseFrameBits(STOP_FRAME_BYTES, true) * 1000) / DEFAULT_BITRATE,
  marginMs: 2,
  maxRounds: 6,
  windowMs: 150,
};

interface Attempt {
  readonly startedMs: number;
  readonly waiting: Set<string>;
  rounds: number;
  dueMs: number;
}

export interface TargetedEstop {
  peer: string;
  ref: number;
}

export class EstopRetry {
  private readonly attempts = new Map<number, Attempt>();

  constructor(private readonly config: EstopRetryConfig = DEFAULT_ESTOP_RETRY) {}

  /**
   * A copy of e-stop `ref` went out to `peers` (every tractor in reach for a broadcast). A
   * repeat of a stop already being chased changes nothing; one after the window starts again.
   */
  sent(ref: number, peers: readonly string[], nowMs: number): void {
    const live = this.attempts.get(ref);
    if (live && nowMs - live.startedMs < this.config.windowMs) return;
    if (peers.length === 0) {
      this.attempts.delete(ref);
      return;
    }
    // First round: one e-stop, then one confirm per tractor, after the confirms still expected
    // for other stops (the same priority, so they share the wire in any order). Those stops'
    // rounds wait for this one's frames too: a confirm held back is not a lost one.
    const dueMs = nowMs + this.roundMs(this.expectedConfirms() + peers.length + 1);
    for (const other of this.attempts.values()) other.dueMs = Math.max(other.dueMs, dueMs);
    this.attempts.set(ref, { startedMs: nowMs, waiting: new Set(peers), rounds: 0, dueMs });
  }

  confirmed(ref: number, peer: string): void {
    const attempt = this.attempts.get(ref);
    if (!attempt) return;
    attempt.waiting.delete(peer);
    if (attempt.waiting.size === 0) this.attempts.delete(ref);
  }

  /** Forgets a stop (released, or the peer set changed). */
  forget(ref: number): void {
    this.attempts.delete(ref);
  }

  nextDeadlineMs(): number | undefined {
    let next: number | undefined;
    for (const a of this.attempts.values())
      if (next === undefined || a.dueMs < next) next = a.dueMs;
    return next;
  }

  /** The targeted copies due at `nowMs`; schedules the round after them. */
  due(nowMs: number): TargetedEstop[] {
    const out: TargetedEstop[] = [];
    const chased: Attempt[] = [];
    for (const [ref, a] of this.attempts) {
      if (a.dueMs > nowMs) continue;
      const windowEndMs = a.startedMs + this.config.windowMs;
      if (nowMs >= windowEndMs) {
        this.attempts.delete(ref);
        continue;
      }
      if (a.rounds >= this.config.maxRounds) {
        a.dueMs = windowEndMs; // rounds spent: kept till the window ends so repeats do not restart it
        continue;
      }
      a.rounds++;
      for (const peer of a.waiting) out.push({ peer, ref });
      chased.push(a);
    }
    // A targeted round: one e-stop per tractor still silent and every confirm still expected,
    // of this stop and of any other.
    const roundMs = this.roundMs(out.length + this.expectedConfirms());
    for (const a of chased) a.dueMs = nowMs + roundMs;
    return out;
  }

  /** Attempts still open (for tests and metrics). */
  open(): number {
    return this.attempts.size;
  }

  /** Confirms still expected, over every stop being chased. */
  private expectedConfirms(): number {
    let count = 0;
    for (const a of this.attempts.values()) count += a.waiting.size;
    return count;
  }

  private roundMs(frames: number): number {
    return frames * this.config.frameMs + this.config.marginMs;
  }
}
