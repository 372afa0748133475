import { describe, expect, it } from 'vitest';
import { ORDER_SLICE_MS, OrderQueue } from './order-queue.js';

describe('the core’s queue of the main thread’s orders', () => {
  it('runs a burst in order, in slices, giving the loop a turn between them', () => {
    let nowMs = 0;
    const deferred: (() => void)[] = [];
    const ran: number[] = [];
    const queue = new OrderQueue(
      (order) => {
        ran.push(order as number);
        nowMs += 1; // each order costs 1 ms
      },
      () => nowMs,
      (fn) => deferred.push(fn),
    );
    for (let i = 0; i < 23; i++) queue.push(i);
    expect(ran).toEqual([]);
    expect(deferred).toHaveLength(1);
    const slices: number[] = [];
    while (deferred.length > 0) {
      const before = ran.length;
      deferred.shift()?.();
      slices.push(ran.length - before);
    }
    expect(ran).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(Math.max(...slices)).toBeLessThanOrEqual(ORDER_SLICE_MS);
    expect(slices.length).toBeGreaterThanOrEqual(Math.ceil(23 / ORDER_SLICE_MS));
    expect(queue.length).toBe(0);
    // Empty again: the next order is scheduled anew.
    queue.push(99);
    expect(deferred).toHaveLength(1);
  });
});
