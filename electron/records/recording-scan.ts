/**
 * Reads a recording's header and hops from chunk header to chunk header (the index), without
 * reading telemetry bodies. The first header or body that does not check out ends the good
 * part: what follows it is a torn tail (a crash in the middle of a write) and is ignored.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import {
  CHUNK_EVENTS,
  CHUNK_HEADER_BYTES,
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

export interface RecordingScan {
  header: RecordingHeader;
  chunks: ChunkIndexEntry[];
  /** Every event of the event chunks, in file order. */
  events: RecordedEvent[];
  goodBytes: number;
  /** Bytes after the last intact chunk (0 for a recording closed cleanly or cut at a chunk). */
  tornBytes: number;
}

export type ScanResult = { ok: true; value: RecordingScan } | { ok: false; error: string };

/** Largest header JSON accepted (it holds a job id and a station name). */
const MAX_HEADER_JSON = 64 * 1024;

export function scanRecording(path: string): ScanResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    return scanOpen(fd);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const read = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, read);
}

function scanOpen(fd: number): ScanResult {
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
  let offset = head.length + jsonLength;
  while (offset + CHUNK_HEADER_BYTES <= size) {
    const chunk = decodeChunkHeader(readAt(fd, offset, CHUNK_HEADER_BYTES));
    const bodyOffset = offset + CHUNK_HEADER_BYTES;
    if (!chunk || bodyOffset + chunk.length > size) break;
    const last = bodyOffset + chunk.length === size;
    // Event bodies are read anyway; a telemetry body is checked here only when it is the last
    // chunk (the one a crash can tear) and otherwise when it is decoded.
    if (chunk.kind === CHUNK_EVENTS || last) {
      const body = readAt(fd, bodyOffset, chunk.length);
      if (crc32(body) !== chunk.crc) break;
      if (chunk.kind === CHUNK_EVENTS) {
        const parsed = parseEvents(body, chunk.flags);
        if (!parsed) break;
        events.push(...parsed);
      }
    }
    chunks.push({ ...chunk, bodyOffset });
    offset = bodyOffset + chunk.length;
  }
  return {
    ok: true,
    value: { header, chunks, events, goodBytes: offset, tornBytes: size - offset },
  };
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
