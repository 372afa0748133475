/**
 * Opens a recording for replay: the chunk index and every event are read at once (events are a
 * small part of the file); telemetry is decoded one chunk at a time when a time inside it is
 * asked for, and the last decoded chunk is kept (playback reads the same chunk many times).
 */
import { inflateRawSync } from 'node:zlib';
import {
  AUTONOMY_MODES,
  CHUNK_TELEMETRY,
  DEGREE_UNITS,
  ENTRY_SAMPLE,
  ENTRY_STATUS,
  FLAG_DEFLATED,
  HEADING_UNITS,
  RecordingFormatError,
  SPEED_UNITS,
  TRACTOR_STATES,
  VarintReader,
  crc32,
  type RecordedEvent,
  type RecordingHeader,
  type TelemetrySample,
  type TractorStatus,
} from './recording-format.js';
import { readChunkBody, scanRecording, type ChunkIndexEntry } from './recording-scan.js';
import { WorkedGround } from './worked-ground.js';

export type TractorDeclaration = Extract<RecordedEvent, { type: 'tractor' }>;

/** One tractor as recorded at a moment: its last sample and status at or before that time. */
export interface RecordedTractor {
  declaration: TractorDeclaration;
  sample: TelemetrySample | null;
  status: TractorStatus | null;
}

interface DecodedChunk {
  chunk: ChunkIndexEntry;
  samples: TelemetrySample[][];
  statuses: TractorStatus[][];
}

export class RecordingReadError extends Error {
  override readonly name = 'RecordingReadError';
}

export class RecordingReader {
  private decoded: DecodedChunk | null = null;
  /** Problems met while decoding (a damaged chunk is skipped, not fatal). */
  readonly problems: string[] = [];

  private constructor(
    readonly path: string,
    readonly header: RecordingHeader,
    private readonly telemetry: (ChunkIndexEntry & { atMs: number })[],
    /** Every event, ordered by time. */
    readonly events: readonly RecordedEvent[],
    readonly durationMs: number,
    readonly tornBytes: number,
  ) {}

  static open(path: string): RecordingReader {
    const scan = scanRecording(path);
    if (!scan.ok) throw new RecordingReadError(`${path}: ${scan.error}`);
    const { header, chunks, tornBytes } = scan.value;
    const events = scan.value.events.slice().sort((a, b) => a.atMs - b.atMs);
    const telemetry = chunks
      .filter((c) => c.kind === CHUNK_TELEMETRY)
      .map((c) => ({ ...c, atMs: c.startMs }));
    const durationMs = Math.max(0, ...chunks.map((c) => c.endMs));
    const reader = new RecordingReader(path, header, telemetry, events, durationMs, tornBytes);
    for (const r of scan.value.skipped)
      reader.problems.push(`${r.bytes} damaged byte(s) skipped at offset ${r.offset}`);
    return reader;
  }

  chunkCount(): number {
    return this.telemetry.length;
  }

  /** Tractors declared by `atMs`, each with its last sample and status at or before it. */
  fleetAt(atMs: number): RecordedTractor[] {
    const declared = this.eventsOf('tractor').filter((d) => d.atMs <= atMs);
    const decoded = this.chunkAt(atMs);
    return declared.map((declaration) => ({
      declaration,
      sample: decoded ? lastAtOrBefore(decoded.samples[declaration.idx], atMs) : null,
      status: decoded ? lastAtOrBefore(decoded.statuses[declaration.idx], atMs) : null,
    }));
  }

  /** The latest event of a type at or before `atMs`, else the first one (null if none). */
  latest<K extends RecordedEvent['type']>(
    type: K,
    atMs: number,
    orFirst = false,
  ): Extract<RecordedEvent, { type: K }> | null {
    const list = this.eventsOf(type);
    return lastAtOrBefore(list, atMs) ?? (orFirst ? (list[0] ?? null) : null);
  }

