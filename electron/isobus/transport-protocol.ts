import type { Clock } from '../time/index.js';
import { GLOBAL_ADDRESS, MAX_UNICAST_ADDRESS, type PgnFrame } from './identifier.js';
import { PGN } from './pgn-registry.js';
import {
  ABORT_REASON,
  decodeCm,
  encodeCm,
  ETP_MAX_BYTES,
  TP_MAX_BYTES,
  TP_MIN_BYTES,
  packetCount,
} from './transport-messages.js';
import { BamReceiver, BamSender } from './bam-session.js';
import { ConnectionReceiver } from './connection-receiver.js';
import { ConnectionSender } from './connection-sender.js';
import { SendQueue } from './send-queue.js';
import {
  DEFAULT_TRANSPORT_CONFIG,
  type Session,
  type SessionContext,
  type TransportConfig,
} from './transport-session.js';

/** A whole message, before packeting or after reassembly. */
export interface IsobusMessage {
  readonly pgn: number;
  readonly source: number;
  readonly destination: number;
  readonly priority: number;
  readonly data: Uint8Array;
}

export type TransportResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: number; readonly byPeer: boolean };

export interface SessionEndInfo {
  readonly direction: 'tx' | 'rx';
  readonly kind: 'bam' | 'cmdt' | 'etp';
  readonly peer: number;
  readonly pgn: number;
  readonly size: number;
  readonly result: TransportResult;
}

export interface TransportOptions {
  readonly clock: Clock;
  readonly send: (frame: PgnFrame) => void;
  readonly onMessage: (message: IsobusMessage) => void;
  readonly onSessionEnd?: (info: SessionEndInfo) => void;
  readonly config?: Partial<TransportConfig>;
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
}

interface TxEntry {
  readonly session: BamSender | ConnectionSender;
  readonly message: IsobusMessage;
  readonly done: (result: TransportResult) => void;
}

interface QueuedSend {
  readonly message: IsobusMessage;
  readonly done: (result: TransportResult) => void;
}

/**
 * TP (BAM and CMDT) and ETP for one address, several sessions at once (one per peer and
 * direction, as ISO 11783-3 §5.10.1 allows). Bounded: at most `maxRxSessions` receptions and
 * `maxBufferedBytes` held; anything else is refused with the standard abort reason. Engine
 * style: handle() frames, tick() at nextDeadlineMs(); no timers or I/O of its own.
 */
export class TransportProtocol {
  readonly config: TransportConfig;
  private source = GLOBAL_ADDRESS;
  private readonly tx = new Map<string, TxEntry>();
  private readonly rx = new Map<string, ConnectionReceiver | BamReceiver>();
  private readonly waiting: SendQueue<QueuedSend>;
  private bufferedBytes = 0;

  constructor(private readonly options: TransportOptions) {
    this.config = { ...DEFAULT_TRANSPORT_CONFIG, ...options.config };
    this.waiting = new SendQueue(this.config.maxQueuedSends);
  }

  /**
   * Our source address, once claimed. Sends held by addressLost() (and any queued meanwhile)
   * start from it. A change without addressLost() first is treated as a loss of the old one.
   */
  setAddress(address: number): void {
    if (address === this.source) return;
    if (this.source <= MAX_UNICAST_ADDRESS) this.addressLost();
    this.source = address;
    for (const key of this.waiting.keys()) this.startNext(key);
  }

  /**
   * Our address was taken by a higher-priority NAME or given up. ISO 11783-5 (address claim,
   * §4.4) forbids any further use of a lost address, so every session ends without a frame —
   * not even an Abort, which would carry the lost address. Receptions are dropped (their
   * senders time out, or see our new claim); sends are held and start again from the
   * beginning when setAddress() gives the new address, or fail through failPending().
   */
  addressLost(): void {
    for (const [key, entry] of [...this.tx]) {
      entry.session.drop(ABORT_REASON.ANY_OTHER);
      this.tx.delete(key);
      this.waiting.unshift(key, { message: entry.message, done: entry.done });
    }
    for (const key of [...this.rx.keys()]) this.dropRx(key, ABORT_REASON.ANY_OTHER);
    this.source = GLOBAL_ADDRESS;
  }

