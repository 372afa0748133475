import { describe, expect, it } from 'vitest';
import type { SwathSegment } from '../sync/index.js';
import { StraightRunBuilder, type StraightRun } from './straight-runs.js';

/** A pass at `bearingDeg` logged every 0.39 m, with every point rounded to whole centimetres. */
function roundedPass(lengthM: number, bearingDeg: number, widthM = 12): SwathSegment[] {
  const step = 0.39;
  const ux = Math.cos((bearingDeg * Math.PI) / 180);
  const uy = Math.sin((bearingDeg * Math.PI) / 180);
  const cm = (v: number): number => Math.round(v * 100) / 100;
  const out: SwathSegment[] = [];
  for (let m = 0; m + step <= lengthM; m += step)
    out.push({
      tMs: m * 100,
      durationMs: 100,
      x0M: cm(10 + m * ux),
      y0M: cm(-5 + m * uy),
      x1M: cm(10 + (m + step) * ux),
      y1M: cm(-5 + (m + step) * uy),
      widthM,
    });
  return out;
}

function runsOf(segments: readonly SwathSegment[], tractorId = 't1'): StraightRun[] {
  const builder = new StraightRunBuilder();
  const out: StraightRun[] = [];
  for (const s of segments) {
    const done = builder.add(tractorId, s);
    if (done) out.push(done);
  }
  return [...out, ...builder.flush()];
}

describe('StraightRunBuilder', () => {
  it('joins a straight pass logged in rounded centimetres into one run from its start to its end', () => {
    const pass = roundedPass(200, 3.7);
    const runs = runsOf(pass);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.start).toEqual([pass[0]?.x0M, pass[0]?.y0M]);
    expect(runs[0]?.end).toEqual([pass.at(-1)?.x1M, pass.at(-1)?.y1M]);
  });

  it('starts a new run where the path bends by more than the log resolution', () => {
    const out = roundedPass(100, 0);
    const last = out.at(-1)!;
    // Turn by 2°: 100 m on, the path is 3.5 m off the first line.
    const back = roundedPass(100, 2).map((s) => ({
      ...s,
      x0M: s.x0M - 10 + last.x1M,
      x1M: s.x1M - 10 + last.x1M,
      y0M: s.y0M + 5 + last.y1M,
      y1M: s.y1M + 5 + last.y1M,
    }));
    expect(runsOf([...out, ...back])).toHaveLength(2);
  });

  it('starts a new run at a gap and at a width change, and keeps tractors apart', () => {
    const pass = roundedPass(50, 0);
    const gap = pass.map((s, i) => (i > 60 ? { ...s, x0M: s.x0M + 1, x1M: s.x1M + 1 } : s));
    expect(runsOf(gap)).toHaveLength(2);
    const wider = pass.map((s, i) => (i > 60 ? { ...s, widthM: 6 } : s));
    expect(runsOf(wider)).toHaveLength(2);
    const builder = new StraightRunBuilder();
    const half = Math.floor(pass.length / 2);
    pass.forEach((s, i) => builder.add(i < half ? 'a' : 'b', s));
    expect(builder.flush().map((r) => r.tractorId)).toEqual(['a', 'b']);
  });
});
