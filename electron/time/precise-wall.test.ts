import { afterEach, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { machineMonotonicMs, preciseWallNow } from './precise-wall.js';

afterEach(() => vi.restoreAllMocks());

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* wait */
  }
}

describe('preciseWallNow', () => {
  it('tells times apart within one millisecond and stays with the wall clock', () => {
    const stamps: number[] = [];
    for (let i = 0; i < 200; i++) {
      stamps.push(preciseWallNow());
      spin(0.05);
    }
    const fractions = new Set(stamps.map((t) => Math.floor(t) !== t));
    expect(fractions.has(true)).toBe(true);
    // More distinct stamps than whole milliseconds passed: Date.now() could not do this.
    const wholeMs = new Set(stamps.map((t) => Math.floor(t))).size;
    expect(new Set(stamps).size).toBeGreaterThan(wholeMs * 2);
    for (let i = 1; i < stamps.length; i++)
      expect(stamps[i]!).toBeGreaterThanOrEqual(stamps[i - 1]!);
    expect(Math.abs(preciseWallNow() - Date.now())).toBeLessThanOrEqual(2);
  });

  it('follows the system clock when it is set, forwards and back', () => {
    const real = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => real() + 10_000);
    expect(preciseWallNow() - real()).toBeGreaterThan(9_998);
    vi.spyOn(Date, 'now').mockImplementation(() => real() - 5_000);
    expect(real() - preciseWallNow()).toBeGreaterThan(4_998);
    vi.restoreAllMocks();
    expect(Math.abs(preciseWallNow() - Date.now())).toBeLessThanOrEqual(2);
  });
});

describe("the machine's monotonic clock", () => {
  it('reads the same in another process, whatever its start', () => {
    const before = machineMonotonicMs();
    const child = Number(
      execFileSync(process.execPath, ['-e', 'console.log(Number(process.hrtime.bigint()) / 1e6)'], {
        encoding: 'utf8',
      }),
    );
    const after = machineMonotonicMs();
    expect(child).toBeGreaterThan(before);
    expect(child).toBeLessThan(after);
    // performance.now() starts at each process's start: far from this clock's reading.
    expect(Math.abs(performance.now() - before)).toBeGreaterThan(1_000);
  });
});
