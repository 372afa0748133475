import type { CanFrame } from './can-frame.js';

/**
 * pcapng (IETF draft-ietf-opsawg-pcapng) with one interface of link type
 * LINKTYPE_CAN_SOCKETCAN (227), so Wireshark/tshark open captures and decode J1939/ISOBUS
 * (`-d can.subdissector,j1939`). Each packet is the SocketCAN pseudo-header: the CAN id with
 * the EFF flag in network byte order, the payload length, 3 padding bytes, then the data.
 * Blocks are little-endian (the byte-order magic tells readers so).
 */
export const LINKTYPE_CAN_SOCKETCAN = 227;
const CAN_EFF_FLAG = 0x80000000;
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const SNAPLEN = 16;
const OPT_IF_NAME = 2;
const OPT_IF_TSRESOL = 9;
const OPT_END = 0;

/** Bytes of a capture file header: section header + one CAN interface description. */
export function pcapngHeader(ifaceName = 'can0'): Uint8Array {
  const shb = block(BLOCK_SHB, (w) => {
    w.u32(BYTE_ORDER_MAGIC);
    w.u16(1);
    w.u16(0);
    w.u32(0xffffffff); // section length unknown
    w.u32(0xffffffff);
  });
  const idb = block(BLOCK_IDB, (w) => {
    w.u16(LINKTYPE_CAN_SOCKETCAN);
    w.u16(0);
    w.u32(SNAPLEN);
    w.option(OPT_IF_NAME, new TextEncoder().encode(ifaceName));
    w.option(OPT_IF_TSRESOL, Uint8Array.of(6)); // microseconds
    w.u16(OPT_END);
    w.u16(0);
  });
  return concat([shb, idb]);
}

/** One Enhanced Packet Block for `frame` (timestamp from frame.timestampMs, else 0). */
export function pcapngPacket(frame: CanFrame): Uint8Array {
  const packet = new Uint8Array(8 + frame.data.length);
  const view = new DataView(packet.buffer);
  view.setUint32(0, (frame.extended ? CAN_EFF_FLAG : 0) | frame.id, false);
  packet[4] = frame.data.length;
  packet.set(frame.data, 8);
  const micros = BigInt(Math.round((frame.timestampMs ?? 0) * 1000));
  return block(BLOCK_EPB, (w) => {
    w.u32(0); // interface id
    w.u32(Number(micros >> 32n));
    w.u32(Number(micros & 0xffffffffn));
    w.u32(packet.length);
    w.u32(packet.length);
    w.bytes(packet);
    w.pad();
  });
}

/** A streaming writer: header first, then one block per frame through `write`. */
export class PcapngWriter {
  private started = false;

  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    private readonly ifaceName = 'can0',
  ) {}

  frame(frame: CanFrame): void {
    if (!this.started) {
      this.write(pcapngHeader(this.ifaceName));
      this.started = true;
    }
    this.write(pcapngPacket(frame));
  }

  /** Writes the header even if no frame was captured, so the file is always valid. */
  finish(): void {
    if (!this.started) this.write(pcapngHeader(this.ifaceName));
    this.started = true;
  }
}

class BodyWriter {
  readonly parts: number[] = [];
  u16(v: number): void {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff);
  }
  u32(v: number): void {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.parts.push(x);
  }
  pad(): void {
    while (this.parts.length % 4 !== 0) this.parts.push(0);
  }
  option(code: number, value: Uint8Array): void {
    this.u16(code);
    this.u16(value.length);
    this.bytes(value);
    this.pad();
  }
}

function block(type: number, fill: (w: BodyWriter) => void): Uint8Array {
  const body = new BodyWriter();
  fill(body);
  body.pad();
  const total = 12 + body.parts.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body.parts, 8);
  view.setUint32(total - 4, total, true);
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
