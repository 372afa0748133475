/**
 * Durable outbox for reliable messages: what the engine has accepted from its caller and not yet
 * seen acknowledged or expired, plus the sequence state that makes retransmissions after a
 * restart recognisable as duplicates. The file store is an append-only log of checksummed JSON
 * lines: a crash (kill -9) loses nothing that was written, a torn last line is detected by its
 * CRC and ignored, and the log is compacted to the live records when it grows. A damaged line
 * anywhere else is not a crash but damage: the log is kept aside as it was and `problem` says
 * which messages it may have cost, for the station to raise.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppendFile, quarantineCopy, writeFileAtomically } from '../storage/index.js';
import { crc16 } from './crc.js';
import { LANES, type Lane } from './wire-format.js';

export interface StoredMessage {
  id: string;
  /** Order of acceptance, increasing. */
  serial: number;
  peer: string;
  lane: Lane;
  type: number;
  body: Uint8Array;
  /** Wall-clock deadline (ms since the epoch) after which the message expires. */
  deadlineWallMs: number;
  /** Sequence number once the message has been put on the wire. */
  seq: number | undefined;
}

export interface StoredOutbox {
  epoch: number | undefined;
  /** Next sequence number per `${peer}\u0000${lane}`. */
  nextSeq: Map<string, number>;
  messages: StoredMessage[];
  nextSerial: number;
}

export type Outcome = 'delivered' | 'expired' | 'dropped';

export interface OutboxStore {
  load(): StoredOutbox;
  setEpoch(epoch: number): void;
  /** Called before `send` returns to the caller: once it returns, the message survives a crash. */
  put(message: StoredMessage): void;
  /** Called before the first transmission with a sequence number. */
  assignSeq(id: string, peer: string, lane: Lane, seq: number): void;
  remove(id: string, outcome: Outcome): void;
  close(): void;
}

export function seqKey(peer: string, lane: Lane): string {
  return `${peer}\u0000${lane}`;
}

/** Keeps nothing across restarts (tractors without a data folder, unit tests). */
export class MemoryOutboxStore implements OutboxStore {
  load(): StoredOutbox {
    return { epoch: undefined, nextSeq: new Map(), messages: [], nextSerial: 0 };
  }
  setEpoch(): void {}
  put(): void {}
  assignSeq(): void {}
  remove(): void {}
  close(): void {}
}

const laneSchema = z.enum(LANES);
const recordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('E'), epoch: z.number().int().min(0).max(255) }),
  z.object({
    t: z.literal('M'),
    id: z.string().min(1).max(200),
    n: z.number().int().nonnegative(),
    peer: z.string().min(1).max(200),
    lane: laneSchema,
    type: z.number().int().min(0).max(255),
    body: z.string().max(200_000_000),
    deadline: z.number(),
  }),
  z.object({
    t: z.literal('S'),
    id: z.string(),
    peer: z.string(),
    lane: laneSchema,
    seq: z.number().int().min(0).max(255),
  }),
  z.object({ t: z.literal('D'), id: z.string(), o: z.enum(['delivered', 'expired', 'dropped']) }),
  z.object({
    t: z.literal('C'),
    peer: z.string(),
    lane: laneSchema,
    next: z.number().int().min(0).max(255),
  }),
]);
type LogRecord = z.infer<typeof recordSchema>;

export interface FileOutboxStoreOptions {
  /**
   * fdatasync the records in the background (one at a time, each covering every record written
   * before it), so a power cut loses at most the last few milliseconds; kill -9 loses nothing
   * either way. Not on the appending thread: that is the safety core's, and a burst of orders
   * would otherwise wait for the disk once per record.
   */
  fsync?: boolean;
  /** Compact when the log has this many lines and at most a quarter of them are live. */
  compactAfterLines?: number;
  /** Wall-clock source for the name of a damaged log kept aside (no Date.now() in the core). */
  wallNow?: () => number;
}

const LOG_NAME = 'fleet-outbox.log';
const DEFAULT_COMPACT_AFTER = 5_000;

export class FileOutboxStore implements OutboxStore {
  private readonly path: string;
  private out: AppendFile | undefined;
  private readonly fsync: boolean;
  private readonly wallNow: () => number;
  private readonly compactAfter: number;
  private lines = 0;
  private epoch: number | undefined;
  private readonly live = new Map<string, StoredMessage>();
  private readonly nextSeq = new Map<string, number>();
  /** Lines rejected on load (torn tail or damage): counted, never fatal. */
  skippedOnLoad = 0;
  /**
   * What loading found: damage (a bad line before the last, or an emptied log: records that may
   * have been undelivered messages were lost, so `hold`), or a torn last record (a crash while
   * writing — or the log cut short, which looks the same); null if nothing.
   */
  problem: { message: string; hold: boolean } | null = null;

  constructor(
    readonly dir: string,
    options: FileOutboxStoreOptions = {},
  ) {
    this.path = join(dir, LOG_NAME);
    this.fsync = options.fsync ?? true;
    this.compactAfter = options.compactAfterLines ?? DEFAULT_COMPACT_AFTER;
    this.wallNow = options.wallNow ?? (() => 0);
  }

