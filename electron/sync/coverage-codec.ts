/**
 * Packed binary form of coverage swath segments. A batch is
 *   version u8 | count varuint | baseMs varuint
 *   then per segment: dStartMs varuint (from the previous start, or baseMs)
 *                     durationMs varuint | x0 y0 zigzag cm | dx dy zigzag cm | width varuint cm
 * About 12–20 bytes a segment against 60+ for a JSON object (the naive log reaches
 * 22.5 MB for 8 h × 20 tractors). Coordinates are in the job's local metric frame (x east,
 * y north, metres from meta.frameOrigin); centimetres are finer than RTK accuracy.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface SwathSegment {
  /** Wall ms when the segment began. */
  readonly tMs: number;
  readonly durationMs: number;
  readonly x0M: number;
  readonly y0M: number;
  readonly x1M: number;
  readonly y1M: number;
  readonly widthM: number;
}

export const COVERAGE_CODEC_VERSION = 1;
/** Bounds that keep a hostile batch cheap to decode. */
export const MAX_SEGMENTS_PER_BATCH = 4_096;
const MAX_COORD_CM = 2_000_000_00; // 2,000 km from the frame origin
const MAX_WIDTH_CM = 10_000; // 100 m implement
const MAX_DURATION_MS = 24 * 3_600_000;

export class CoverageCodecError extends Error {
  override readonly name = 'CoverageCodecError';
}

const cm = (m: number): number => Math.round(m * 100);

export function encodeSegments(segments: readonly SwathSegment[]): Uint8Array {
  if (segments.length === 0 || segments.length > MAX_SEGMENTS_PER_BATCH) {
    throw new CoverageCodecError(
      `a batch holds 1..${MAX_SEGMENTS_PER_BATCH} segments, got ${segments.length}`,
    );
  }
  const enc = encoding.createEncoder();
  encoding.writeUint8(enc, COVERAGE_CODEC_VERSION);
  encoding.writeVarUint(enc, segments.length);
  const baseMs = Math.min(...segments.map((s) => Math.round(s.tMs)));
  encoding.writeVarUint(enc, baseMs);
  let prevMs = baseMs;
  for (const s of segments) {
    const t = Math.round(s.tMs);
    // Starts are written as a signed delta so batches need not be sorted.
    encoding.writeVarInt(enc, t - prevMs);
    prevMs = t;
    encoding.writeVarUint(enc, Math.max(0, Math.round(s.durationMs)));
    const x0 = cm(s.x0M);
    const y0 = cm(s.y0M);
    encoding.writeVarInt(enc, x0);
    encoding.writeVarInt(enc, y0);
    encoding.writeVarInt(enc, cm(s.x1M) - x0);
    encoding.writeVarInt(enc, cm(s.y1M) - y0);
    encoding.writeVarUint(enc, Math.max(0, cm(s.widthM)));
  }
  return encoding.toUint8Array(enc);
}

/** Decodes and range-checks a batch; throws CoverageCodecError on anything malformed. */
export function decodeSegments(bytes: Uint8Array): SwathSegment[] {
  try {
    const dec = decoding.createDecoder(bytes);
    const version = decoding.readUint8(dec);
    if (version !== COVERAGE_CODEC_VERSION)
      throw new CoverageCodecError(`unknown coverage codec version ${version}`);
    const count = decoding.readVarUint(dec);
    if (count === 0 || count > MAX_SEGMENTS_PER_BATCH)
      throw new CoverageCodecError(`bad segment count ${count}`);
    let prevMs = decoding.readVarUint(dec);
    const out: SwathSegment[] = [];
    for (let i = 0; i < count; i++) {
      prevMs += decoding.readVarInt(dec);
      const durationMs = decoding.readVarUint(dec);
      const x0 = decoding.readVarInt(dec);
      const y0 = decoding.readVarInt(dec);
      const x1 = x0 + decoding.readVarInt(dec);
      const y1 = y0 + decoding.readVarInt(dec);
      const width = decoding.readVarUint(dec);
      if (
        prevMs < 0 ||
        !Number.isSafeInteger(prevMs) ||
        durationMs > MAX_DURATION_MS ||
        width > MAX_WIDTH_CM ||
        [x0, y0, x1, y1].some((c) => Math.abs(c) > MAX_COORD_CM)
      ) {
        throw new CoverageCodecError('segment out of range');
      }
      out.push({
        tMs: prevMs,
        durationMs,
        x0M: x0 / 100,
        y0M: y0 / 100,
        x1M: x1 / 100,
        y1M: y1 / 100,
        widthM: width / 100,
      });
    }
    if (decoding.hasContent(dec))
      throw new CoverageCodecError('trailing bytes after coverage batch');
    return out;
  } catch (err) {
    if (err instanceof CoverageCodecError) throw err;
    throw new CoverageCodecError(`truncated coverage batch: ${String(err)}`);
  }
}

/** The segment count of a batch without decoding it (0 when malformed). */
export function batchSegmentCount(bytes: Uint8Array): number {
  try {
    const dec = decoding.createDecoder(bytes);
    decoding.readUint8(dec);
    return decoding.readVarUint(dec);
  } catch {
    return 0;
  }
}
