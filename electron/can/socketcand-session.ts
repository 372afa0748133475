import type { Socket } from 'node:net';
import type { Clock } from '../time/index.js';
import { frameTimestampNow, type CanFrame } from './can-frame.js';
import type { CanLink } from './can-link.js';
import { formatSocketcandFrame } from './socketcand-protocol.js';

/**
 * Frames one client may have waiting in its node's transmit queue, like a SocketCAN interface
 * with the default txqueuelen of 10.
 */
export const CLIENT_TX_WINDOW = 10;
/**
 * Frames read from a client's TCP stream that may wait for room in that queue (about 9 KB of
 * `< send >` text, a socket receive buffer's worth). At this many the socket is no longer read,
 * and reading resumes once half have gone, so a client writing faster than the wire is slowed
 * to the wire's pace by TCP instead of losing frames or piling them up in the station, while a
 * window of an ETP transfer is read ahead and keeps the wire busy.
 */
export const CLIENT_READ_AHEAD = 256;
/** A client that lets this much output pile up is too slow for the bus and is dropped. */
export const MAX_CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;
/** Refusals of one kind from one client are logged at most this often (the rest are counted). */
const REFUSAL_LOG_INTERVAL_MS = 1_000;

/** Why the server did not take a frame or a client (counted on /metrics, logged). */
export type SocketcandRefusal =
  'malformed' | 'bus-off' | 'disconnected' | 'slow-reader' | 'too-many-clients';

export interface SessionHooks {
  readonly clock: Clock;
  refused(reason: SocketcandRefusal, count: number): void;
  accepted(): void;
  delivered(count: number): void;
  log(line: string): void;
  /** The node may leave the bus (its queue is empty and the client is gone). */
  release(node: CanLink): void;
}

/**
 * The bus hands a batch's stamped frames to every client as the same objects, so each is
 * formatted once, not once per client: the later clients' writes wait behind that work, and the
 * garbage it makes can start a collection, between the batch's stamp and their write.
 */
const formattedStamped = new WeakMap<CanFrame, string>();

/**
 * One socketcand client's CAN socket: a node of its own on the bus. Its frames go onto the bus
 * through that node — arbitration, wire time, faults and captures as for any node — and it
 * receives what the bus delivers to that node (never its own frames), in batches (`deliver`).
 */
export class SocketcandSession {
  /** Frames parsed from the client, waiting for room in the node's queue. */
  private readonly pending: CanFrame[] = [];
  private inFlight = 0;
  private paused = false;
  private closed = false;
  private released = false;
  private readonly offs: (() => void)[] = [];
  private readonly unlogged = new Map<SocketcandRefusal, { count: number; detail: string }>();
  private readonly loggedAtMs = new Map<SocketcandRefusal, number>();

  constructor(
    readonly socket: Socket,
    readonly node: CanLink,
    readonly peer: string,
    private readonly hooks: SessionHooks,
    private readonly receiving: () => boolean,
  ) {
    this.offs.push(
      node.on('sent', () => {
        this.inFlight = Math.max(0, this.inFlight - 1);
        this.pump();
      }),
      node.on('state', (state) => {
        if (state !== 'bus-off') return;
        // The controller's queue is gone with it (ISO 11898-1 bus-off): those frames are lost.
        if (this.inFlight > 0) this.refuse('bus-off', this.inFlight, 'node went bus-off');
        this.inFlight = 0;
        this.pump();
      }),
      node.on('error', (error) => this.hooks.log(`socketcand: ${this.peer}: ${error.message}`)),
    );
  }

  /** A frame the client sent: onto the bus when its node has room, in order. */
  send(frame: CanFrame): void {
    if (this.closed) return;
    this.pending.push(frame);
    this.pump();
  }

  /** Call after a chunk was parsed: stop reading while many frames still wait for the bus. */
  chunkDone(): void {
    if (this.pending.length >= CLIENT_READ_AHEAD && !this.paused && !this.closed) {
      this.paused = true;
      this.socket.pause();
    }
  }

  refuse(reason: SocketcandRefusal, count: number, detail: string): void {
    this.hooks.refused(reason, count);
    const entry = this.unlogged.get(reason) ?? { count: 0, detail };
    entry.count += count;
    entry.detail = detail;
    this.unlogged.set(reason, entry);
    const now = this.hooks.clock.now();
    const last = this.loggedAtMs.get(reason);
    if (last === undefined || now - last >= REFUSAL_LOG_INTERVAL_MS) this.flushLog(reason, now);
  }

  /** The client left: frames it sent but the bus never took are refused; the node drains. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pending.length > 0)
      this.refuse('disconnected', this.pending.splice(0).length, 'client left before they went');
    for (const reason of [...this.unlogged.keys()]) this.flushLog(reason, this.hooks.clock.now());
    if (this.inFlight === 0) this.release();
  }

  private pump(): void {
    if (this.closed) {
      if (this.inFlight === 0) this.release();
      return;
    }
    while (this.inFlight < CLIENT_TX_WINDOW) {
      const frame = this.pending.shift();
      if (!frame) break;
      if (this.node.state !== 'open') {
        this.refuse('bus-off', 1, `its node is ${this.node.state}`);
        this.reply(`< error frame refused: node is ${this.node.state} >`);
        continue;
      }
      this.inFlight++;
      this.hooks.accepted();
      this.node.send(frame);
    }
    if (this.paused && this.pending.length <= CLIENT_READ_AHEAD / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /**
   * The frames the bus handed this client's node in one batch, in one write: a write per frame
   * costs the bus's thread a system call each, most of its time at a full bus, and stalled it for
   * hundreds of milliseconds on a loaded machine. The bus dated them as the batch left, just
   * before this write, so the client's arrival stays by their stamps however long the turn was.
   */
  deliver(frames: readonly CanFrame[]): void {
    if (this.closed || !this.receiving() || frames.length === 0) return;
    if (this.socket.writableLength > MAX_CLIENT_BACKLOG_BYTES) {
      // Never let one stalled reader grow the station's memory.
      this.refuse(
        'slow-reader',
        frames.length,
        `more than ${MAX_CLIENT_BACKLOG_BYTES} bytes unread`,
      );
      this.socket.destroy();
      return;
    }
    let text = '';
    for (const frame of frames) text += this.formatted(frame);
    this.socket.write(text);
    this.hooks.delivered(frames.length);
  }

  private formatted(frame: CanFrame): string {
    if (frame.timestampMs === undefined)
      return formatSocketcandFrame(frame, frameTimestampNow(this.hooks.clock));
    let text = formattedStamped.get(frame);
    if (text === undefined) {
      text = formatSocketcandFrame(frame, frame.timestampMs);
      formattedStamped.set(frame, text);
    }
    return text;
  }

  private reply(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  private flushLog(reason: SocketcandRefusal, now: number): void {
    const entry = this.unlogged.get(reason);
    if (!entry) return;
    this.unlogged.delete(reason);
    this.loggedAtMs.set(reason, now);
    this.hooks.log(
      `socketcand: ${this.peer}: refused ${entry.count} frame${entry.count === 1 ? '' : 's'} (${reason}: ${entry.detail})`,
    );
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    for (const off of this.offs.splice(0)) off();
    this.hooks.release(this.node);
  }
}
