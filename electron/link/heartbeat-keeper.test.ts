import { describe, expect, it } from 'vitest';
import { HeartbeatKeeper, nextBeat } from './heartbeat-keeper.js';

const timing = { periodMs: 25, maxGapMs: 1_000 };

describe('the station heartbeat schedule', () => {
  it('keeps its fixed schedule when one beat goes out late', () => {
    const keeper = new HeartbeatKeeper('station', timing, 0);
    expect(keeper.take(0, 1)).toBeDefined();
    expect(keeper.dueMs).toBe(25);
    expect(keeper.take(24, 1)).toBeUndefined();
    // Sent 8 ms late: the next is still due at 50, not at 58.
    expect(keeper.take(33, 1)).toBeDefined();
    expect(keeper.dueMs).toBe(50);
  });

  it('never sends two beats closer than half a period, and starts anew after a stall', () => {
    expect(nextBeat(25, 40, 25)).toBe(52.5); // 20 ms late: 50 would follow 10 ms after
    expect(nextBeat(25, 300, 25)).toBe(312.5); // a stall: no burst of the missed beats
    expect(nextBeat(25, 25, 25)).toBe(50);
  });
});
