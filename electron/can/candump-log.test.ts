import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CandumpParseError,
  formatCandumpLine,
  formatCandumpLog,
  parseCandumpLine,
  parseCandumpLog,
} from './candump-log.js';
import { arbitraryFrame, extFrame, sameFrame, stdFrame } from './test-helpers/frames.js';

describe('candump log', () => {
  it('writes the candump -l line format', () => {
    const line = formatCandumpLine(
      { ...extFrame(0x18fef100, 1, 0xab), timestampMs: 1436509052249.713 },
      'can0',
    );
    expect(line).toBe('(1436509052.249713) can0 18FEF100#01AB');
    expect(formatCandumpLine({ ...stdFrame(0x12), timestampMs: 1000 }, 'vcan0')).toBe(
      '(1.000000) vcan0 012#',
    );
  });

  it('reads what candump writes', () => {
    const { iface, frame } = parseCandumpLine(
      '(1436509052.249713) vcan0 0CF00400#FFFF8A7DFF00F0FF',
    );
    expect(iface).toBe('vcan0');
    expect(frame.extended).toBe(true);
    expect(frame.id).toBe(0x0cf00400);
    expect(frame.data).toEqual(Uint8Array.from([0xff, 0xff, 0x8a, 0x7d, 0xff, 0x00, 0xf0, 0xff]));
    expect(frame.timestampMs).toBeCloseTo(1436509052249.713, 3);
  });

  it('round-trips any frame', () => {
    fc.assert(
      fc.property(arbitraryFrame, fc.integer({ min: 0, max: 2_000_000_000_000 }), (frame, ts) => {
        const back = parseCandumpLog(
          formatCandumpLog([{ iface: 'can0', frame: { ...frame, timestampMs: ts } }]),
        );
        return (
          back.length === 1 &&
          sameFrame(back[0]!.frame, frame) &&
          Math.abs(back[0]!.frame.timestampMs! - ts) < 0.001
        );
      }),
    );
  });

  it('names the bad line in a malformed log', () => {
    expect(() => parseCandumpLog('(1.0) can0 123#00\n\n(2.0) can0 123#0')).toThrow(
      CandumpParseError,
    );
    expect(() => parseCandumpLog('(1.0) can0 123#00\n(2.0) can0 123#0')).toThrow(/line 2/);
    expect(() => parseCandumpLine('(1.0) can0 123#001122334455667788')).toThrow(/at most 8/);
    expect(() => parseCandumpLine('(1.0) can0 FFF#00')).toThrow(/out of range/);
    expect(() => parseCandumpLine('garbage')).toThrow(CandumpParseError);
  });
});
