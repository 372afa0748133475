import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { frameBitCount, frameTimeMs, worstCaseFrameBits } from './frame-timing.js';
import { arbitraryFrame, extFrame, stdFrame } from './test-helpers/frames.js';

describe('frame timing', () => {
  it('budgets 160 bits for an 8-byte extended frame with worst-case stuffing', () => {
    expect(worstCaseFrameBits(8, true)).toBe(160);
  });

  it('counts 131 bits plus stuffing for an 8-byte extended frame', () => {
    const bits = frameBitCount(
      extFrame(0x18eeff80, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa),
    );
    expect(bits).toBeGreaterThanOrEqual(131);
    expect(bits).toBeLessThanOrEqual(160);
  });

  it('adds stuff bits for long runs of equal bits', () => {
    const zeros = frameBitCount(extFrame(0, 0, 0, 0, 0, 0, 0, 0, 0));
    const alternating = frameBitCount(
      extFrame(0x0aaaaaaa, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55),
    );
    expect(zeros).toBeGreaterThan(alternating);
  });

  it('never exceeds the worst case for any frame', () => {
    fc.assert(
      fc.property(arbitraryFrame, (f) => {
        const bits = frameBitCount(f);
        const base = (f.extended ? 67 : 47) + 8 * f.data.length;
        return bits >= base && bits <= worstCaseFrameBits(f.data.length, f.extended);
      }),
    );
  });

  it('takes about half a millisecond for a full extended frame at 250 kbit/s', () => {
    const ms = frameTimeMs(extFrame(0x18fef100, 1, 2, 3, 4, 5, 6, 7, 8));
    expect(ms).toBeGreaterThanOrEqual(0.524);
    expect(ms).toBeLessThanOrEqual(0.64);
    expect(frameTimeMs(stdFrame(0x123), 500_000)).toBeLessThan(
      frameTimeMs(stdFrame(0x123), 250_000),
    );
  });
});