  eventsOf<K extends RecordedEvent['type']>(type: K): Extract<RecordedEvent, { type: K }>[] {
    let list = this.byType.get(type);
    if (!list) {
      list = this.events.filter((e) => e.type === type);
      this.byType.set(type, list);
    }
    return list as Extract<RecordedEvent, { type: K }>[];
  }

  private readonly byType = new Map<string, RecordedEvent[]>();
  private readonly worked = new WorkedGround(() => this.eventsOf('coverage'));

  /** A section's worked ground as last recorded at or before `atMs` (none before the first). */
  doneAt(sectionId: string, atMs: number): [number, number][][] {
    return this.worked.at(sectionId, atMs);
  }

  /** The telemetry chunk holding `atMs` (the last one starting at or before it), decoded. */
  private chunkAt(atMs: number): DecodedChunk | null {
    const chunk = lastAtOrBefore(this.telemetry, atMs);
    if (!chunk) return null;
    if (this.decoded?.chunk.bodyOffset === chunk.bodyOffset) return this.decoded;
    try {
      this.decoded = this.decode(chunk);
    } catch (err) {
      this.problems.push(err instanceof Error ? err.message : String(err));
      return null;
    }
    return this.decoded;
  }

  private decode(chunk: ChunkIndexEntry): DecodedChunk {
    const body = readChunkBody(this.path, chunk);
    if (body.length !== chunk.length || crc32(body) !== chunk.crc)
      throw new RecordingFormatError(`telemetry chunk at ${chunk.startMs} ms is damaged`);
    const raw = chunk.flags & FLAG_DEFLATED ? inflateRawSync(body) : body;
    const reader = new VarintReader(raw);
    const samples: TelemetrySample[][] = [];
    const statuses: TractorStatus[][] = [];
    const prev = new Map<number, { lon: number; lat: number; heading: number; speed: number }>();
    let atMs = chunk.startMs;
    while (!reader.done) {
      const kind = reader.uint();
      atMs += reader.uint();
      const idx = reader.uint();
      if (idx > 100_000) throw new RecordingFormatError('tractor index out of range');
      if (kind === ENTRY_SAMPLE) {
        const p = prev.get(idx) ?? { lon: 0, lat: 0, heading: 0, speed: 0 };
        const q = {
          lon: p.lon + reader.sint(),
          lat: p.lat + reader.sint(),
          heading: p.heading + reader.sint(),
          speed: p.speed + reader.sint(),
        };
        prev.set(idx, q);
        (samples[idx] ??= []).push({
          tractorIdx: idx,
          atMs,
          lon: q.lon / DEGREE_UNITS,
          lat: q.lat / DEGREE_UNITS,
          headingDeg: normaliseHeading(q.heading / HEADING_UNITS),
          speedMps: q.speed / SPEED_UNITS,
        });
      } else if (kind === ENTRY_STATUS) {
        const state = TRACTOR_STATES[reader.uint()];
        const mode = AUTONOMY_MODES[reader.uint()];
        const section = reader.bytes().toString('utf8');
        if (!state || !mode) throw new RecordingFormatError('unknown tractor state or mode');
        (statuses[idx] ??= []).push({
          tractorIdx: idx,
          atMs,
          state,
          mode,
          currentSectionId: section === '' ? null : section,
        });
      } else throw new RecordingFormatError(`unknown telemetry entry ${kind}`);
    }
    return { chunk, samples, statuses };
  }
}

/** Binary search: the last item with atMs <= t. */
export function lastAtOrBefore<T extends { atMs: number }>(
  list: readonly T[] | undefined,
  t: number,
): T | null {
  if (!list || list.length === 0) return null;
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]?.atMs ?? Infinity) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : (list[found] ?? null);
}

/** Degrees in [-180, 180), the station's convention. */
function normaliseHeading(deg: number): number {
  return ((((deg + 180) % 360) + 360) % 360) - 180;
}
