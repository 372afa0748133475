/**
 * A simulated machine's watch on the station's heartbeat: how long the station has been silent,
 * and the moment that silence reaches STATION_SILENCE_STOP_MS (docs/safety.md), when the machine
 * stops on its own. On a clock one timer fires at that moment, so the stop does not wait for the
 * next simulation step; without one the silence is counted in steps. A simulated machine shares
 * the station's process, so a stall of the process (a step or timer far too late) is not radio
 * silence: the stop then waits for the next look (StallGuard).
 */
import { STATION_SILENCE_STOP_MS } from '../link/index.js';
import { StallGuard, type Clock } from '../time/index.js';

/** Timer rounding the silence watch tolerates (ms). */
const SILENCE_EPSILON_MS = 0.001;

export class StationSilenceWatch {
  /** Time since the station's last heartbeat, counted in steps. */
  private silentMs = 0;
  /** When the station's last heartbeat arrived (on the clock). */
  private heardAtMs: number;
  private heard = false;
  private longestMs = 0;
  private readonly stall = new StallGuard();
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock | undefined,
    /** The simulation step (ms): a step is due this long after the one before. */
    private readonly stepMs: number,
    /** The silence has lasted too long, as the timer saw it (not called from `stepped`). */
    private readonly onSilence: () => void,
  ) {
    this.heardAtMs = clock?.now() ?? 0;
  }

  /** The longest time between two station heartbeats heard (since the first). */
  get longestSilenceMs(): number {
    return this.longestMs;
  }

  /** A station heartbeat arrived: the deadline moves on. */
  heartbeat(): void {
    const now = this.clock?.now() ?? 0;
    if (this.heard) this.longestMs = Math.max(this.longestMs, now - this.heardAtMs);
    this.heard = true;
    this.silentMs = 0;
    this.heardAtMs = now;
    this.watch();
  }

  /**
   * The machine stepped `dtS` seconds. True when the station has been silent too long and it may
   * be judged now. On a clock the silence is exact; counted in whole steps it would run up to a
   * step ahead.
   */
  stepped(dtS: number): boolean {
    this.silentMs += dtS * 1000;
    const now = this.clock?.now();
    if (now !== undefined) this.stall.ran(now - dtS * 1000 + this.stepMs, now);
    const silentMs = now !== undefined ? now - this.heardAtMs : this.silentMs;
    return silentMs > STATION_SILENCE_STOP_MS && (now === undefined || this.stall.judging(now));
  }

  /**
   * One timer at the moment the station's silence reaches STATION_SILENCE_STOP_MS (moved on,
   * not re-armed, when heartbeats keep coming), so the stop does not wait for the next step.
   * A machine standing still when it fires is held by the per-step check if it is set moving.
   */
  watch(): void {
    const clock = this.clock;
    if (!clock || this.cancelTimer) return;
    const firesAtMs = this.stall.judgingFrom(this.heardAtMs + STATION_SILENCE_STOP_MS);
    this.cancelTimer = clock.setTimer(firesAtMs - clock.now(), () => {
      this.cancelTimer = undefined;
      const now = clock.now();
      this.stall.ran(firesAtMs, now);
      // A heartbeat since the timer was set moved the deadline on (times are fractional on the
      // bus, so "on time" is within a microsecond: never re-arm for a rounding error).
      const leftMs = this.heardAtMs + STATION_SILENCE_STOP_MS - now;
      if (leftMs > SILENCE_EPSILON_MS || !this.stall.judging(now)) this.watch();
      else this.onSilence();
    });
  }

  dispose(): void {
    this.cancelTimer?.();
  }
}