  /** No address could be claimed: sends waiting for one fail (nothing goes on the wire). */
  failPending(reason: number = ABORT_REASON.ANY_OTHER): void {
    for (const key of this.waiting.keys()) {
      if (this.tx.has(key)) continue;
      for (const q of this.waiting.take(key)) q.done({ ok: false, reason, byPeer: false });
    }
  }

  /**
   * The control function at `address` is gone from it (another NAME claimed the address, or
   * its NAME moved elsewhere): our sessions with it end silently, since anything we sent there
   * now would reach someone else, and sends queued for that address fail.
   */
  peerGone(address: number): void {
    for (const [key, entry] of [...this.tx]) {
      if (entry.session.peer !== address || entry.message.destination === GLOBAL_ADDRESS) continue;
      entry.session.drop(ABORT_REASON.ANY_OTHER);
      for (const q of this.waiting.take(key)) q.done(gone);
      this.settleTx(key);
    }
    for (const kind of ['cmdt', 'etp'] as const)
      for (const q of this.waiting.take(`${kind}:${address}`)) q.done(gone);
    for (const [key, session] of [...this.rx])
      if (session.peer === address) this.dropRx(key, ABORT_REASON.ANY_OTHER);
  }

  /** Sends a message of 9 bytes or more: BAM if global, CMDT up to 1785 bytes, ETP above. */
  send(message: IsobusMessage, done: (result: TransportResult) => void): void {
    const size = message.data.length;
    const global = message.destination === GLOBAL_ADDRESS;
    if (size < TP_MIN_BYTES)
      throw new TransportError(`${size} bytes fit one frame; TP carries 9 or more`);
    if (global && size > TP_MAX_BYTES)
      throw new TransportError(
        `a broadcast carries at most ${TP_MAX_BYTES} bytes (BAM); ETP is destination-specific`,
      );
    if (size > ETP_MAX_BYTES)
      throw new TransportError(`${size} bytes exceed the ETP maximum of ${ETP_MAX_BYTES}`);
    if (!global && message.destination > MAX_UNICAST_ADDRESS)
      throw new TransportError(`bad destination ${message.destination}`);
    const key = txKey(message.destination, size);
    // Busy with that peer, or between addresses (held until setAddress): wait in line.
    if (this.tx.has(key) || this.source > MAX_UNICAST_ADDRESS) {
      if (!this.waiting.push(key, { message, done }))
        done({ ok: false, reason: ABORT_REASON.SYSTEM_RESOURCES_NEEDED, byPeer: false });
      return;
    }
    this.startTx(key, message, done);
  }

  /** Feeds a TP/ETP frame addressed to us (or global); returns false for other PGNs. */
  handle(frame: PgnFrame): boolean {
    const { pgn } = frame;
    if (pgn !== PGN.TP_CM && pgn !== PGN.TP_DT && pgn !== PGN.ETP_CM && pgn !== PGN.ETP_DT)
      return false;
    if (frame.source > MAX_UNICAST_ADDRESS || frame.source === this.source) return true;
    const etp = pgn === PGN.ETP_CM || pgn === PGN.ETP_DT;
    if (pgn === PGN.TP_DT || pgn === PGN.ETP_DT) {
      if (frame.data.length < 2) return true;
      const bam = frame.destination === GLOBAL_ADDRESS;
      const session = this.rx.get(rxKey(frame.source, bam ? 'bam' : etp ? 'etp' : 'cmdt'));
      if (session && !(session instanceof BamReceiver && etp)) session.onDt(frame.data);
      if (session) this.settleRx(rxKey(frame.source, bam ? 'bam' : etp ? 'etp' : 'cmdt'));
      return true;
    }
    this.onCm(frame, etp);
    return true;
  }

  nextDeadlineMs(): number | undefined {
    let earliest: number | undefined;
    const consider = (s: Session): void => {
      if (earliest === undefined || s.deadlineMs < earliest) earliest = s.deadlineMs;
    };
    for (const entry of this.tx.values()) consider(entry.session);
    for (const session of this.rx.values()) consider(session);
    return earliest;
  }

  tick(nowMs: number): void {
    for (const [key, entry] of [...this.tx]) {
      // A BAM sender may owe several packets if the tick came late; catch up in order.
      while (entry.session.status === 'active' && entry.session.deadlineMs <= nowMs)
        entry.session.onTimeout();
      this.settleTx(key);
    }
    for (const [key, session] of [...this.rx]) {
      if (session.deadlineMs <= nowMs) session.onTimeout();
      this.settleRx(key);
    }
  }

