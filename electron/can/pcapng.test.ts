import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LINKTYPE_CAN_SOCKETCAN, PcapngWriter, pcapngPacket } from './pcapng-writer.js';
import { PcapngParseError, readPcapngFrames } from './pcapng-reader.js';
import { arbitraryFrame, extFrame, sameFrame } from './test-helpers/frames.js';

function capture(frames: Parameters<PcapngWriter['frame']>[0][]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((c) => chunks.push(c));
  for (const f of frames) writer.frame(f);
  writer.finish();
  return Buffer.concat(chunks);
}

describe('pcapng writer', () => {
  it('starts with a section header and a SocketCAN interface', () => {
    const bytes = capture([]);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(0, true)).toBe(0x0a0d0d0a);
    expect(view.getUint32(8, true)).toBe(0x1a2b3c4d);
    const shbLen = view.getUint32(4, true);
    expect(view.getUint32(shbLen, true)).toBe(1);
    expect(view.getUint16(shbLen + 8, true)).toBe(LINKTYPE_CAN_SOCKETCAN);
  });

  it('writes the CAN id with the extended flag in network byte order', () => {
    const block = pcapngPacket({ ...extFrame(0x18eeff80, 1, 2), timestampMs: 1500.25 });
    const view = new DataView(block.buffer);
    expect(view.getUint32(28, false)).toBe((0x80000000 | 0x18eeff80) >>> 0);
    expect(block[32]).toBe(2);
    expect(view.getUint32(16, true)).toBe(1_500_250);
    expect(block.length % 4).toBe(0);
  });

  it('round-trips frames and timestamps', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFrame, { maxLength: 20 }), (frames) => {
        const stamped = frames.map((f, i) => ({ ...f, timestampMs: 1_700_000_000_000 + i * 0.5 }));
        const back = readPcapngFrames(capture(stamped));
        return (
          back.length === frames.length &&
          back.every(
            (b, i) => sameFrame(b, stamped[i]!) && b.timestampMs === stamped[i]!.timestampMs,
          )
        );
      }),
    );
  });

  it('rejects a truncated capture', () => {
    const bytes = capture([extFrame(1, 1)]);
    expect(() => readPcapngFrames(bytes.subarray(0, bytes.length - 4))).toThrow(PcapngParseError);
  });
});
