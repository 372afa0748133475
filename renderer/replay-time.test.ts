import { describe, expect, it } from 'vitest';
import { formatReplayTime } from './replay-time.js';

describe('formatReplayTime', () => {
  it('shows minutes and seconds under an hour, hours beyond', () => {
    expect(formatReplayTime(0)).toBe('0:00');
    expect(formatReplayTime(61_999)).toBe('1:01');
    expect(formatReplayTime(4 * 3600_000 + 5 * 60_000 + 9_000)).toBe('4:05:09');
  });
});
