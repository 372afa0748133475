import { describe, expect, it } from 'vitest';
import { shareUnchanged } from './share-unchanged.js';

describe('sharing the unchanged parts of a new snapshot', () => {
  it('returns the previous object when the new one is equal throughout', () => {
    const previous = { a: [1, 2, [3, 4]], b: { c: 'x', d: null } };
    const next = { a: [1, 2, [3, 4]], b: { c: 'x', d: null } };
    expect(shareUnchanged(previous, next)).toBe(previous);
  });

  it('keeps the identity of unchanged branches and takes the changed values', () => {
    const previous = { field: { rings: [[[1, 2]]] }, tractors: [{ id: 't1', x: 1 }], seq: 1 };
    const next = { field: { rings: [[[1, 2]]] }, tractors: [{ id: 't1', x: 2 }], seq: 2 };
    const shared = shareUnchanged(previous, next);
    expect(shared).not.toBe(previous);
    expect(shared).toEqual(next);
    expect(shared.field).toBe(previous.field);
    expect(shared.tractors).not.toBe(previous.tractors);
    expect(shared.tractors[0]?.x).toBe(2);
  });

  it('shares the equal elements of an array that grew', () => {
    const ring = (x: number) => [
      [x, 0],
      [x + 1, 0],
      [x + 1, 1],
    ];
    const previous = { done: [ring(0), ring(5)] };
    const next = { done: [ring(0), ring(5), ring(9)] };
    const shared = shareUnchanged(previous, next);
    expect(shared.done).not.toBe(previous.done);
    expect(shared.done[0]).toBe(previous.done[0]);
    expect(shared.done[1]).toBe(previous.done[1]);
    expect(shared.done[2]).toEqual(ring(9));
  });

  it('sees a key that appeared, disappeared or changed type', () => {
    const previous: Record<string, unknown> = { a: 1, b: [1] };
    expect(shareUnchanged(previous, { a: 1, c: [1] })).toEqual({ a: 1, c: [1] });
    expect(shareUnchanged(previous, { a: 1 })).toEqual({ a: 1 });
    expect(shareUnchanged(previous, { a: 1, b: { 0: 1 } })).toEqual({ a: 1, b: { 0: 1 } });
    expect(shareUnchanged({ a: null }, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
  });

  it('takes the new snapshot whole when there is no previous one', () => {
    const next = { a: [1] };
    expect(shareUnchanged(null, next)).toBe(next);
  });
});
