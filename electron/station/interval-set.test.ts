import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalSet } from './interval-set.js';

describe('IntervalSet', () => {
  it('counts ground driven twice only once', () => {
    const set = new IntervalSet();
    expect(set.add(0, 10)).toBe(10);
    expect(set.add(5, 15)).toBe(5);
    expect(set.add(0, 15)).toBe(0);
    expect(set.totalLength()).toBe(15);
    expect(set.toArray()).toEqual([[0, 15]]);
  });

  it('accepts intervals given backwards', () => {
    const set = new IntervalSet([[20, 10]]);
    expect(set.toArray()).toEqual([[10, 20]]);
  });

  it('equals the measure of the union for any intervals, and never shrinks', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }));
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), (intervals) => {
        const set = new IntervalSet();
        const covered = new Set<number>();
        let previous = 0;
        for (const [a, b] of intervals) {
          set.add(a, b);
          for (let x = Math.min(a, b); x < Math.max(a, b); x++) covered.add(x);
          expect(set.totalLength()).toBeGreaterThanOrEqual(previous);
          previous = set.totalLength();
        }
        expect(set.totalLength()).toBe(covered.size);
        const parts = set.toArray();
        for (let i = 1; i < parts.length; i++)
          expect(parts[i]![0]).toBeGreaterThan(parts[i - 1]![1]);
      }),
    );
  });
});
