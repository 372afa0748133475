/**
 * The job recording's file format (`<data>/recordings/<job-id>.hrec`), append-only:
 *
 *   file header   8-byte magic, u32 length, JSON {version, jobId, startedAtWallMs, station}
 *   chunk*        32-byte header + body, written with one write() each
 *
 * Chunk header (little-endian): magic u32, kind u8 (1 telemetry, 2 events), flags u8 (bit 0:
 * body deflated), reserved u16, body length u32, CRC-32 of the body u32, startMs f64, endMs f64
 * (milliseconds into the recording). The headers are the index: a reader hops from one to the
 * next without reading bodies, and a torn or corrupt tail (short header, short body, bad magic
 * or CRC) ends the recording there — everything before it stays readable.
 *
 * Telemetry bodies are varint entries; every chunk starts with a keyframe (an absolute sample
 * and the status of every tractor known), so one chunk decodes on its own. Positions are
 * quantised to 1e-7 degree (about 1 cm, the resolution of ISO 11783-10 binary time logs),
 * headings to 0.1°, speeds to 1 cm/s; within a chunk each sample is the delta to the
 * tractor's previous one. Event bodies are JSON arrays of RecordedEvent.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import type {
  AlertSnapshot,
  AutonomyMode,
  FieldSnapshot,
  StationSnapshot,
  TractorState,
  ZoneSnapshot,
} from '../../shared/index.js';

export const RECORDING_MAGIC = Buffer.from('HLREC01\n', 'latin1');
export const RECORDING_EXTENSION = '.hrec';
export const RECORDINGS_DIR = 'recordings';
export const CHUNK_MAGIC = 0x4b435248; // 'HRCK'
export const CHUNK_HEADER_BYTES = 32;
export const CHUNK_TELEMETRY = 1;
export const CHUNK_EVENTS = 2;
export const FLAG_DEFLATED = 1;
/** 1e-7 degree per unit (ISO 11783-10 binary position resolution, about 1.1 cm). */
export const DEGREE_UNITS = 1e7;
export const HEADING_UNITS = 10;
export const SPEED_UNITS = 100;
export const ENTRY_SAMPLE = 1;
export const ENTRY_STATUS = 2;

export const TRACTOR_STATES: readonly TractorState[] = [
  'idle',
  'working',
  'turning',
  'paused',
  'stopped',
  'comm-lost',
  'done',
  // Appended: codes already in recordings keep their meaning.
  'joining',
];
export const AUTONOMY_MODES: readonly AutonomyMode[] = ['manual', 'supervised', 'autonomous'];

export interface RecordingHeader {
  version: 1;
  jobId: string;
  startedAtWallMs: number;
  station: string;
}

export interface ChunkHeader {
  kind: number;
  flags: number;
  length: number;
  crc: number;
  startMs: number;
  endMs: number;
}

/** One telemetry sample as the station heard it. */
export interface TelemetrySample {
  tractorIdx: number;
  atMs: number;
  lon: number;
  lat: number;
  headingDeg: number;
  speedMps: number;
}

export interface TractorStatus {
  tractorIdx: number;
  atMs: number;
  state: TractorState;
  mode: AutonomyMode;
  currentSectionId: string | null;
}

/** The slow-changing parts of the station's view of each tractor and section. */
export type ViewRecord = Pick<StationSnapshot, 'job' | 'stops' | 'modeChange'> & {
  tractors: Pick<
    StationSnapshot['tractors'][number],
    | 'id'
    | 'state'
    | 'sectionIds'
    | 'progress'
    | 'workRateHaPerH'
    | 'etaS'
    | 'link'
    | 'stop'
    | 'hold'
  >[];
  sections: { id: string; tractorId: string | null; doneFraction: number }[];
};

export interface CoverageDelta {
  id: string;
  keep: number;
  add: [number, number][][];
}

export interface PlanRecord {
  field: FieldSnapshot;
  sections: { id: string; index: number; polygon: [number, number][]; areaHa: number }[];
  zones: ZoneSnapshot[];
}

export type RecordedEvent = { atMs: number; atWallMs: number } & (
  | {
      type: 'tractor';
      idx: number;
      id: string;
      name: string;
      implementWidthM: number;
    }
  | { type: 'command'; actor: string; command: unknown; ok: boolean; error: string | null }
  | { type: 'audit'; kind: string; actor: string; subject: string; detail: string }
  | { type: 'plan'; plan: PlanRecord }
  | { type: 'view'; view: ViewRecord }
  | { type: 'alerts'; alerts: AlertSnapshot[] }
  /**
   * The worked ground of the sections where it changed since the last record, as a delta: keep
   * the first `keep` rings recorded before, then `add` (passes only grow or are added, so the
   * delta is the pass being worked).
   */
  | { type: 'coverage'; sections: CoverageDelta[] }
  | { type: 'limit'; detail: string }
);

export function encodeChunkHeader(header: ChunkHeader): Buffer {
  const buf = Buffer.alloc(CHUNK_HEADER_BYTES);
  buf.writeUInt32LE(CHUNK_MAGIC, 0);
  buf.writeUInt8(header.kind, 4);
  buf.writeUInt8(header.flags, 5);
  buf.writeUInt32LE(header.length, 8);
  buf.writeUInt32LE(header.crc, 12);
  buf.writeDoubleLE(header.startMs, 16);
  buf.writeDoubleLE(header.endMs, 24);
  return buf;
}

/** Null when the bytes are not a chunk header (a torn or foreign tail). */
export function decodeChunkHeader(buf: Buffer): ChunkHeader | null {
  if (buf.length < CHUNK_HEADER_BYTES || buf.readUInt32LE(0) !== CHUNK_MAGIC) return null;
  const header = {
    kind: buf.readUInt8(4),
    flags: buf.readUInt8(5),
    length: buf.readUInt32LE(8),
    crc: buf.readUInt32LE(12),
    startMs: buf.readDoubleLE(16),
    endMs: buf.readDoubleLE(24),
  };
  if (header.kind !== CHUNK_TELEMETRY && header.kind !== CHUNK_EVENTS) return null;
  if (!Number.isFinite(header.startMs) || !(header.endMs >= header.startMs)) return null;
  return header;
}

/** CRC-32 (IEEE 802.3, as zip and PNG use it), Node's native implementation. */
export function crc32(buf: Uint8Array): number {
  return zlibCrc32(buf);
}

/** Growable byte buffer of unsigned LEB128 varints and ZigZag-signed ones. */
export class VarintWriter {
  private buf = Buffer.alloc(4096);
  length = 0;

  uint(value: number): void {
    this.ensure(10);
    let v = Math.max(0, Math.floor(value));
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  sint(value: number): void {
    this.uint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bytes(data: Uint8Array): void {
    this.uint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.length));
    this.length = 0;
    return out;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

export class RecordingFormatError extends Error {
  override readonly name = 'RecordingFormatError';
}

export class VarintReader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  uint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buf[this.offset++];
      if (byte === undefined) throw new RecordingFormatError('varint runs past the chunk');
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new RecordingFormatError('varint too long');
    }
  }

  sint(): number {
    const v = this.uint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  bytes(): Buffer {
    const length = this.uint();
    if (this.offset + length > this.buf.length)
      throw new RecordingFormatError('field runs past the chunk');
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}

/** Heading difference wrapped into [-1800, 1800) tenths of a degree. */
export function wrapHeading(delta: number): number {
  const full = 360 * HEADING_UNITS;
  return ((((delta + full / 2) % full) + full) % full) - full / 2;
}
