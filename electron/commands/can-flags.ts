/** Flag values of `headland can send` / `request`: addresses, PGNs and payloads, checked. */
import {
  ETP_MAX_BYTES,
  GLOBAL_ADDRESS,
  isPdu1,
  MAX_UNICAST_ADDRESS,
  PGN_MAX,
} from '../isobus/index.js';
import { UsageError } from './command.js';

/** A whole number written in decimal or as 0x hex. */
function parseNumber(flag: string, raw: string): number {
  const text = raw.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^\d+$/.test(text)) return Number(text);
  throw new UsageError(`${flag} expects a number (decimal or 0x hex), got '${raw}'`);
}

/** 0–253 for one node, 255 (or `global`) for all. */
export function parseAddress(flag: string, raw: string): number {
  if (raw === 'global') return GLOBAL_ADDRESS;
  const value = parseNumber(flag, raw);
  if (value > MAX_UNICAST_ADDRESS && value !== GLOBAL_ADDRESS)
    throw new UsageError(
      `${flag} must be an address 0–${MAX_UNICAST_ADDRESS} or 255 (global), got ${value}`,
    );
  return value;
}

/** A PGN (0–0x3FFFF); in PDU1 format (PF < 240) its low byte is the destination, so it is 0. */
export function parsePgn(flag: string, raw: string): number {
  const value = parseNumber(flag, raw);
  if (value > PGN_MAX) throw new UsageError(`${flag} must be at most 0x3FFFF, got ${raw}`);
  if (isPdu1(value) && (value & 0xff) !== 0)
    throw new UsageError(
      `${flag} ${raw} is a PDU1 PGN (PF < 240): its low byte must be 0, the destination goes in --to`,
    );
  return value;
}

/** Hex bytes, with or without separators: `0102ff`, `01 02 FF`, `01:02:ff`. */
export function parseHexData(flag: string, raw: string): Uint8Array {
  const text = raw.replace(/[\s:.-]/g, '');
  if (!/^([0-9a-f]{2})+$/i.test(text))
    throw new UsageError(`${flag} expects hex bytes such as 01:02:ff, got '${raw}'`);
  if (text.length / 2 > ETP_MAX_BYTES)
    throw new UsageError(`${flag} holds more than the ETP maximum of ${ETP_MAX_BYTES} bytes`);
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

/** N bytes of a counting pattern (0, 1, 2, … 255, 0, …), easy to check at the receiver. */
export function patternData(flag: string, raw: string): Uint8Array {
  const size = parseNumber(flag, raw);
  if (size < 1 || size > ETP_MAX_BYTES)
    throw new UsageError(`${flag} must be 1–${ETP_MAX_BYTES} bytes, got ${size}`);
  return Uint8Array.from({ length: size }, (_, i) => i & 0xff);
}

/** One frame of a PDU2 PGN cannot be addressed: its PS byte is part of the PGN. */
export function checkAddressable(pgn: number, size: number, to: number): void {
  if (!isPdu1(pgn) && size <= 8 && to !== GLOBAL_ADDRESS)
    throw new UsageError(
      `PGN 0x${pgn.toString(16)} is PDU2 (broadcast): one frame of it cannot go to one node; use --to 255`,
    );
}
