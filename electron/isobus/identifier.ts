/**
 * The 29-bit ISO 11783 / J1939 identifier (ISO 11783-3 §5.2, J1939-21 §5.1–5.3):
 * priority (3) | EDP (1) | DP (1) | PF (8) | PS (8) | SA (8). PF < 240 is PDU1 (PS is the
 * destination address, the PGN's low byte is 0); PF ≥ 240 is PDU2 (PS is the group extension,
 * the message is broadcast).
 */
export const GLOBAL_ADDRESS = 0xff; // ISO 11783-5 §4.3: global (all nodes)
export const NULL_ADDRESS = 0xfe; // ISO 11783-5 §4.3: a node without an address
export const MAX_UNICAST_ADDRESS = 0xfd;
export const PDU2_THRESHOLD = 240;
export const PGN_MAX = 0x3ffff;
export const DEFAULT_PRIORITY = 6;

/** A frame seen through the network layer: identifier fields instead of the raw id. */
export interface PgnFrame {
  readonly priority: number;
  readonly pgn: number;
  readonly source: number;
  /** Destination address; GLOBAL_ADDRESS for PDU2 and for broadcast PDU1. */
  readonly destination: number;
  readonly data: Uint8Array;
}

export interface DecodedIdentifier {
  readonly priority: number;
  readonly edp: number;
  readonly dp: number;
  readonly pf: number;
  readonly ps: number;
  readonly pdu: 1 | 2;
  readonly pgn: number;
  readonly source: number;
  readonly destination: number;
}

export class IdentifierError extends Error {
  override readonly name = 'IdentifierError';
}

export function isPdu1(pgn: number): boolean {
  return ((pgn >>> 8) & 0xff) < PDU2_THRESHOLD;
}

export function decodeIdentifier(id: number): DecodedIdentifier {
  const priority = (id >>> 26) & 0x7;
  const edp = (id >>> 25) & 0x1;
  const dp = (id >>> 24) & 0x1;
  const pf = (id >>> 16) & 0xff;
  const ps = (id >>> 8) & 0xff;
  const source = id & 0xff;
  const pdu = pf < PDU2_THRESHOLD ? 1 : 2;
  const pgnBase = (edp << 17) | (dp << 16) | (pf << 8);
  return pdu === 1
    ? { priority, edp, dp, pf, ps, pdu, pgn: pgnBase, source, destination: ps }
    : { priority, edp, dp, pf, ps, pdu, pgn: pgnBase | ps, source, destination: GLOBAL_ADDRESS };
}

export function encodeIdentifier(fields: {
  priority: number;
  pgn: number;
  source: number;
  destination: number;
}): number {
  const { priority, pgn, source, destination } = fields;
  if (!Number.isInteger(priority) || priority < 0 || priority > 7)
    throw new IdentifierError(`priority ${priority} not in 0–7`);
  if (!Number.isInteger(pgn) || pgn < 0 || pgn > PGN_MAX)
    throw new IdentifierError(`PGN ${pgn} not in 0–0x3FFFF`);
  if (!isByte(source)) throw new IdentifierError(`source address ${source} not in 0–255`);
  let ps = pgn & 0xff;
  if (isPdu1(pgn)) {
    if (ps !== 0)
      throw new IdentifierError(`PDU1 PGN 0x${pgn.toString(16)} must have a zero low byte`);
    if (!isByte(destination))
      throw new IdentifierError(`destination address ${destination} not in 0–255`);
    ps = destination;
  }
  return ((priority << 26) | ((pgn >>> 8) << 16) | (ps << 8) | source) >>> 0;
}

/** A PgnFrame from a raw extended CAN frame; undefined for 11-bit frames (not ISOBUS). */
export function toPgnFrame(frame: {
  id: number;
  extended: boolean;
  data: Uint8Array;
}): PgnFrame | undefined {
  if (!frame.extended) return undefined;
  const d = decodeIdentifier(frame.id);
  return {
    priority: d.priority,
    pgn: d.pgn,
    source: d.source,
    destination: d.destination,
    data: frame.data,
  };
}

export function toCanFrame(frame: PgnFrame): { id: number; extended: true; data: Uint8Array } {
  return { id: encodeIdentifier(frame), extended: true, data: frame.data };
}

function isByte(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xff;
}
