import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoverageCodecError,
  type SwathSegment,
  batchSegmentCount,
  decodeSegments,
  encodeSegments,
} from './coverage-codec.js';
import { CoverageRecorder } from './coverage-recorder.js';

const cm = fc.integer({ min: -5_000_000, max: 5_000_000 }).map((v) => v / 100);
const segmentArb: fc.Arbitrary<SwathSegment> = fc.record({
  tMs: fc.integer({ min: 0, max: 2 ** 45 }),
  durationMs: fc.integer({ min: 0, max: 3_600_000 }),
  x0M: cm,
  y0M: cm,
  x1M: cm,
  y1M: cm,
  widthM: fc.integer({ min: 0, max: 5_000 }).map((v) => v / 100),
});

describe('coverage codec', () => {
  it('round-trips any batch at centimetre resolution', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { minLength: 1, maxLength: 50 }), (segments) => {
        const bytes = encodeSegments(segments);
        expect(decodeSegments(bytes)).toEqual(segments);
        expect(batchSegmentCount(bytes)).toBe(segments.length);
      }),
    );
  });

  it('packs a straight 10 s swath segment in under 25 bytes', () => {
    const bytes = encodeSegments([
      {
        tMs: 1_780_000_000_000,
        durationMs: 10_000,
        x0M: 123.45,
        y0M: 678.9,
        x1M: 148.45,
        y1M: 678.92,
        widthM: 6,
      },
    ]);
    expect(bytes.byteLength).toBeLessThan(25);
  });

  it('rejects truncated, trailing and random bytes with a typed error', () => {
    const good = encodeSegments([
      { tMs: 5, durationMs: 1, x0M: 1, y0M: 2, x1M: 3, y1M: 4, widthM: 6 },
    ]);
    expect(() => decodeSegments(good.subarray(0, good.length - 1))).toThrow(CoverageCodecError);
    expect(() => decodeSegments(new Uint8Array([...good, 0]))).toThrow(CoverageCodecError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeSegments(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(CoverageCodecError);
        }
      }),
    );
  });
});

describe('CoverageRecorder', () => {
  it('turns a straight 1 Hz run into one segment per bounded stretch and splits at turns', () => {
    const out: SwathSegment[] = [];
    const rec = new CoverageRecorder((s) => out.push(s), {
      toleranceM: 0.05,
      maxSegmentMs: 10_000,
    });
    for (let t = 0; t <= 20; t++)
      rec.add({
        tMs: t * 1000,
        xM: t * 2.5,
        yM: t % 2 === 0 ? 0.01 : -0.01,
        widthM: 6,
        working: true,
      });
    // Turn: heading north now.
    for (let t = 1; t <= 4; t++)
      rec.add({ tMs: (20 + t) * 1000, xM: 50, yM: t * 2.5, widthM: 6, working: true });
    rec.add({ tMs: 25_000, xM: 50, yM: 12.5, widthM: 6, working: false });
    expect(out.map((s) => [s.tMs, s.durationMs])).toEqual([
      [0, 10_000],
      [10_000, 10_000],
      [20_000, 4_000],
    ]);
    expect(out[2]).toMatchObject({ x0M: 50, y0M: 0.01, x1M: 50, y1M: 10 });
  });
});
