/**
 * Bodies of the fleet link's "sync data" messages (type 0x21): one y-websocket message, maybe
 * deflated (raw DEFLATE, RFC 1951), cut into pieces of at most MAX_PIECE_BYTES so that each
 * reliable message is one short TP transfer (never ETP): a piece costs at most ~260 frames, so
 * its retransmission timer fits its wire time even on a loaded bus, a lost packet repeats a
 * piece rather than a whole document, and stop, control and telemetry frames interleave at
 * every piece. The sync lane delivers exactly once and in order per sender, so the receiver
 * only concatenates.
 *
 * Byte 0 of every piece: bit 7 = more pieces follow, bit 6 = first piece of a message, bits
 * 1–0 = encoding of the whole message (0 plain, 1 deflated; in every piece).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DEFAULT_PEER_LIMITS } from './peer-limiter.js';

/** Smaller messages gain nothing from DEFLATE (its block header and Huffman tables). */
export const COMPRESS_MIN_BYTES = 96;
/**
 * Largest piece: 1,785 bytes is the TP limit (ISO 11783-3 §5.10), less the reliable header (5)
 * and CRC-16 (2) of fleet-protocol §5.1 and this body's own byte, rounded down.
 */
export const MAX_PIECE_BYTES = 1_760;

const MORE = 0x80;
const FIRST = 0x40;
const ENCODING = { plain: 0, deflated: 1 } as const;

/** The pieces (bodies) one message is sent as. */
export function encodePieces(message: Uint8Array): Uint8Array[] {
  let encoding: number = ENCODING.plain;
  let bytes = message;
  if (message.byteLength >= COMPRESS_MIN_BYTES) {
    const deflated = deflateRawSync(message);
    if (deflated.byteLength < message.byteLength) {
      encoding = ENCODING.deflated;
      bytes = new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength);
    }
  }
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength || at === 0; at += MAX_PIECE_BYTES) {
    const chunk = bytes.subarray(at, at + MAX_PIECE_BYTES);
    const more = at + MAX_PIECE_BYTES < bytes.byteLength;
    const piece = new Uint8Array(chunk.byteLength + 1);
    piece[0] = (more ? MORE : 0) | (at === 0 ? FIRST : 0) | encoding;
    piece.set(chunk, 1);
    pieces.push(piece);
  }
  return pieces;
}

/**
 * Joins pieces back into messages. A message that cannot be read comes out as an empty array,
 * which the session refuses as malformed (counted and logged like any bad input); pieces of a
 * message whose first piece this receiver never saw (it started mid-message) are skipped.
 */
export class PieceReassembler {
  private parts: Uint8Array[] | null = null;
  private size = 0;
  private encoding = 0;

  constructor(private readonly maxBytes = DEFAULT_PEER_LIMITS.maxMessageBytes) {}

  /** The whole message once its last piece is in, else undefined. */
  push(piece: Uint8Array): Uint8Array | undefined {
    const head = piece[0];
    if (head === undefined) return new Uint8Array();
    if (head & FIRST) {
      this.parts = [];
      this.size = 0;
      this.encoding = head & 0x03;
    }
    if (!this.parts) return undefined;
    this.parts.push(piece.subarray(1));
    this.size += piece.byteLength - 1;
    if (this.size > this.maxBytes) {
      this.parts = null;
      return new Uint8Array();
    }
    if (head & MORE) return undefined;
    const joined = concat(this.parts, this.size);
    this.parts = null;
    return this.decode(joined);
  }

  private decode(bytes: Uint8Array): Uint8Array {
    if (this.encoding === ENCODING.plain) return bytes;
    if (this.encoding !== ENCODING.deflated) return new Uint8Array();
    try {
      return new Uint8Array(inflateRawSync(bytes, { maxOutputLength: this.maxBytes }));
    } catch {
      return new Uint8Array();
    }
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
