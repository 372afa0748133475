import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frame-queue.js';

const frame = (id: number) => ({
  frame: { id, data: new Uint8Array(8), extended: true },
  enqueuedMs: id,
});

describe('a transmit buffer', () => {
  it('hands frames over in order and keeps none it handed over once drained', () => {
    const q = new FrameQueue();
    for (let i = 0; i < 700; i++) q.push(frame(i));
    const out: number[] = [];
    for (let e = q.shift(); e; e = q.shift()) out.push(e.frame.id);
    expect(out).toEqual(Array.from({ length: 700 }, (_, i) => i));
    expect(q.size).toBe(0);
    expect(q.held).toBe(0);
  });

  it('drops sent entries of a queue that never drains', () => {
    const q = new FrameQueue();
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) q.push(frame(next++));
      for (let i = 0; i < 99; i++) q.shift();
    }
    expect(q.size).toBe(50);
    expect(q.held).toBeLessThanOrEqual(2 * 1024 + 100);
    expect(q.peek()?.frame.id).toBe(next - 50);
  });

  it('removes the queued frames that match and keeps the order of the rest', () => {
    const q = new FrameQueue();
    for (let i = 0; i < 10; i++) q.push(frame(i));
    q.shift();
    expect(q.discard((f) => f.id % 2 === 0)).toBe(4);
    const left: number[] = [];
    for (let e = q.shift(); e; e = q.shift()) left.push(e.frame.id);
    expect(left).toEqual([1, 3, 5, 7, 9]);
  });
});
