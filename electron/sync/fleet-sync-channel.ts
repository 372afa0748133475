/**
 * The sync protocol's MessageChannel over the fleet link's sync lane (type 0x21, exactly once,
 * in order) to one peer, with what a 250 kbit/s bus needs and a WebSocket does not:
 *
 * - Pieces: every message goes deflated when that is smaller, in pieces of at most one TP
 *   transfer each (fleet-sync-body.ts).
 * - Backpressure: at most `maxInFlight` pieces of this channel, and `budget` pieces of all the
 *   node's channels together (sync-budget.ts), are in the link at a time. Later Yjs updates
 *   wait here, and consecutive waiting updates are merged into one (Y.mergeUpdates over a few
 *   small updates), so a busy bus makes updates fewer and larger instead of filling the lane
 *   with tiny ones whose TP handshakes cost more than their content. The lane itself sits
 *   below stop, safety, control and telemetry traffic in the link's scheduler.
 * - No update before our step 2: until this channel has carried our answer to the peer's state
 *   vector, incremental updates are dropped — the step 2 is computed from the whole document
 *   when it is sent, so it carries them, while an update sent before it would reach the peer
 *   ahead of the structs it builds on (a clock gap its gate must refuse). On a WebSocket the
 *   window is a round trip; on a busy bus it is seconds.
 *
 * A piece the link reports expired or dropped leaves the peer with a gap: the channel then
 * closes itself (`onClosed`), and the owner starts a fresh session (state-vector exchange).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MSG, type FleetLinkNode } from '../link/index.js';
import { PieceReassembler, encodePieces } from './fleet-sync-body.js';
import { MESSAGE_TYPE, type MessageChannel } from './message-channel.js';
import { SyncBudget } from './sync-budget.js';

/** Pieces of one channel in the sync lane at once: the lane's window (fleet-protocol §5.3). */
export const DEFAULT_MAX_IN_FLIGHT = 4;
/**
 * A piece not delivered within this long is dropped by the link (and the channel resyncs): a
 * piece of a session that ended when its peer was lost must not wait in the lane for the
 * peer's return, ahead of the next session's state-vector exchange (the lane's default time to
 * live is 10 minutes).
 */
export const SYNC_PIECE_TTL_MS = 30_000;
/** Largest merged update; a bigger backlog goes as several messages. */
const MAX_MERGED_BYTES = 256 * 1024;

export interface FleetSyncChannelOptions {
  readonly link: FleetLinkNode;
  readonly peer: string;
  readonly maxInFlight?: number;
  /** Shared by every channel of one node (a fresh one of its own when absent). */
  readonly budget?: SyncBudget;
  /** Called once when the channel closes, by its owner or because a message was lost. */
  readonly onClosed?: (reason: string) => void;
  /**
   * Taken when a message is handed to the channel (e.g. the document's state vector then);
   * given back through `onDelivered` once the whole message — and so every earlier one — has
   * reached the peer.
   */
  readonly mark?: () => Uint8Array;
  readonly onDelivered?: (mark: Uint8Array) => void;
}

export interface FleetSyncChannelStats {
  messagesSent: number;
  /** Updates dropped because our step 2 had not gone yet (it carries them). */
  updatesBeforeStep2: number;
  updatesMerged: number;
  bytesBeforeCompression: number;
  bytesSent: number;
}

