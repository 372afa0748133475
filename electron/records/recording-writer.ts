/**
 * Appends one job's recording (format in recording-format.ts). Telemetry is buffered into
 * chunks of CHUNK_SPAN_MS, events into chunks flushed at least every EVENT_FLUSH_MS; each chunk
 * goes to the file in one write, so a crash loses the buffered part only and never damages what
 * is already on disk. Reopening a recording cuts a torn tail and appends after the last good
 * chunk. A recording damaged elsewhere is never cut or overwritten: damaged chunks in the middle
 * are skipped (a copy of the file is kept aside), a damaged header puts the file aside whole and
 * a new recording begins, and `problem` says what happened.
 *
 * Size policy: telemetry is kept at its native rate until the file reaches `thinAfterBytes`,
 * then at most one sample per tractor per THIN_PERIOD_MS (status changes always); past
 * `maxBytes` no more telemetry is written, and past `maxBytes + EVENT_RESERVE_BYTES` nothing.
 * Each step is noted in the recording as a `limit` event.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { quarantine, quarantineCopy } from '../storage/index.js';
import { deflateRawSync } from 'node:zlib';
import {
  AUTONOMY_MODES,
  CHUNK_EVENTS,
  CHUNK_TELEMETRY,
  DEGREE_UNITS,
  ENTRY_SAMPLE,
  ENTRY_STATUS,
  FLAG_DEFLATED,
  HEADING_UNITS,
  RECORDING_MAGIC,
  SPEED_UNITS,
  TRACTOR_STATES,
  VarintWriter,
  crc32,
  encodeChunkHeader,
  wrapHeading,
  type RecordedEvent,
  type RecordingHeader,
  type TelemetrySample,
  type TractorStatus,
} from './recording-format.js';
import { scanRecording } from './recording-scan.js';

/** Telemetry chunk span: a seek decodes at most this much of one chunk. */
export const CHUNK_SPAN_MS = 10_000;
/** Events reach the file at most this long after they happen. */
export const EVENT_FLUSH_MS = 1_000;
/** Telemetry period per tractor once the recording is thinned. */
export const THIN_PERIOD_MS = 1_000;
/** Defaults: an 8 h job of 20 tractors at 10 Hz takes about a tenth of the first. */
export const DEFAULT_THIN_AFTER_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
/** Room kept for events once telemetry stops at maxBytes. */
export const EVENT_RESERVE_BYTES = 16 * 1024 * 1024;

export interface RecordingLimits {
  thinAfterBytes: number;
  maxBytes: number;
}

interface Quantised {
  lon: number;
  lat: number;
  heading: number;
  speed: number;
}

type Pending = Omit<TractorStatus, 'tractorIdx' | 'atMs'>;

export class RecordingWriter {
  private readonly fd: number;
  private readonly limits: RecordingLimits;
  private bytes: number;
  private readonly last = new Map<number, Quantised & Pending & { keptAtMs: number }>();
  private readonly chunk = new VarintWriter();
  private readonly prev = new Map<number, Quantised>();
  private chunkStartMs: number | null = null;
  private lastEntryMs = 0;
  private lastMs = 0;
  private events: RecordedEvent[] = [];
  private eventsSinceMs = 0;
  private stage: 'full' | 'thinned' | 'events-only' | 'closed-by-limit' = 'full';
  private closed = false;
  /** Tractor indices already declared in the file (id → index). */
  readonly declared = new Map<string, number>();
  /** Damage found when the recording was reopened, and what was done about it; null if none. */
  problem: string | null = null;

  private constructor(
    fd: number,
    bytes: number,
    lastMs: number,
    readonly header: RecordingHeader,
    limits: Partial<RecordingLimits>,
  ) {
    this.fd = fd;
    this.bytes = bytes;
    this.lastMs = lastMs;
    this.limits = {
      thinAfterBytes: limits.thinAfterBytes ?? DEFAULT_THIN_AFTER_BYTES,
      maxBytes: limits.maxBytes ?? DEFAULT_MAX_BYTES,
    };
  }

