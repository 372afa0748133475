/**
 * Time is injected everywhere in the core so tests and simulations run faster than real time
 * and deterministically (docs/architecture.md, "Time"). Protocol engines take a Clock in their
 * constructor; nothing in the core calls Date.now() or performance.now() directly.
 */
import { preciseWallNow } from './precise-wall.js';

export interface Clock {
  /** Monotonic milliseconds; only differences are meaningful. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch, for records and logs. */
  wallNow(): number;
  /**
   * Wall-clock milliseconds with sub-millisecond resolution (a fraction), for frame timestamps;
   * `wallNow()` where the clock has nothing finer.
   */
  wallNowPrecise?(): number;
  /** Runs `fn` once after `delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
  /**
   * Runs `fn` in a later turn of the event loop, after the input that is waiting (a frame that
   * arrived meanwhile) has been handled. A clock without real input (ManualClock) leaves it out,
   * and callers then do the work at once.
   */
  afterPendingInput?(fn: () => void): void;
}

export interface SystemClockOptions {
  /**
   * Timers do not keep the process alive (Node's `unref`): a station lives as long as it serves
   * (its HTTP server, its window) and a start that failed exits even if a timer was left set.
   */
  unref?: boolean;
}

/** The real clock, used by the running station and by benchmarks. */
export class SystemClock implements Clock {
  private readonly unref: boolean;

  constructor(options: SystemClockOptions = {}) {
    this.unref = options.unref ?? false;
  }

  now(): number {
    return performance.now();
  }

  wallNow(): number {
    return Date.now();
  }

  wallNowPrecise(): number {
    return preciseWallNow();
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    if (this.unref) handle.unref();
    return () => clearTimeout(handle);
  }

  afterPendingInput(fn: () => void): void {
    // Node polls for I/O between one turn's immediates and the next.
    setImmediate(fn);
  }
}

interface PendingTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires due timers in time order (ties in
 * the order they were set), so a simulation of minutes runs in milliseconds and always the same.
 */
export class ManualClock implements Clock {
  private nowMs: number;
  private readonly epochMs: number;
  private nextId = 0;
  private timers: PendingTimer[] = [];

  constructor(startMs = 0, epochMs = Date.UTC(2026, 0, 1)) {
    this.nowMs = startMs;
    this.epochMs = epochMs;
  }

  now(): number {
    return this.nowMs;
  }

  wallNow(): number {
    return this.epochMs + this.nowMs;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const timer: PendingTimer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t.id !== timer.id);
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const targetMs = this.nowMs + ms;
    for (;;) {
      const next = this.earliestDue(targetMs);
      if (!next) break;
      this.timers = this.timers.filter((t) => t.id !== next.id);
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      next.fn();
    }
    this.nowMs = targetMs;
  }

  /**
   * Moves time forward by `ms` without firing anything, as if the process had been busy: the
   * timers that fell due fire late, at the new time, on the next `advance`.
   */
  stall(ms: number): void {
    this.nowMs += ms;
  }

  /** Number of timers not yet fired. */
  pendingTimers(): number {
    return this.timers.length;
  }

  private earliestDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.dueMs > limitMs) continue;
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    }
    return best;
  }
}
