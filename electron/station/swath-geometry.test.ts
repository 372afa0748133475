import { describe, expect, it } from 'vitest';
import { onSwath, splitAtSwaths } from './swath-geometry.js';

const north = {
  start: [0, 0] as [number, number],
  end: [0, 100] as [number, number],
  lengthM: 100,
};
const further = {
  start: [0, 100] as [number, number],
  end: [0, 200] as [number, number],
  lengthM: 100,
};

describe('onSwath', () => {
  it('gives the metres along the swath a segment on its line covers, clipped to the swath', () => {
    expect(onSwath(north, [0.1, 20], [-0.1, 130])).toEqual([20, 100]);
    expect(onSwath(north, [1, 20], [1, 30])).toBeNull(); // a metre off the line
  });
});

describe('splitAtSwaths', () => {
  it('cuts a run that passes from one swath to the next on the same line where they meet', () => {
    const run = { x0M: 0, y0M: 50, x1M: 0, y1M: 150, tractorId: 't1' };
    const pieces = splitAtSwaths(run, [north, further]);
    expect(pieces).toHaveLength(2);
    const [first, second] = pieces;
    expect(first?.y0M).toBeCloseTo(50);
    expect(first?.y1M).toBeLessThan(100);
    expect(first?.y1M).toBeCloseTo(100, 2);
    expect(second?.y0M).toBeGreaterThan(100);
    expect(second?.y1M).toBeCloseTo(150);
    // Each piece lies on exactly one swath, and keeps the run's other fields.
    expect(onSwath(further, [0, first?.y0M ?? 0], [0, first?.y1M ?? 0])).toBeNull();
    expect(onSwath(north, [0, second?.y0M ?? 0], [0, second?.y1M ?? 0])).toBeNull();
    expect(second?.tractorId).toBe('t1');
  });

  it('keeps the direction of a run driven the other way in each piece', () => {
    const pieces = splitAtSwaths({ x0M: 0, y0M: 150, x1M: 0, y1M: 50 }, [north, further]);
    expect(pieces).toHaveLength(2);
    for (const piece of pieces) expect(piece.y1M).toBeLessThan(piece.y0M);
    expect(pieces.map((p) => Math.max(p.y0M, p.y1M)).sort((a, b) => b - a)[0]).toBeCloseTo(150);
    expect(pieces.map((p) => Math.min(p.y0M, p.y1M)).sort((a, b) => a - b)[0]).toBeCloseTo(50);
  });

  it('returns a segment on one swath, or on none, unchanged', () => {
    const inside = { x0M: 0, y0M: 10, x1M: 0, y1M: 40 };
    expect(splitAtSwaths(inside, [north, further])).toEqual([inside]);
    const off = { x0M: 5, y0M: 10, x1M: 5, y1M: 140 };
    expect(splitAtSwaths(off, [north, further])).toEqual([off]);
  });
});
