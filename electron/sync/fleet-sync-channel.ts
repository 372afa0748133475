/**
 * The sync protocol's MessageChannel over the fleet link's sync lane (type 0x21, exactly once,
 * in order, TP/ETP when larger than a frame) to one peer, with what a 250 kbit/s bus needs and
 * a WebSocket does not:
 *
 * - Backpressure: at most `maxInFlight` messages of this channel are in the link's sync lane at
 *   a time. Later Yjs updates wait here, and consecutive waiting updates are merged into one
 *   before they go (Y.mergeUpdates over a few small updates), so a busy or slow bus makes
 *   updates fewer and larger instead of filling the lane (1,024 messages) with tiny ones whose
 *   TP handshakes would cost more than their content. The lane itself sits below stop,
 *   safety, control and telemetry traffic in the link's scheduler (fleet-link-node.ts).
 * - Compression: a message of COMPRESS_MIN_BYTES or more is sent deflated (raw DEFLATE,
 *   RFC 1951) when that is smaller. Byte 0 of every body says which: 0 plain, 1 deflated.
 *   Inflating is capped at the peer limit (16 MB), so a small hostile body cannot expand
 *   without bound.
 *
 * - No update before our step 2: until this channel has carried our answer to the peer's state
 *   vector, incremental updates are dropped — the step 2 is computed from the whole document
 *   when it is sent, so it carries them, while an update sent before it would reach the peer
 *   ahead of the structs it builds on (a clock gap its gate must refuse). On a WebSocket the
 *   window is a round trip; on a busy bus it is seconds.
 *
 * A message the link reports expired or dropped leaves the peer with a gap: the channel then
 * closes itself (`onClosed`), and the owner starts a fresh session (state-vector exchange).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MSG, type FleetLinkNode } from '../link/index.js';
import { MESSAGE_TYPE, type MessageChannel } from './message-channel.js';
import { DEFAULT_PEER_LIMITS } from './peer-limiter.js';

/** Smaller bodies gain nothing from DEFLATE (its block header and Huffman tables). */
export const COMPRESS_MIN_BYTES = 96;
/** Messages of one channel in the sync lane at once; the lane's window is 4 (fleet-protocol §5.3). */
export const DEFAULT_MAX_IN_FLIGHT = 2;
/** Largest merged update; a bigger backlog goes as several messages. */
const MAX_MERGED_BYTES = 256 * 1024;

const BODY = { plain: 0, deflated: 1 } as const;

export interface FleetSyncChannelOptions {
  readonly link: FleetLinkNode;
  readonly peer: string;
  readonly maxInFlight?: number;
  /** Called once when the channel closes, by its owner or because a message was lost. */
  readonly onClosed?: (reason: string) => void;
}

export interface FleetSyncChannelStats {
  messagesSent: number;
  /** Updates dropped because our step 2 had not gone yet (it carries them). */
  updatesBeforeStep2: number;
  updatesMerged: number;
  bytesBeforeCompression: number;
  bytesSent: number;
}

type Outgoing = { kind: 'update'; update: Uint8Array } | { kind: 'message'; bytes: Uint8Array };

export class FleetSyncChannel implements MessageChannel {
  readonly stats: FleetSyncChannelStats = {
    messagesSent: 0,
    updatesBeforeStep2: 0,
    updatesMerged: 0,
    bytesBeforeCompression: 0,
    bytesSent: 0,
  };
  private readonly link: FleetLinkNode;
  private readonly peer: string;
  private readonly maxInFlight: number;
  private readonly listeners = new Set<(bytes: Uint8Array) => void>();
  private readonly inFlight = new Set<string>();
  private queue: Outgoing[] = [];
  private readonly offs: (() => void)[] = [];
  private closed = false;
  private step2Sent = false;

  constructor(private readonly options: FleetSyncChannelOptions) {
    this.link = options.link;
    this.peer = options.peer;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.offs.push(
      this.link.onReliable((from, type, body) => {
        if (from !== this.peer || type !== MSG.SYNC_DATA) return;
        const bytes = decodeBody(body);
        for (const cb of [...this.listeners]) cb(bytes);
      }),
      this.link.onOutcome((event) => {
        if (!this.inFlight.delete(event.id)) return;
        if (event.outcome !== 'delivered') this.close(0, `sync message ${event.outcome}`);
        else this.pump();
      }),
    );
  }