type Outgoing = (
  { kind: 'update'; update: Uint8Array } | { kind: 'message'; bytes: Uint8Array }
) & { mark: Uint8Array | undefined };

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
  private readonly budget: SyncBudget;
  private readonly reassembler = new PieceReassembler();
  private queue: Outgoing[] = [];
  private pieces: Uint8Array[] = [];
  private piecesMark: Uint8Array | undefined;
  /** The pieces being sent are urgent: a state-vector exchange, or part of a catch-up. */
  private piecesUrgent = false;
  /**
   * From a state-vector exchange until this channel first runs dry: the peer is catching up
   * (joining, or back from a cut), and what the station writes meanwhile — a replan when the
   * machine returns — reaches it before the others' routine updates, which merge as they wait.
   */
  private catchingUp = false;
  /** The mark of the message whose last piece has this link message id. */
  private readonly marks = new Map<string, Uint8Array>();
  private readonly wake = (): void => this.pump();
  private readonly offs: (() => void)[] = [];
  private closed = false;
  private step2Sent = false;

  constructor(private readonly options: FleetSyncChannelOptions) {
    this.link = options.link;
    this.peer = options.peer;
    this.maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.budget = options.budget ?? new SyncBudget();
    this.offs.push(
      this.link.onReliable((from, type, body) => {
        if (from === this.peer && type === MSG.SYNC_DATA) this.receive(body);
      }),
      this.link.onOutcome((event) => {
        if (!this.inFlight.delete(event.id)) return;
        // A catch-up keeps the node's slot for its next piece: served whole, not interleaved.
        this.budget.give(event.outcome === 'delivered' && this.catchingUp ? this.wake : undefined);
        const mark = this.marks.get(event.id);
        this.marks.delete(event.id);
        if (mark && event.outcome === 'delivered') this.options.onDelivered?.(mark);
        if (this.idle) this.catchingUp = false;
        if (event.outcome !== 'delivered') this.close(0, `sync message ${event.outcome}`);
        else this.pump();
      }),
    );
  }

  /** True when nothing is waiting here or in flight on the link. */
  get idle(): boolean {
    return this.queue.length === 0 && this.pieces.length === 0 && this.inFlight.size === 0;
  }

  /** A piece from the peer (the link's handler calls this; so may an owner that heard it first). */
  receive(piece: Uint8Array): void {
    if (this.closed) return;
    const bytes = this.reassembler.push(piece);
    if (bytes) for (const cb of [...this.listeners]) cb(bytes);
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
    const mark = this.options.mark?.();
    this.queue.push(update ? { kind: 'update', update, mark } : { kind: 'message', bytes, mark });
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
    this.pieces = [];
    this.budget.cancel(this.wake);
    // Pieces still in the link are no longer ours to track: their slots are free again.
    for (let i = 0; i < this.inFlight.size; i++) this.budget.give();
    this.inFlight.clear();
    this.listeners.clear();
    for (const off of this.offs.splice(0)) off();
    this.options.onClosed?.(reason);
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < this.maxInFlight) {
      if (this.pieces.length === 0) {
        const next = this.nextMessage();
        if (!next) return;
        const { bytes, mark } = next;
        this.pieces = encodePieces(bytes);
        this.piecesMark = mark;
        if (syncKindOf(bytes) !== syncProtocol.messageYjsUpdate) this.catchingUp = true;
        this.piecesUrgent = this.catchingUp;
        this.stats.messagesSent++;
        this.stats.bytesBeforeCompression += bytes.byteLength;
      }
      if (!this.budget.tryTake()) {
        this.budget.wait(this.wake, this.piecesUrgent);
        return;
      }
      const piece = this.pieces.shift();
      if (!piece) return;
      const result = this.link.sendReliable(this.peer, MSG.SYNC_DATA, piece, {
        ttlMs: SYNC_PIECE_TTL_MS,
      });
      if (!result.ok) {
        this.budget.give();
        this.close(0, `sync lane refused a message: ${result.reason}`);
        return;
      }
      this.inFlight.add(result.id);
      if (this.pieces.length === 0 && this.piecesMark) this.marks.set(result.id, this.piecesMark);
      this.stats.bytesSent += piece.byteLength;
    }
  }

  /** The head of the queue; consecutive updates at the head are merged into one message. */
  private nextMessage(): { bytes: Uint8Array; mark: Uint8Array | undefined } | undefined {
    const head = this.queue.shift();
    if (!head) return undefined;
    if (head.kind === 'message') return { bytes: head.bytes, mark: head.mark };
    let mark = head.mark;
    const updates = [head.update];
    let size = head.update.byteLength;
    for (let next = this.queue[0]; next?.kind === 'update'; next = this.queue[0]) {
      if (size + next.update.byteLength > MAX_MERGED_BYTES) break;
      updates.push(next.update);
      mark = next.mark;
      size += next.update.byteLength;
      this.queue.shift();
    }
    this.stats.updatesMerged += updates.length - 1;
    const merged = updates.length === 1 ? head.update : Y.mergeUpdates(updates);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
    syncProtocol.writeUpdate(enc, merged);
    return { bytes: encoding.toUint8Array(enc), mark };
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