  load(): StoredOutbox {
    mkdirSync(this.dir, { recursive: true });
    let maxSerial = -1;
    if (existsSync(this.path)) {
      const text = readFileSync(this.path, 'utf8');
      // A log in use always holds its epoch record: an empty one lost everything it had.
      if (text.length === 0)
        this.problem = {
          message: `fleet outbox ${this.path} was empty: the messages it kept for the tractors are lost`,
          hold: true,
        };
      const lines = text.split('\n');
      // Only the last line can be torn by a crash (it has no newline yet).
      const last = lines.length - 1;
      let damaged = 0;
      const seen = new Set<string>();
      const orphans = new Set<string>();
      lines.forEach((line, i) => {
        if (line === '') return;
        const record = parseLine(line);
        if (!record) {
          this.skippedOnLoad++;
          if (i !== last) damaged++;
          return;
        }
        if (record.t === 'M') seen.add(record.id);
        // A record about a message whose own line is gone: that message was damaged away.
        if (record.t === 'S' && !seen.has(record.id)) orphans.add(record.id);
        if (record.t === 'D') orphans.delete(record.id);
        this.apply(record);
        if (record.t === 'M') maxSerial = Math.max(maxSerial, record.n);
      });
      if (damaged > 0) {
        const keptAt = quarantineCopy(this.path, { wallMs: this.wallNow() });
        const lost =
          orphans.size > 0 ? `; undelivered messages lost: ${[...orphans].join(', ')}` : '';
        this.problem = {
          message: `fleet outbox had ${damaged} damaged line(s) (kept at ${keptAt})${lost}`,
          hold: true,
        };
      } else if ((lines[last] ?? '') !== '')
        this.problem = {
          message: `fleet outbox ended in a torn record (${(lines[last] ?? '').length} bytes: a crash while writing, or the log cut short); dropped`,
          hold: false,
        };
    }
    this.rewrite();
    const messages = [...this.live.values()].sort((a, b) => a.serial - b.serial);
    return {
      epoch: this.epoch,
      nextSeq: new Map(this.nextSeq),
      messages: messages.map((m) => ({ ...m })),
      nextSerial: maxSerial + 1,
    };
  }

  setEpoch(epoch: number): void {
    if (this.epoch === epoch) return;
    this.epoch = epoch;
    this.append({ t: 'E', epoch });
  }

  put(m: StoredMessage): void {
    this.live.set(m.id, { ...m });
    this.append(messageRecord(m));
  }

  assignSeq(id: string, peer: string, lane: Lane, seq: number): void {
    const m = this.live.get(id);
    if (m) m.seq = seq;
    this.nextSeq.set(seqKey(peer, lane), (seq + 1) & 0xff);
    this.append({ t: 'S', id, peer, lane, seq });
  }

  remove(id: string, outcome: Outcome): void {
    if (!this.live.delete(id)) return;
    this.append({ t: 'D', id, o: outcome });
    if (this.lines >= this.compactAfter && this.live.size * 4 <= this.lines) this.rewrite();
  }

  close(): void {
    this.out?.close();
    this.out = undefined;
  }

  /** Lines in the log now (for tests of compaction). */
  lineCount(): number {
    return this.lines;
  }

  private apply(r: LogRecord): void {
    switch (r.t) {
      case 'E':
        this.epoch = r.epoch;
        return;
      case 'M':
        this.live.set(r.id, {
          id: r.id,
          serial: r.n,
          peer: r.peer,
          lane: r.lane,
          type: r.type,
          body: new Uint8Array(Buffer.from(r.body, 'base64')),
          deadlineWallMs: r.deadline,
          seq: undefined,
        });
        return;
      case 'S': {
        const m = this.live.get(r.id);
        if (m) m.seq = r.seq;
        this.nextSeq.set(seqKey(r.peer, r.lane), (r.seq + 1) & 0xff);
        return;
      }
      case 'D':
        this.live.delete(r.id);
        return;
      case 'C':
        this.nextSeq.set(seqKey(r.peer, r.lane), r.next);
        return;
    }
  }

  /** Writes the live state to a new log and atomically replaces the old one. */
  private rewrite(): void {
    this.close();
    const records: LogRecord[] = [];
    if (this.epoch !== undefined) records.push({ t: 'E', epoch: this.epoch });
    for (const [key, next] of this.nextSeq) {
      const [peer = '', lane = 'bulk'] = key.split('\u0000');
      records.push({ t: 'C', peer, lane: lane as Lane, next });
    }
    for (const m of [...this.live.values()].sort((a, b) => a.serial - b.serial)) {
      records.push(messageRecord(m));
      if (m.seq !== undefined)
        records.push({ t: 'S', id: m.id, peer: m.peer, lane: m.lane, seq: m.seq });
    }
    writeFileAtomically(this.path, records.map(formatLine).join(''));
    this.lines = records.length;
    this.out = this.openLog();
  }

  private append(record: LogRecord): void {
    this.out ??= this.openLog();
    this.out.append(formatLine(record));
    this.lines++;
  }

  private openLog(): AppendFile {
    return new AppendFile(this.path, this.fsync ? 'data-background' : 'none');
  }
}

function formatLine(record: LogRecord): string {
  const json = JSON.stringify(record);
  return `${crc16(Buffer.from(json, 'utf8')).toString(16).padStart(4, '0')} ${json}\n`;
}

function parseLine(line: string): LogRecord | undefined {
  const space = line.indexOf(' ');
  if (space !== 4) return undefined;
  const json = line.slice(5);
  if (Number.parseInt(line.slice(0, 4), 16) !== crc16(Buffer.from(json, 'utf8'))) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The log line that stores a message (written on put and again when the log is compacted). */
function messageRecord(m: StoredMessage): LogRecord {
  return {
    t: 'M',
    id: m.id,
    n: m.serial,
    peer: m.peer,
    lane: m.lane,
    type: m.type,
    body: Buffer.from(m.body).toString('base64'),
    deadline: m.deadlineWallMs,
  };
}