  /** Messages waiting here (not yet handed to the link). */
  get waiting(): number {
    return this.queue.length;
  }

  /** True when nothing is waiting here or in flight on the link. */
  get idle(): boolean {
    return this.queue.length === 0 && this.inFlight.size === 0;
  }

  send(bytes: Uint8Array): void {
    if (this.closed) return;
    const kind = syncKindOf(bytes);
    if (kind === syncProtocol.messageYjsUpdate && !this.step2Sent) {
      this.stats.updatesBeforeStep2++;
      return;
    }
    if (kind === syncProtocol.messageYjsSyncStep2) this.step2Sent = true;
    const update = kind === syncProtocol.messageYjsUpdate ? updateOf(bytes) : undefined;
    this.queue.push(update ? { kind: 'update', update } : { kind: 'message', bytes });
    this.pump();
  }

  onMessage(cb: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Stops the channel; the fleet link has no session to close, so the code stays local. */
  close(_code = 0, reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.listeners.clear();
    for (const off of this.offs.splice(0)) off();
    this.options.onClosed?.(reason);
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < this.maxInFlight && this.queue.length > 0) {
      const bytes = this.nextMessage();
      if (!bytes) return;
      const body = encodeBody(bytes);
      const result = this.link.sendReliable(this.peer, MSG.SYNC_DATA, body);
      if (!result.ok) {
        this.close(0, `sync lane refused a message: ${result.reason}`);
        return;
      }
      this.inFlight.add(result.id);
      this.stats.messagesSent++;
      this.stats.bytesBeforeCompression += bytes.byteLength;
      this.stats.bytesSent += body.byteLength;
    }
  }

  /** The head of the queue; consecutive updates at the head are merged into one message. */
  private nextMessage(): Uint8Array | undefined {
    const head = this.queue.shift();
    if (!head) return undefined;
    if (head.kind === 'message') return head.bytes;
    const updates = [head.update];
    let size = head.update.byteLength;
    for (let next = this.queue[0]; next?.kind === 'update'; next = this.queue[0]) {
      if (size + next.update.byteLength > MAX_MERGED_BYTES) break;
      updates.push(next.update);
      size += next.update.byteLength;
      this.queue.shift();
    }
    this.stats.updatesMerged += updates.length - 1;
    const merged = updates.length === 1 ? head.update : Y.mergeUpdates(updates);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
    syncProtocol.writeUpdate(enc, merged);
    return encoding.toUint8Array(enc);
  }
}

/** The sync sub-type (step 1, step 2, update) of a y-websocket message, else undefined. */
function syncKindOf(bytes: Uint8Array): number | undefined {
  try {
    const dec = decoding.createDecoder(bytes);
    if (decoding.readVarUint(dec) !== MESSAGE_TYPE.sync) return undefined;
    return decoding.readVarUint(dec);
  } catch {
    return undefined;
  }
}

/** The Yjs update inside a y-websocket "sync update" message, else undefined. */
function updateOf(bytes: Uint8Array): Uint8Array | undefined {
  try {
    const dec = decoding.createDecoder(bytes);
    if (decoding.readVarUint(dec) !== MESSAGE_TYPE.sync) return undefined;
    if (decoding.readVarUint(dec) !== syncProtocol.messageYjsUpdate) return undefined;
    return decoding.readVarUint8Array(dec);
  } catch {
    return undefined;
  }
}

export function encodeBody(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength >= COMPRESS_MIN_BYTES) {
    const deflated = deflateRawSync(bytes);
    if (deflated.byteLength + 1 < bytes.byteLength) return withTag(BODY.deflated, deflated);
  }
  return withTag(BODY.plain, bytes);
}

/**
 * The y-websocket message in a body; an empty array for a body that cannot be read, which the
 * session then refuses as malformed (counted and logged like any bad input).
 */
export function decodeBody(body: Uint8Array): Uint8Array {
  const tag = body[0];
  const rest = body.subarray(1);
  if (tag === BODY.plain) return rest;
  if (tag !== BODY.deflated) return new Uint8Array();
  try {
    return new Uint8Array(
      inflateRawSync(rest, { maxOutputLength: DEFAULT_PEER_LIMITS.maxMessageBytes }),
    );
  } catch {
    return new Uint8Array();
  }
}

function withTag(tag: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.byteLength + 1);
  out[0] = tag;
  out.set(bytes, 1);
  return out;
}
