/**
 * Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014). Stamps are
 * close to wall time, yet an event that causally follows another always gets a larger stamp,
 * even when the writers' wall clocks disagree. Assignment conflicts are ordered by
 * (stamp, station id) with it instead of by Yjs client id (which no operator would accept).
 */
import type { Clock } from '../time/index.js';
import type { HlcStamp } from './schema.js';

const MAX_COUNTER = 0xffff;

export function compareHlc(a: HlcStamp, b: HlcStamp): number {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  return a.counter - b.counter;
}

export class HybridLogicalClock {
  private last: HlcStamp = { wallMs: 0, counter: 0 };

  constructor(private readonly clock: Clock) {}

  /** A stamp for a local event, greater than every stamp issued or observed so far. */
  now(): HlcStamp {
    const wallMs = Math.floor(this.clock.wallNow());
    if (wallMs > this.last.wallMs) this.last = { wallMs, counter: 0 };
    else this.last = this.bump(this.last);
    return this.last;
  }

  /** Folds in a stamp seen in a remote write so later local stamps order after it. */
  observe(remote: HlcStamp): void {
    if (compareHlc(remote, this.last) > 0)
      this.last = { wallMs: remote.wallMs, counter: remote.counter };
  }

  private bump(s: HlcStamp): HlcStamp {
    // The counter is bounded by the schema; on overflow borrow a millisecond (still monotone).
    return s.counter >= MAX_COUNTER
      ? { wallMs: s.wallMs + 1, counter: 0 }
      : { wallMs: s.wallMs, counter: s.counter + 1 };
  }
}

/** A sortable text form, used in claim keys: fixed width so string order is stamp order. */
export function hlcKey(s: HlcStamp): string {
  return `${s.wallMs.toString().padStart(15, '0')}.${s.counter.toString().padStart(5, '0')}`;
}
