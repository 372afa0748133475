import { validateFrame, type CanFrame } from './can-frame.js';
import { LINKTYPE_CAN_SOCKETCAN } from './pcapng-writer.js';

export class PcapngParseError extends Error {
  override readonly name = 'PcapngParseError';
}

/**
 * Reads the CAN frames back from a little-endian pcapng capture with SocketCAN interfaces (as
 * written by PcapngWriter or by Wireshark/dumpcap on a Linux CAN interface). Microsecond
 * timestamps are assumed, the pcapng default.
 */
export function readPcapngFrames(bytes: Uint8Array): CanFrame[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const linkTypes: number[] = [];
  const frames: CanFrame[] = [];
  let offset = 0;
  while (offset + 12 <= bytes.length) {
    const type = view.getUint32(offset, true);
    const length = view.getUint32(offset + 4, true);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) {
      throw new PcapngParseError(`bad block length ${length} at offset ${offset}`);
    }
    if (type === 0x0a0d0d0a && view.getUint32(offset + 8, true) !== 0x1a2b3c4d) {
      throw new PcapngParseError('only little-endian pcapng sections are supported');
    }
    if (type === 0x00000001) linkTypes.push(view.getUint16(offset + 8, true));
    if (type === 0x00000006) frames.push(readPacket(view, offset, length, linkTypes));
    offset += length;
  }
  return frames;
}

function readPacket(
  view: DataView,
  offset: number,
  blockLength: number,
  linkTypes: readonly number[],
): CanFrame {
  if (blockLength < 28 + 8 + 4)
    throw new PcapngParseError(`packet block of ${blockLength} bytes is too short`);
  const iface = view.getUint32(offset + 8, true);
  if (linkTypes[iface] !== LINKTYPE_CAN_SOCKETCAN)
    throw new PcapngParseError(`interface ${iface} is not SocketCAN`);
  const micros = view.getUint32(offset + 12, true) * 2 ** 32 + view.getUint32(offset + 16, true);
  const captured = view.getUint32(offset + 20, true);
  if (captured < 8 || 28 + captured + 4 > blockLength)
    throw new PcapngParseError(`packet of ${captured} bytes does not fit its block`);
  const rawId = view.getUint32(offset + 28, false);
  const len = view.getUint8(offset + 32);
  if (len > 8 || captured < 8 + len) throw new PcapngParseError(`bad CAN payload length ${len}`);
  const start = view.byteOffset + offset + 36;
  const data = new Uint8Array(view.buffer.slice(start, start + len));
  const extended = (rawId & 0x80000000) !== 0;
  return validateFrame({
    id: rawId & (extended ? 0x1fffffff : 0x7ff),
    extended,
    data,
    timestampMs: micros / 1000,
  });
}
