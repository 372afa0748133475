/**
 * Integrity checks for fleet-link messages. Single frames carry CRC-8/AUTOSAR (poly 0x2F, the
 * AUTOSAR E2E profile 2 polynomial, Hamming distance 4 up to 119 data bits), multi-frame
 * messages CRC-16/IBM-3740 ("CCITT-FALSE", poly 0x1021). The CAN frame's own CRC-15 protects
 * each frame on the wire; these protect end to end, across gateways, radio bridges and TP/ETP
 * reassembly (reveng CRC catalogue: check values 0xDF and 0x29B1 for "123456789").
 */
const CRC8_POLY = 0x2f;
const CRC16_POLY = 0x1021;

const CRC8_TABLE = buildTable8();
const CRC16_TABLE = buildTable16();

function buildTable8(): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ CRC8_POLY) & 0xff : (c << 1) & 0xff;
    table[i] = c;
  }
  return table;
}

function buildTable16(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++)
      c = c & 0x8000 ? ((c << 1) ^ CRC16_POLY) & 0xffff : (c << 1) & 0xffff;
    table[i] = c;
  }
  return table;
}

/** CRC-8/AUTOSAR: init 0xFF, no reflection, xorout 0xFF. */
export function crc8(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xff;
  for (let i = start; i < end; i++) crc = CRC8_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0;
  return crc ^ 0xff;
}

/** CRC-16/IBM-3740: init 0xFFFF, no reflection, xorout 0. */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >>> 8) ^ (data[i] ?? 0)) & 0xff] ?? 0);
  return crc;
}

/** FNV-1a 32-bit: maps a string id to the 32-bit reference carried in compact frames. 0 is reserved. */
export function ref32(id: string): number {
  let h = 0x811c9dc5;
  const bytes = new TextEncoder().encode(id);
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h === 0 ? 1 : h;
}
