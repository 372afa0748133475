import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { HybridLogicalClock, compareHlc, hlcKey } from './hlc.js';

describe('HybridLogicalClock', () => {
  it('stays monotone when the wall clock stalls and orders after stamps it observed', () => {
    const clock = new ManualClock();
    const hlc = new HybridLogicalClock(clock);
    const a = hlc.now();
    const b = hlc.now();
    expect(compareHlc(b, a)).toBeGreaterThan(0);
    const remote = { wallMs: a.wallMs + 60_000, counter: 3 }; // a station whose clock runs ahead
    hlc.observe(remote);
    const c = hlc.now();
    expect(compareHlc(c, remote)).toBeGreaterThan(0);
    expect(hlcKey(c) > hlcKey(remote)).toBe(true);
    clock.advance(120_000);
    expect(hlc.now()).toEqual({ wallMs: clock.wallNow(), counter: 0 });
  });
});
