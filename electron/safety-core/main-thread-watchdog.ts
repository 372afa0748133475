/**
 * The safety core's watch on the station's main thread (docs/safety.md, "The safety core"): the
 * core keeps its heartbeats and stops going whatever the main thread does, but machines must not
 * go on working a job nobody supervises. Once armed (the station has started and said it is
 * alive), a silence longer than the bound holds the fleet, once per silence; the next word from
 * the main thread ends the silence. A core whose own loop stalled has not yet read the words
 * queued behind the stall, so a late look does not judge (StallGuard); the next one does.
 */
import { StallGuard } from '../time/index.js';

export class MainThreadWatchdog {
  /** Null until the main thread first says it is alive. */
  private lastAnsweredMs: number | null = null;
  private held = false;
  private readonly stall = new StallGuard();

  constructor(private readonly silenceMs: number) {}

  /** The main thread said something (any message counts). */
  answered(nowMs: number): void {
    this.lastAnsweredMs = nowMs;
    this.held = false;
  }

  /**
   * A look due at `dueMs`, taken at `nowMs`: the silence to act on (once per silence), or null.
   */
  check(dueMs: number, nowMs: number): number | null {
    this.stall.ran(dueMs, nowMs);
    if (this.lastAnsweredMs === null || this.held || !this.stall.judging(nowMs)) return null;
    const silentMs = nowMs - this.lastAnsweredMs;
    if (silentMs <= this.silenceMs) return null;
    this.held = true;
    return silentMs;
  }
}