  /** Sessions currently open (tx + rx) — for tests, metrics and leak checks. */
  activeSessions(): number {
    return this.tx.size + this.rx.size;
  }

  heldBytes(): number {
    return this.bufferedBytes;
  }

  /** Aborts everything (address lost, node stopping). */
  reset(reason: number = ABORT_REASON.ANY_OTHER): void {
    for (const [key, entry] of [...this.tx]) {
      entry.session.abort(reason);
      this.settleTx(key);
    }
    for (const [key, session] of [...this.rx]) {
      if (session instanceof BamReceiver) session.drop(reason);
      else session.abort(reason);
      this.settleRx(key);
    }
    for (const key of this.waiting.keys())
      for (const q of this.waiting.take(key)) q.done({ ok: false, reason, byPeer: false });
  }

  private onCm(frame: PgnFrame, etp: boolean): void {
    const cm = decodeCm(frame.data, etp);
    if (!cm) return; // unknown control byte: ignored (J1939-21 §5.10.3)
    const peer = frame.source;
    const kind = etp ? 'etp' : 'cmdt';
    switch (cm.kind) {
      case 'rts':
        if (frame.destination === GLOBAL_ADDRESS) return; // RTS is never broadcast
        return this.onRts(frame, peer, cm.etp, cm.size, cm.packets, cm.maxPerCts, cm.pgn);
      case 'bam':
        if (etp || frame.destination !== GLOBAL_ADDRESS) return;
        if (cm.size < TP_MIN_BYTES || cm.size > TP_MAX_BYTES || cm.packets !== packetCount(cm.size))
          return;
        this.dropRx(rxKey(peer, 'bam'), ABORT_REASON.ANY_OTHER); // a new BAM replaces the old one
        if (!this.admit(cm.size)) return;
        this.rx.set(
          rxKey(peer, 'bam'),
          new BamReceiver(this.context(), peer, cm.pgn, cm.size, frame.priority),
        );
        this.bufferedBytes += cm.size;
        return;
      case 'cts': {
        const entry = this.tx.get(`${kind}:${peer}`);
        if (entry?.session instanceof ConnectionSender)
          entry.session.onCts(cm.count, cm.next, cm.pgn);
        return this.settleTx(`${kind}:${peer}`);
      }
      case 'eoma': {
        const entry = this.tx.get(`${kind}:${peer}`);
        if (entry?.session instanceof ConnectionSender) entry.session.onEoma(cm.pgn);
        return this.settleTx(`${kind}:${peer}`);
      }
      case 'dpo': {
        const session = this.rx.get(rxKey(peer, 'etp'));
        if (session instanceof ConnectionReceiver) session.onDpo(cm.count, cm.offset, cm.pgn);
        return this.settleRx(rxKey(peer, 'etp'));
      }
      case 'abort': {
        const entry = this.tx.get(`${kind}:${peer}`);
        if (entry && entry.session.pgn === cm.pgn) entry.session.peerAborted(cm.reason);
        this.settleTx(`${kind}:${peer}`);
        const session = this.rx.get(rxKey(peer, kind));
        if (session && session.pgn === cm.pgn) session.peerAborted(cm.reason);
        return this.settleRx(rxKey(peer, kind));
      }
    }
  }

  private onRts(
    frame: PgnFrame,
    peer: number,
    etp: boolean,
    size: number,
    packets: number,
    maxPerCts: number,
    pgn: number,
  ): void {
    const key = rxKey(peer, etp ? 'etp' : 'cmdt');
    const refuse = (reason: number): void =>
      this.options.send({
        priority: 7,
        pgn: frame.pgn,
        source: this.source,
        destination: peer,
        data: abortData(reason, pgn),
      });
    const badSize = etp
      ? size <= TP_MAX_BYTES
      : size < TP_MIN_BYTES || size > TP_MAX_BYTES || packets !== packetCount(size);
    if (badSize) return refuse(ABORT_REASON.ANY_OTHER);
    const existing = this.rx.get(key);
    if (existing && existing.pgn !== pgn) return refuse(ABORT_REASON.ALREADY_IN_SESSION);
    if (existing) this.dropRx(key, ABORT_REASON.ANY_OTHER); // the sender restarted the same message
    if (size > this.config.maxMessageBytes) return refuse(ABORT_REASON.SYSTEM_RESOURCES_NEEDED);
    if (this.rx.size >= this.config.maxRxSessions) return refuse(ABORT_REASON.ALREADY_IN_SESSION);
    if (!this.admit(size)) return refuse(ABORT_REASON.SYSTEM_RESOURCES_NEEDED);
    const session = new ConnectionReceiver(
      this.context(),
      etp,
      peer,
      pgn,
      size,
      maxPerCts,
      frame.priority,
    );
    this.rx.set(key, session);
    this.bufferedBytes += size;
    session.start();
    this.settleRx(key);
  }

