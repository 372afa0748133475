import type { CanFrame } from './can-frame.js';

/**
 * Bit-level length of a classic CAN data frame (ISO 11898-1 §10.4), used by the virtual bus to
 * model transmission time. The stuffed region (SOF to the end of the CRC sequence) is built bit
 * by bit so stuffing is counted exactly; the fixed tail is CRC delimiter 1 + ACK slot and
 * delimiter 2 + EOF 7 + intermission 3 = 13 bits. An 8-byte extended frame is 131 bits without
 * stuffing and at most 160 with worst-case stuffing ("facts checked").
 */
const FIXED_TAIL_BITS = 13;
const CRC15_POLY = 0x4599; // ISO 11898-1 §10.4.2.6

export const DEFAULT_BITRATE = 250_000; // ISO 11783-2 §5.2: 250 kbit/s

/** Bits of the frame on the wire, stuff bits included. */
export function frameBitCount(frame: CanFrame): number {
  const bits: number[] = [0]; // SOF (dominant)
  const push = (value: number, width: number): void => {
    for (let i = width - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  const dlc = frame.data.length;
  if (frame.extended) {
    push(frame.id >>> 18, 11); // base identifier
    push(1, 1); // SRR (recessive)
    push(1, 1); // IDE (recessive = extended)
    push(frame.id & 0x3ffff, 18);
    push(0, 1); // RTR (dominant = data frame)
    push(0, 2); // r1, r0
  } else {
    push(frame.id, 11);
    push(0, 1); // RTR
    push(0, 1); // IDE (dominant = standard)
    push(0, 1); // r0
  }
  push(dlc, 4);
  for (const byte of frame.data) push(byte, 8);
  push(crc15(bits), 15);
  return bits.length + countStuffBits(bits) + FIXED_TAIL_BITS;
}

/** Upper bound with worst-case stuffing: one stuff bit per 4 bits after the first. */
export function worstCaseFrameBits(dataBytes: number, extended: boolean): number {
  const stuffed = (extended ? 54 : 34) + 8 * dataBytes;
  return stuffed + Math.floor((stuffed - 1) / 4) + FIXED_TAIL_BITS;
}

/** Transmission time of `frame` at `bitrate` in milliseconds. */
export function frameTimeMs(frame: CanFrame, bitrate = DEFAULT_BITRATE): number {
  return (frameBitCount(frame) * 1000) / bitrate;
}

function crc15(bits: readonly number[]): number {
  let crc = 0;
  for (const bit of bits) {
    const next = bit ^ ((crc >>> 14) & 1);
    crc = (crc << 1) & 0x7fff;
    if (next) crc ^= CRC15_POLY;
  }
  return crc;
}

/** After five equal bits a complementary stuff bit is inserted; it starts the next run. */
function countStuffBits(bits: readonly number[]): number {
  let stuffed = 0;
  let run = 0;
  let last = -1;
  for (const bit of bits) {
    if (bit === last) {
      run++;
    } else {
      last = bit;
      run = 1;
    }
    if (run === 5) {
      stuffed++;
      last = 1 - bit;
      run = 1;
    }
  }
  return stuffed;
}
