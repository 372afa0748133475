/**
 * How the safety trials wait (bench/safety-trials.ts). On the real clock a wait is a timer and
 * a poll looks every millisecond. On a ManualClock (bus time, the code's own floor) a wait
 * steps the clock a millisecond at a time, letting promise callbacks run between steps, so the
 * stations, tractors and virtual bus do exactly what they would with no CPU time spent.
 */
import type { Clock, ManualClock } from '../electron/time/index.js';

export interface Pace {
  readonly kind: 'real' | 'bus time';
  readonly clock: Clock;
  sleep(ms: number): Promise<void>;
  /** Polls `check` every `everyMs` until it holds or `timeoutMs` has passed. */
  poll(check: () => boolean, timeoutMs: number, everyMs?: number): Promise<boolean>;
}

export const sleepReal = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function realPace(clock: Clock): Pace {
  return {
    kind: 'real',
    clock,
    sleep: sleepReal,
    async poll(check, timeoutMs, everyMs = 1) {
      const deadline = performance.now() + timeoutMs;
      while (!check()) {
        if (performance.now() > deadline) return false;
        await sleepReal(everyMs);
      }
      return true;
    },
  };
}

/** Promise turns after each simulated millisecond (as the rejoin benchmark steps its system). */
const TURNS_PER_STEP = 4;

export function busTimePace(clock: ManualClock): Pace {
  const step = async (): Promise<void> => {
    clock.advance(1);
    for (let i = 0; i < TURNS_PER_STEP; i++) await Promise.resolve();
  };
  return {
    kind: 'bus time',
    clock,
    async sleep(ms) {
      for (let t = 0; t < ms; t++) await step();
    },
    async poll(check, timeoutMs) {
      const deadline = clock.now() + timeoutMs;
      while (!check()) {
        if (clock.now() > deadline) return false;
        await step();
      }
      return true;
    },
  };
}
