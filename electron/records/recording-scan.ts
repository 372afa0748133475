/**
 * Reads a recording's header and hops from chunk header to chunk header (the index), without
 * reading telemetry bodies unless asked to verify them. A chunk that does not check out is
 * damage or a torn tail: the scan looks for the next chunk whose header and CRC verify and
 * carries on from there (the skipped bytes are reported); when none follows, the rest is a torn
 * tail (a crash in the middle of a write) and is ignored.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import {
  CHUNK_EVENTS,
  CHUNK_HEADER_BYTES,
  CHUNK_MAGIC,
  FLAG_DEFLATED,
  RECORDING_MAGIC,
  crc32,
  decodeChunkHeader,
  type ChunkHeader,
  type RecordedEvent,
  type RecordingHeader,
} from './recording-format.js';
import { checkEvent } from './recorded-event-schema.js';

export interface ChunkIndexEntry extends ChunkHeader {
  /** Offset of the chunk's body in the file. */
  bodyOffset: number;
}

/** A damaged stretch the scan skipped to reach the next chunk that verifies. */
export interface SkippedRange {
  offset: number;
  bytes: number;
}

export interface RecordingScan {
  header: RecordingHeader;
  chunks: ChunkIndexEntry[];
  /** Every event of the event chunks, in file order. */
  events: RecordedEvent[];
  /** The end of the last intact chunk. */
  goodBytes: number;
  /** Bytes after the last intact chunk (0 for a recording closed cleanly or cut at a chunk). */
  tornBytes: number;
  /** Damaged stretches before the last intact chunk, skipped. */
  skipped: SkippedRange[];
}

export interface ScanOptions {
  /**
   * Check every telemetry body's CRC (reading the whole file), not only the last one's: the
   * writer does when it reopens a recording, so damage is found and kept aside at once.
   */
  verifyBodies?: boolean;
}

export type ScanResult = { ok: true; value: RecordingScan } | { ok: false; error: string };

/** Largest header JSON accepted (it holds a job id and a station name). */
const MAX_HEADER_JSON = 64 * 1024;

export function scanRecording(path: string, options: ScanOptions = {}): ScanResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    return scanOpen(fd, options.verifyBodies ?? false);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const read = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, read);
}

function scanOpen(fd: number, verifyBodies: boolean): ScanResult {
  const size = fstatSync(fd).size;
  const head = readAt(fd, 0, RECORDING_MAGIC.length + 4);
  if (head.length < RECORDING_MAGIC.length + 4 || !head.subarray(0, 8).equals(RECORDING_MAGIC))
    return { ok: false, error: 'not a Headland recording (bad magic)' };
  const jsonLength = head.readUInt32LE(RECORDING_MAGIC.length);
  if (jsonLength > MAX_HEADER_JSON || head.length + jsonLength > size)
    return { ok: false, error: 'recording header is damaged' };
  const header = parseHeader(readAt(fd, head.length, jsonLength).toString('utf8'));
  if (!header) return { ok: false, error: 'recording header is damaged' };
  const chunks: ChunkIndexEntry[] = [];
  const events: RecordedEvent[] = [];
  const skipped: SkippedRange[] = [];
  let offset = head.length + jsonLength;
  while (offset + CHUNK_HEADER_BYTES <= size) {
    const chunk = readChunk(fd, offset, size, verifyBodies);
    if (chunk) {
      chunks.push(chunk.entry);
      events.push(...chunk.events);
      offset = chunk.entry.bodyOffset + chunk.entry.length;
      continue;
    }
    // Damage, or the torn tail of a crash: resynchronise on the next chunk that verifies.
    const next = nextChunkOffset(fd, offset + 1, size);
    if (next === null) break;
    skipped.push({ offset, bytes: next - offset });
    offset = next;
  }
  return {
    ok: true,
    value: { header, chunks, events, goodBytes: offset, tornBytes: size - offset, skipped },
  };
}

/** The chunk at `offset` when it checks out (its events parsed), else null. */
function readChunk(
  fd: number,
  offset: number,
  size: number,
  verifyBody: boolean,
): { entry: ChunkIndexEntry; events: RecordedEvent[] } | null {
  const chunk = decodeChunkHeader(readAt(fd, offset, CHUNK_HEADER_BYTES));
  const bodyOffset = offset + CHUNK_HEADER_BYTES;
  if (!chunk || bodyOffset + chunk.length > size) return null;
  const last = bodyOffset + chunk.length === size;
  let events: RecordedEvent[] = [];
  // Event bodies are read anyway; a telemetry body is checked here when asked, or when it is
  // the last chunk (the one a crash can tear), and otherwise when it is decoded.
  if (chunk.kind === CHUNK_EVENTS || last || verifyBody) {
    const body = readAt(fd, bodyOffset, chunk.length);
    if (crc32(body) !== chunk.crc) return null;
    if (chunk.kind === CHUNK_EVENTS) {
      const parsed = parseEvents(body, chunk.flags);
      if (!parsed) return null;
      events = parsed;
    }
  }
  return { entry: { ...chunk, bodyOffset }, events };
}

/** Bytes searched at a time for the next chunk's magic. */
const SEARCH_BLOCK_BYTES = 1 << 20;

/**
 * The offset of the next chunk at or after `from` whose header decodes and whose body's CRC
 * verifies (a magic number alone could be a coincidence inside a body); null if none.
 */
function nextChunkOffset(fd: number, from: number, size: number): number | null {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(CHUNK_MAGIC, 0);
  for (let start = from; start + CHUNK_HEADER_BYTES <= size; start += SEARCH_BLOCK_BYTES) {
    // Overlap the blocks by 3 bytes so a magic across the boundary is found.
    const block = readAt(fd, start, SEARCH_BLOCK_BYTES + 3);
    for (let at = block.indexOf(magic); at >= 0; at = block.indexOf(magic, at + 1)) {
      const offset = start + at;
      if (offset >= start + SEARCH_BLOCK_BYTES) break;
      if (readChunk(fd, offset, size, true)) return offset;
    }
  }
  return null;
}

function parseHeader(text: string): RecordingHeader | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const h = value as Partial<RecordingHeader>;
    if (h.version !== 1 || typeof h.jobId !== 'string' || typeof h.startedAtWallMs !== 'number')
      return null;
    return {
      version: 1,
      jobId: h.jobId,
      startedAtWallMs: h.startedAtWallMs,
      station: typeof h.station === 'string' ? h.station : '',
    };
  } catch {
    return null;
  }
}

/** The events of one chunk; null when the body does not decode (treated as a torn tail). */
export function parseEvents(body: Buffer, flags: number): RecordedEvent[] | null {
  try {
    const raw = flags & FLAG_DEFLATED ? inflateRawSync(body) : body;
    const value: unknown = JSON.parse(raw.toString('utf8'));
    if (!Array.isArray(value)) return null;
    return value.map(checkEvent).filter((e): e is RecordedEvent => e !== null);
  } catch {
    return null;
  }
}

/** Reads one chunk's body (for telemetry decoding). */
export function readChunkBody(path: string, chunk: ChunkIndexEntry): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readAt(fd, chunk.bodyOffset, chunk.length);
  } finally {
    closeSync(fd);
  }
}