  /** Creates the recording, or reopens it (after a restart) behind its last intact chunk. */
  static open(
    path: string,
    header: RecordingHeader,
    limits: Partial<RecordingLimits> = {},
  ): RecordingWriter {
    let problem: string | null = null;
    if (existsSync(path)) {
      const wallMs = header.startedAtWallMs;
      const scan = scanRecording(path, { verifyBodies: true });
      if (scan.ok) {
        const { skipped } = scan.value;
        if (skipped.length > 0) {
          const keptAt = quarantineCopy(path, { wallMs });
          const bytes = skipped.reduce((n, r) => n + r.bytes, 0);
          problem = `recording ${path}: ${bytes} damaged byte(s) skipped at ${skipped.map((r) => `offset ${r.offset} (${r.bytes} B)`).join(', ')}; what they held is lost, the rest reads; a copy of the damaged file is kept at ${keptAt}`;
        }
        const torn = scan.value.tornBytes;
        if (torn > 0) {
          // A crash tears at most the chunk being written; a file cut short looks the same.
          const cut = `recording ${path} ended in ${torn} byte(s) that do not form a chunk (a crash while writing, or the file was cut short); cut off`;
          problem = problem ? `${problem}; ${cut}` : cut;
        }
        const fd = openSync(path, 'r+');
        if (torn > 0) ftruncateSync(fd, scan.value.goodBytes);
        closeSync(fd);
        const last = scan.value.chunks.at(-1)?.endMs ?? 0;
        const writer = new RecordingWriter(
          openSync(path, 'a'),
          scan.value.goodBytes,
          last,
          scan.value.header,
          limits,
        );
        writer.problem = problem;
        for (const e of scan.value.events)
          if (e.type === 'tractor') writer.declared.set(e.id, e.idx);
        return writer;
      }
      const keptAt = quarantine(path, { wallMs });
      problem = `recording ${path} could not be continued (${scan.error}); kept at ${keptAt}, a new recording begun`;
    }
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const head = Buffer.alloc(RECORDING_MAGIC.length + 4);
    RECORDING_MAGIC.copy(head, 0);
    head.writeUInt32LE(json.length, RECORDING_MAGIC.length);
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.concat([head, json]));
    const writer = new RecordingWriter(fd, head.length + json.length, 0, header, limits);
    writer.problem = problem;
    return writer;
  }

  /** Bytes on disk so far. */
  size(): number {
    return this.bytes;
  }

  /** Milliseconds into the recording of the latest entry. */
  endMs(): number {
    return this.lastMs;
  }

  sample(sample: TelemetrySample, status: Pending): void {
    if (this.closed || this.stage === 'events-only' || this.stage === 'closed-by-limit') return;
    const atMs = Math.max(sample.atMs, this.lastMs);
    const q: Quantised = {
      lon: Math.round(sample.lon * DEGREE_UNITS),
      lat: Math.round(sample.lat * DEGREE_UNITS),
      heading: Math.round(sample.headingDeg * HEADING_UNITS),
      speed: Math.round(sample.speedMps * SPEED_UNITS),
    };
    const before = this.last.get(sample.tractorIdx);
    const statusChanged =
      !before ||
      before.state !== status.state ||
      before.mode !== status.mode ||
      before.currentSectionId !== status.currentSectionId;
    if (
      this.stage === 'thinned' &&
      before &&
      !statusChanged &&
      atMs - before.keptAtMs < THIN_PERIOD_MS
    )
      return;
    this.rollChunk(atMs);
    this.last.set(sample.tractorIdx, { ...q, ...status, keptAtMs: atMs });
    if (statusChanged) this.writeStatus(sample.tractorIdx, atMs, status);
    this.writeSample(sample.tractorIdx, atMs, q);
    this.lastMs = atMs;
  }

  event(event: RecordedEvent): void {
    if (this.closed || this.stage === 'closed-by-limit') return;
    if (this.events.length === 0) this.eventsSinceMs = event.atMs;
    this.events.push(event);
    this.lastMs = Math.max(this.lastMs, event.atMs);
    this.tick(event.atMs);
  }

  /** Writes buffered events when they have waited EVENT_FLUSH_MS. */
  tick(nowMs: number): void {
    if (this.events.length > 0 && nowMs - this.eventsSinceMs >= EVENT_FLUSH_MS) this.flushEvents();
  }

  /** Writes everything buffered (an open telemetry chunk too) and syncs the file. */
  flush(): void {
    this.flushEvents();
    this.flushTelemetry();
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  private rollChunk(atMs: number): void {
    if (this.chunkStartMs !== null && atMs - this.chunkStartMs < CHUNK_SPAN_MS) return;
    this.flushTelemetry();
    this.chunkStartMs = atMs;
    this.lastEntryMs = atMs;
    this.prev.clear();
    // Keyframe: every tractor's last known state, so this chunk decodes on its own.
    for (const [idx, last] of this.last) {
      this.writeStatus(idx, atMs, last);
      this.writeSample(idx, atMs, last);
    }
  }

  private writeStatus(idx: number, atMs: number, status: Pending): void {
    this.chunk.uint(ENTRY_STATUS);
    this.chunk.uint(atMs - this.lastEntryMs);
    this.chunk.uint(idx);
    this.chunk.uint(TRACTOR_STATES.indexOf(status.state));
    this.chunk.uint(AUTONOMY_MODES.indexOf(status.mode));
    this.chunk.bytes(Buffer.from(status.currentSectionId ?? '', 'utf8'));
    this.lastEntryMs = atMs;
  }

  private writeSample(idx: number, atMs: number, q: Quantised): void {
    const p = this.prev.get(idx) ?? { lon: 0, lat: 0, heading: 0, speed: 0 };
    this.chunk.uint(ENTRY_SAMPLE);
    this.chunk.uint(atMs - this.lastEntryMs);
    this.chunk.uint(idx);
    this.chunk.sint(q.lon - p.lon);
    this.chunk.sint(q.lat - p.lat);
    this.chunk.sint(wrapHeading(q.heading - p.heading));
    this.chunk.sint(q.speed - p.speed);
    this.prev.set(idx, q);
    this.lastEntryMs = atMs;
  }

  private flushTelemetry(): void {
    if (this.chunkStartMs === null || this.chunk.length === 0) return;
    // Events first: a telemetry chunk never refers to a tractor the file has not declared.
    this.flushEvents();
    this.append(CHUNK_TELEMETRY, this.chunk.take(), this.chunkStartMs, this.lastEntryMs);
    this.chunkStartMs = null;
    if (this.stage === 'full' && this.bytes >= this.limits.thinAfterBytes) {
      this.stage = 'thinned';
      this.limit(`recording past ${this.limits.thinAfterBytes} bytes: telemetry thinned to 1 Hz`);
    } else if (this.stage === 'thinned' && this.bytes >= this.limits.maxBytes) {
      this.stage = 'events-only';
      this.limit(`recording past ${this.limits.maxBytes} bytes: telemetry no longer recorded`);
    }
  }

  private limit(detail: string): void {
    this.events.push({
      atMs: this.lastMs,
      atWallMs: this.header.startedAtWallMs + this.lastMs,
      type: 'limit',
      detail,
    });
    this.flushEvents();
  }

  private flushEvents(): void {
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    const body = Buffer.from(JSON.stringify(events), 'utf8');
    this.append(CHUNK_EVENTS, body, events[0]?.atMs ?? 0, events.at(-1)?.atMs ?? 0);
    if (this.bytes >= this.limits.maxBytes + EVENT_RESERVE_BYTES) this.stage = 'closed-by-limit';
  }

  private append(kind: number, raw: Buffer, startMs: number, endMs: number): void {
    const body = deflateRawSync(raw);
    const header = encodeChunkHeader({
      kind,
      flags: FLAG_DEFLATED,
      length: body.length,
      crc: crc32(body),
      startMs,
      endMs: Math.max(startMs, endMs),
    });
    const out = Buffer.concat([header, body]);
    writeSync(this.fd, out);
    this.bytes += out.length;
  }
}