  private admit(size: number): boolean {
    return (
      this.rx.size < this.config.maxRxSessions &&
      this.bufferedBytes + size <= this.config.maxBufferedBytes
    );
  }

  private startTx(
    key: string,
    message: IsobusMessage,
    done: (result: TransportResult) => void,
  ): void {
    const ctx = this.context();
    const size = message.data.length;
    const session =
      message.destination === GLOBAL_ADDRESS
        ? new BamSender(ctx, message.pgn, message.data)
        : new ConnectionSender(
            ctx,
            size > TP_MAX_BYTES,
            message.destination,
            message.pgn,
            message.data,
          );
    this.tx.set(key, { session, message, done });
    session.start();
    this.settleTx(key);
  }

  private settleTx(key: string): void {
    const entry = this.tx.get(key);
    if (!entry || entry.session.status === 'active') return;
    this.tx.delete(key);
    const s = entry.session;
    const result: TransportResult =
      s.status === 'complete'
        ? { ok: true }
        : { ok: false, reason: s.abortReason, byPeer: s.abortedByPeer };
    this.options.onSessionEnd?.({
      direction: 'tx',
      kind: kindOf(s),
      peer: s.peer,
      pgn: s.pgn,
      size: s.size,
      result,
    });
    entry.done(result);
    this.startNext(key);
  }

  /** Starts the next send waiting in `key`'s line, if that line is free and we have an address. */
  private startNext(key: string): void {
    if (this.tx.has(key) || this.source > MAX_UNICAST_ADDRESS) return;
    const next = this.waiting.shift(key);
    if (next) this.startTx(key, next.message, next.done);
  }

  private settleRx(key: string): void {
    const s = this.rx.get(key);
    if (!s || s.status === 'active') return;
    this.rx.delete(key);
    this.bufferedBytes -= s.size;
    const result: TransportResult =
      s.status === 'complete'
        ? { ok: true }
        : { ok: false, reason: s.abortReason, byPeer: s.abortedByPeer };
    this.options.onSessionEnd?.({
      direction: 'rx',
      kind: kindOf(s),
      peer: s.peer,
      pgn: s.pgn,
      size: s.size,
      result,
    });
    if (s.status === 'complete') {
      const destination = s instanceof BamReceiver ? GLOBAL_ADDRESS : this.source;
      this.options.onMessage({
        pgn: s.pgn,
        source: s.peer,
        destination,
        priority: s.priority,
        data: s.data,
      });
    }
  }

  private dropRx(key: string, reason: number): void {
    this.rx.get(key)?.drop(reason);
    this.settleRx(key);
  }

  private context(): SessionContext {
    return {
      config: this.config,
      source: this.source,
      now: () => this.options.clock.now(),
      sendFrame: (f) => this.options.send(f),
    };
  }
}

const gone: TransportResult = { ok: false, reason: ABORT_REASON.ANY_OTHER, byPeer: false };

function txKey(destination: number, size: number): string {
  if (destination === GLOBAL_ADDRESS) return 'bam';
  return `${size > TP_MAX_BYTES ? 'etp' : 'cmdt'}:${destination}`;
}

function rxKey(peer: number, kind: 'bam' | 'cmdt' | 'etp'): string {
  return `${kind}:${peer}`;
}

function kindOf(s: Session): 'bam' | 'cmdt' | 'etp' {
  if (s instanceof BamSender || s instanceof BamReceiver) return 'bam';
  return s.etp ? 'etp' : 'cmdt';
}

/** Abort has the same layout in TP and ETP (control byte 255). */
function abortData(reason: number, pgn: number): Uint8Array {
  return encodeCm({ kind: 'abort', etp: false, reason, pgn });
}
