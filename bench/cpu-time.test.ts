import { describe, expect, it } from 'vitest';
import { parseCpuSeconds } from './cpu-time.js';

describe('cpu time', () => {
  it("adds the process's own and its ended children's ticks, at 100 a second", () => {
    // Fields 14–17 (utime stime cutime cstime) are 250 50 1200 100.
    const stat = '4242 (node) S 1 4242 4242 0 -1 4194304 900 0 0 0 250 50 1200 100 20 0 11 0';
    expect(parseCpuSeconds(stat)).toBe(16);
  });

  it('counts fields from the last parenthesis, whatever the command name holds', () => {
    const stat = '7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 100 0 0 0 20 0 1 0';
    expect(parseCpuSeconds(stat)).toBe(1);
  });

  it('gives nothing for text that is not a stat line', () => {
    expect(parseCpuSeconds('no such process')).toBeUndefined();
    expect(parseCpuSeconds('1 (x) R 1 2')).toBeUndefined();
  });
});
