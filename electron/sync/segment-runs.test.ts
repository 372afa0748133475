import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SwathSegment } from './coverage-codec.js';
import { SegmentRuns } from './segment-runs.js';

/** A piece of the swath along y = `y`, from x0 to x1, reported at `tMs` (1 s nominal). */
function piece(x0: number, x1: number, tMs: number, y = 0, widthM = 12): SwathSegment {
  return { tMs, durationMs: 1_000, x0M: x0, y0M: y, x1M: x1, y1M: y, widthM };
}

describe('SegmentRuns', () => {
  it('joins consecutive pieces of one straight run and writes it when the swath changes', () => {
    const runs = new SegmentRuns();
    expect(runs.add(piece(0, 5, 0))).toEqual([]);
    expect(runs.add(piece(5, 10, 2_000))).toEqual([]);
    expect(runs.add(piece(10, 15, 4_000))).toEqual([]);
    // The next swath, 12 m over: the run so far closes, whole.
    expect(runs.add(piece(15, 10, 6_000, 12))).toEqual([
      { tMs: 0, durationMs: 5_000, x0M: 0, y0M: 0, x1M: 15, y1M: 0, widthM: 12 },
    ]);
    expect(runs.takeAll()).toEqual([piece(15, 10, 6_000, 12)]);
    expect(runs.takeAll()).toEqual([]);
  });

  it('closes a run that spans the longest time, on the next piece or when due', () => {
    const runs = new SegmentRuns({ toleranceM: 0.05, maxRunMs: 10_000 });
    runs.add(piece(0, 5, 0));
    runs.add(piece(5, 10, 4_000));
    expect(runs.dueAtMs).toBe(10_000);
    expect(runs.takeDue(9_999)).toEqual([]);
    expect(runs.add(piece(10, 15, 9_500))).toHaveLength(1);
    expect(runs.takeDue(19_499)).toEqual([]);
    expect(runs.takeDue(19_500)).toEqual([piece(10, 15, 9_500)]);
    expect(runs.dueAtMs).toBeNull();
  });

  it('keeps apart what is not one straight run: a gap, a turn back, a bend, another width, an earlier time', () => {
    const cases: SwathSegment[] = [
      piece(5.2, 10, 2_000),
      piece(5, 0.5, 2_000),
      { ...piece(5, 10, 2_000), y1M: 0.3 },
      piece(5, 10, 2_000, 0, 6),
      piece(5, 10, -60_000), // the wall clock was set back
    ];
    for (const next of cases) {
      const runs = new SegmentRuns();
      runs.add(piece(0, 5, 0));
      expect(runs.add(next)).toEqual([piece(0, 5, 0)]);
    }
  });

  it('never loses or adds ground: runs cover exactly the pieces, in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lengthM: fc.integer({ min: 1, max: 20 }),
            jump: fc.boolean(),
            gapMs: fc.integer({ min: 500, max: 6_000 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          const runs = new SegmentRuns();
          const out: SwathSegment[] = [];
          let x = 0;
          let y = 0;
          let t = 0;
          let total = 0;
          for (const s of steps) {
            if (s.jump) y += 12;
            t += s.gapMs;
            out.push(...runs.add(piece(x, x + s.lengthM, t, y)));
            x += s.lengthM;
            total += s.lengthM;
            out.push(...runs.takeDue(t));
          }
          out.push(...runs.takeAll());
          const length = out.reduce((n, r) => n + Math.hypot(r.x1M - r.x0M, r.y1M - r.y0M), 0);
          expect(length).toBeCloseTo(total, 6);
          for (const r of out) expect(r.durationMs).toBeLessThanOrEqual(10_000);
          for (let i = 1; i < out.length; i++)
            expect(out[i]!.tMs).toBeGreaterThanOrEqual(out[i - 1]!.tMs);
          expect(out.length).toBeLessThanOrEqual(steps.length);
        },
      ),
    );
  });
});
