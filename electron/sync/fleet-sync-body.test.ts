import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_PIECE_BYTES, PieceReassembler, encodePieces } from './fleet-sync-body.js';
import { SyncBudget } from './sync-budget.js';

function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

function roundTrip(message: Uint8Array): { pieces: Uint8Array[]; out: Uint8Array[] } {
  const pieces = encodePieces(message);
  const r = new PieceReassembler();
  const out = pieces.map((p) => r.push(p)).filter((m): m is Uint8Array => m !== undefined);
  return { pieces, out };
}

describe('fleet sync bodies', () => {
  it('cuts a large message into TP-sized pieces and joins them back', () => {
    const message = noise(10_000);
    const { pieces, out } = roundTrip(message);
    expect(pieces.length).toBe(Math.ceil(10_000 / MAX_PIECE_BYTES));
    expect(pieces.every((p) => p.byteLength <= MAX_PIECE_BYTES + 1)).toBe(true);
    expect(out).toEqual([message]);
  });

  it('deflates what compresses and leaves small messages alone', () => {
    const repetitive = new Uint8Array(5_000).fill(7);
    const { pieces, out } = roundTrip(repetitive);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.byteLength).toBeLessThan(100);
    expect(out).toEqual([repetitive]);
    const small = Uint8Array.of(0, 2, 1, 0);
    expect(roundTrip(small).pieces[0]!.byteLength).toBe(5);
    expect(roundTrip(new Uint8Array()).out).toEqual([new Uint8Array()]);
  });

  it('refuses a deflate bomb and bad encodings as empty (malformed) messages', () => {
    const bomb = deflateRawSync(new Uint8Array(2_000_000));
    const piece = new Uint8Array(bomb.byteLength + 1);
    piece[0] = 0x40 | 1;
    piece.set(bomb, 1);
    expect(new PieceReassembler(1_000_000).push(piece)).toEqual(new Uint8Array());
    expect(new PieceReassembler().push(Uint8Array.of(0x40 | 1, 1, 2, 3))).toEqual(new Uint8Array());
    expect(new PieceReassembler().push(Uint8Array.of(0x40 | 3, 1))).toEqual(new Uint8Array());
  });

  it('skips the rest of a message whose first piece it never saw', () => {
    const a = encodePieces(noise(4_000, 2));
    const b = noise(50, 3);
    const r = new PieceReassembler();
    expect(r.push(a[1]!)).toBeUndefined();
    expect(r.push(a[2]!)).toBeUndefined();
    expect(r.push(encodePieces(b)[0]!)).toEqual(b);
  });
});

describe('sync budget', () => {
  it('serves waiting state-vector exchanges before routine updates, each class in turn', () => {
    const budget = new SyncBudget(1);
    const woken: string[] = [];
    const waiter = (name: string) => () => {
      woken.push(name);
      budget.tryTake();
    };
    expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
    const u1 = waiter('update-1');
    const u2 = waiter('update-2');
    const c1 = waiter('catch-up');
    budget.wait(u1);
    budget.wait(u2);
    budget.wait(c1, true);
    budget.give();
    budget.give();
    budget.give();
    expect(woken).toEqual(['catch-up', 'update-1', 'update-2']);
  });
});
