/**
 * The reliable-delivery engine of the fleet link: per peer and lane it numbers
 * messages, keeps at most a window of them unacknowledged, retransmits on timeout with
 * exponential backoff and seeded jitter, suppresses duplicates and reorders on receipt so each
 * message reaches the application exactly once and in order, expires messages at their TTL and
 * tells the sender, and holds messages for peers that are unreachable (store-and-forward,
 * persisted through an OutboxStore). Engine style: no timers and no I/O — the owner feeds
 * handle(), calls tick() at nextDeadlineMs(), and pulls frames with nextFrame() in lane order,
 * which is what lets its scheduler keep the CAN transmit queue short (see fleet-link-node.ts).
 */
import type { Clock, Random } from '../time/index.js';
import { mergeConfig, type ReliableConfig } from './reliable-config.js';
import {
  encodeReliable,
  type ReliableAck,
  type ReliableFrame,
  SINGLE_FRAME_BODY_BYTES,
} from './link-frames.js';
import { ReliableReceiver, serialDiff } from './reliable-receiver.js';
import {
  MemoryOutboxStore,
  type Outcome,
  type OutboxStore,
  type StoredMessage,
} from './outbox-store.js';
import { LANES, laneOfType, lanePriority, type Lane } from './wire-format.js';

export interface OutgoingFrame {
  readonly peer: string;
  readonly lane: Lane;
  readonly priority: number;
  readonly data: Uint8Array;
  /** The message this frame carries (undefined for acks). */
  readonly messageId: string | undefined;
}

export interface DeliveredMessage {
  readonly peer: string;
  readonly lane: Lane;
  readonly type: number;
  readonly body: Uint8Array;
}

export interface OutcomeEvent {
  readonly id: string;
  readonly peer: string;
  readonly lane: Lane;
  readonly type: number;
  readonly outcome: Outcome;
  /** Accepted to outcome, ms (for a message restored after a restart, from the restart). */
  readonly latencyMs: number;
}

export type SendResult =
  { ok: true; id: string } | { ok: false; reason: 'queue-full' | 'bad-type' };

export interface ReliableEngineOptions {
  clock: Clock;
  random: Random;
  /** Our epoch when the store holds none (a fresh node): 0–255, different on every cold start. */
  epoch: number;
  store?: OutboxStore;
  config?: Partial<ReliableConfig>;
  deliver: (message: DeliveredMessage) => void;
  outcome?: (event: OutcomeEvent) => void;
}

export interface ReliableCounters {
  accepted: number;
  transmissions: number;
  retransmissions: number;
  delivered: number;
  expired: number;
  dropped: number;
  refused: number;
  received: number;
  duplicates: number;
  reordered: number;
  reorderOverflow: number;
  skipped: number;
  epochResets: number;
  staleAcks: number;
  acksSent: number;
  suspensions: number;
}

interface OutMsg extends StoredMessage {
  attempts: number;
  dueMs: number;
  lastSentMs: number;
  acceptedMs: number;
}

interface SendLane {
  msgs: OutMsg[];
  nextSeq: number;
}

interface Peer {
  readonly id: string;
  reachable: boolean;
  suspended: boolean;
  readonly lanes: Record<Lane, SendLane>;
  srttMs: number | undefined;
  rttvarMs: number;
}

export class ReliableEngine {
  readonly epoch: number;
  readonly config: ReliableConfig;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly store: OutboxStore;
  private readonly peers = new Map<string, Peer>();
  private readonly receiver: ReliableReceiver;
  private nextSerial: number;
  private rotate = 0;
  readonly counters: ReliableCounters = {
    accepted: 0,
    transmissions: 0,
    retransmissions: 0,
    delivered: 0,
    expired: 0,
    dropped: 0,
    refused: 0,
    received: 0,
    duplicates: 0,
    reordered: 0,
    reorderOverflow: 0,
    skipped: 0,
    epochResets: 0,
    staleAcks: 0,
    acksSent: 0,
    suspensions: 0,
  };

  constructor(private readonly options: ReliableEngineOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.config = mergeConfig(options.config);
    this.store = options.store ?? new MemoryOutboxStore();
    this.receiver = new ReliableReceiver(
      this.config.reorderBuffer,
      (peer, lane, d) => this.options.deliver({ peer, lane, type: d.type, body: d.body }),
      this.counters,
    );
    const restored = this.store.load();
    this.epoch = (restored.epoch ?? options.epoch) & 0xff;
    this.store.setEpoch(this.epoch);
    this.nextSerial = restored.nextSerial;
    for (const [key, next] of restored.nextSeq) {
      const [peer = '', lane = 'bulk'] = key.split('\u0000');
      const p = this.peer(peer);
      p.lanes[lane as Lane].nextSeq = next;
    }
    const now = this.clock.now();
    for (const m of restored.messages) {
      // A message that was on the wire before the restart goes again at once (the receiver
      // drops it as a duplicate if it had it); the rest wait their turn in acceptance order.
      this.peer(m.peer).lanes[m.lane].msgs.push({
        ...m,
        attempts: 0,
        dueMs: now,
        lastSentMs: now,
        acceptedMs: now,
      });
    }
  }

  /** Accepts a message; once this returns ok, the message is in the store (durable if the store is). */
  send(peer: string, type: number, body: Uint8Array, options: { ttlMs?: number } = {}): SendResult {
    const lane = laneOfType(type);
    if (!lane) return { ok: false, reason: 'bad-type' };
    const p = this.peer(peer);
    const sl = p.lanes[lane];
    if (sl.msgs.length >= this.config.queueLimit[lane]) {
      const victim =
        this.config.policy[lane] === 'drop-oldest'
          ? sl.msgs.findIndex((m) => m.seq === undefined)
          : -1;
      if (victim < 0) {
        this.counters.refused++;
        return { ok: false, reason: 'queue-full' };
      }
      const [dropped] = sl.msgs.splice(victim, 1);
      if (dropped) this.finish(dropped, 'dropped');
    }
    const serial = this.nextSerial++;
    const now = this.clock.now();
    const ttl = options.ttlMs ?? this.config.defaultTtlMs[lane];
    const m: OutMsg = {
      id: `${this.epoch.toString(16)}-${serial}`,
      serial,
      peer,
      lane,
      type,
      body: body.slice(),
      deadlineWallMs: this.clock.wallNow() + ttl,
      seq: undefined,
      attempts: 0,
      dueMs: now,
      lastSentMs: now,
      acceptedMs: now,
    };
    this.store.put(m);
    sl.msgs.push(m);
    this.counters.accepted++;
    return { ok: true, id: m.id };
  }

  /** Tells the engine whether the peer can be reached (liveness + a known address). */
  setReachable(peer: string, reachable: boolean): void {
    const p = this.peer(peer);
    if (reachable && !p.reachable) this.resume(p);
    p.reachable = reachable;
  }

  /** Any frame heard from the peer: a suspended peer is tried again at once. */
  heard(peer: string): void {
    const p = this.peers.get(peer);
    if (p?.suspended) this.resume(p);
  }

  /** The peer restarted (a new instance): its fresh numbering is accepted whatever its epoch. */
  peerRestarted(peer: string): void {
    this.receiver.forget(peer);
  }

  handle(peer: string, frame: ReliableFrame): void {
    if (frame.kind === 'ack') this.onAck(this.peer(peer), frame);
    else this.receiver.onData(peer, frame);
  }

  /**
   * The next frame to put on the wire, highest lane first: within a lane acks, then due
   * retransmissions, then new messages inside the window. `canSend` lets the owner hold back a
   * peer (e.g. a TP transfer to it is still running).
   */
  nextFrame(
    canSend: (peer: string, bytes: number) => boolean = () => true,
    lanes: readonly Lane[] = LANES,
  ): OutgoingFrame | undefined {
    const now = this.clock.now();
    const peers = [...this.peers.values()];
    this.rotate = (this.rotate + 1) % Math.max(1, peers.length);
    for (const lane of lanes) {
      const ack = this.receiver.takeAck(lane);
      if (ack) return { ...ack, messageId: undefined };
      for (let i = 0; i < peers.length; i++) {
        const p = peers[(i + this.rotate) % peers.length];
        if (!p || !p.reachable || p.suspended) continue;
        const out = this.nextOf(p, lane, now, canSend);
        if (out) return out;
      }
    }
    return undefined;
  }

  /**
   * Withdraws every message of `type` to `peer` not yet acknowledged, because a later command
   * made it moot (a start overtaken by a stop must never arrive after the stop's release).
   * Reported as dropped. The receiver moves past a withdrawn sequence number when our next
   * frame's `base` passes it. Returns how many were withdrawn.
   */
  withdraw(peer: string, type: number): number {
    const p = this.peers.get(peer);
    const lane = laneOfType(type);
    if (!p || !lane) return 0;
    const sl = p.lanes[lane];
    const moot = sl.msgs.filter((m) => m.type === type);
    if (moot.length === 0) return 0;
    sl.msgs = sl.msgs.filter((m) => m.type !== type);
    for (const m of moot) this.finish(m, 'dropped');
    return moot.length;
  }

  /** The TP/ETP transfer carrying `messageId` failed: try again soon rather than at the timeout. */
  transferFailed(messageId: string): void {
    for (const p of this.peers.values()) {
      for (const lane of LANES) {
        const m = p.lanes[lane].msgs.find((x) => x.id === messageId);
        if (m) m.dueMs = Math.min(m.dueMs, this.clock.now() + this.config.minRtoMs);
      }
    }
  }

  /** Expires messages whose TTL has passed. */
  tick(_nowMs: number = this.clock.now()): void {
    const wall = this.clock.wallNow();
    for (const p of this.peers.values()) {
      for (const lane of LANES) {
        const sl = p.lanes[lane];
        if (!sl.msgs.some((m) => m.deadlineWallMs <= wall)) continue;
        const keep: OutMsg[] = [];
        for (const m of sl.msgs) {
          if (m.deadlineWallMs <= wall) this.finish(m, 'expired');
          else keep.push(m);
        }
        sl.msgs = keep;
      }
    }
  }

  /** When tick() (TTL) or nextFrame() (a retransmission) next has work; undefined if never. */
  nextDeadlineMs(): number | undefined {
    let due = Infinity;
    const offset = this.clock.now() - this.clock.wallNow();
    for (const p of this.peers.values()) {
      for (const lane of LANES) {
        for (const m of p.lanes[lane].msgs) {
          due = Math.min(due, m.deadlineWallMs + offset);
          if (m.seq !== undefined && p.reachable && !p.suspended) due = Math.min(due, m.dueMs);
        }
      }
    }
    return due === Infinity ? undefined : due;
  }

  /** Messages held per peer and lane (queued + in flight). */
  queued(peer?: string): Record<Lane, number> {
    const out: Record<Lane, number> = { safety: 0, control: 0, sync: 0, bulk: 0 };
    for (const p of this.peers.values()) {
      if (peer !== undefined && p.id !== peer) continue;
      for (const lane of LANES) out[lane] += p.lanes[lane].msgs.length;
    }
    return out;
  }

  /** Smoothed round-trip time to the peer from acknowledged single-frame messages. */
  rttMs(peer: string): number | undefined {
    return this.peers.get(peer)?.srttMs;
  }

  isSuspended(peer: string): boolean {
    return this.peers.get(peer)?.suspended ?? false;
  }

  close(): void {
    this.store.close();
  }

  private peer(id: string): Peer {
    let p = this.peers.get(id);
    if (!p) {
      const lanes = Object.fromEntries(
        LANES.map((l) => [l, { msgs: [], nextSeq: 0 }]),
      ) as unknown as Record<Lane, SendLane>;
      p = { id, reachable: false, suspended: false, lanes, srttMs: undefined, rttvarMs: 0 };
      this.peers.set(id, p);
    }
    return p;
  }

  private resume(p: Peer): void {
    p.suspended = false;
    const now = this.clock.now();
    for (const lane of LANES) {
      for (const m of p.lanes[lane].msgs) {
        if (m.seq === undefined) continue;
        m.attempts = 0;
        m.dueMs = now;
      }
    }
  }

  private nextOf(
    p: Peer,
    lane: Lane,
    now: number,
    canSend: (peer: string, bytes: number) => boolean,
  ): OutgoingFrame | undefined {
    const sl = p.lanes[lane];
    let inflight = 0;
    for (const m of sl.msgs) {
      if (m.seq === undefined) break;
      inflight++;
      if (m.dueMs > now) continue;
      if (m.attempts >= this.config.maxAttempts) {
        // The peer has not answered any of our tries: hold everything for it until we hear it.
        p.suspended = true;
        this.counters.suspensions++;
        return undefined;
      }
      return this.transmit(p, sl, m, now, canSend);
    }
    if (inflight >= this.config.window[lane]) return undefined;
    const m = sl.msgs[inflight];
    if (!m) return undefined;
    if (!canSend(p.id, frameBytes(m))) return undefined;
    const seq = sl.nextSeq;
    sl.nextSeq = (seq + 1) & 0xff;
    m.seq = seq;
    this.store.assignSeq(m.id, p.id, lane, seq);
    return this.transmit(p, sl, m, now, canSend);
  }

  private transmit(
    p: Peer,
    sl: SendLane,
    m: OutMsg,
    now: number,
    canSend: (peer: string, bytes: number) => boolean,
  ): OutgoingFrame | undefined {
    const bytes = frameBytes(m);
    if (m.attempts > 0 && !canSend(p.id, bytes)) return undefined;
    const seq = m.seq ?? 0;
    const base = sl.msgs[0]?.seq ?? seq;
    const data = encodeReliable({
      kind: 'data',
      type: m.type,
      epoch: this.epoch,
      seq,
      base,
      body: m.body,
    });
    if (m.attempts > 0) this.counters.retransmissions++;
    this.counters.transmissions++;
    m.attempts++;
    m.lastSentMs = now;
    m.dueMs = now + this.timeoutMs(p, m, data.length);
    return { peer: p.id, lane: m.lane, priority: lanePriority(m.lane), data, messageId: m.id };
  }

  private timeoutMs(p: Peer, m: OutMsg, bytes: number): number {
    const c = this.config;
    const estimate = p.srttMs === undefined ? c.initialRtoMs : p.srttMs + 4 * p.rttvarMs;
    const frames = bytes <= 8 ? 1 : Math.ceil(bytes / 7) + 3; // RTS, CTS, EoMA around the data packets
    const base = Math.max(c.minRtoMs, estimate) + (frames > 1 ? frames * c.perFrameAllowanceMs : 0);
    const backedOff = Math.min(c.maxRtoMs, base * c.backoff ** Math.max(0, m.attempts - 1));
    return backedOff * (1 - c.jitter + 2 * c.jitter * this.random.next());
  }

  private onAck(p: Peer, ack: ReliableAck): void {
    if (ack.epoch !== this.epoch) {
      this.counters.staleAcks++;
      return;
    }
    if (p.suspended) this.resume(p);
    const sl = p.lanes[ack.lane];
    const first = sl.msgs[0];
    if (first?.seq === undefined) return;
    const base = first.seq;
    const covered = serialDiff(ack.cumulative, base) + 1; // how many seqs from base are acknowledged
    const span = (sl.nextSeq - base) & 0xff;
    if (covered <= 0 || covered > span) {
      if (covered > span) this.counters.staleAcks++;
      return;
    }
    const now = this.clock.now();
    while (sl.msgs[0]?.seq !== undefined && ((sl.msgs[0].seq - base) & 0xff) < covered) {
      const m = sl.msgs.shift();
      if (!m) break;
      if (m.attempts === 1 && m.body.length <= SINGLE_FRAME_BODY_BYTES)
        this.sampleRtt(p, now - m.lastSentMs);
      this.finish(m, 'delivered');
    }
  }

  /** RFC 6298 §2 smoothing (alpha 1/8, beta 1/4); Karn's rule: only never-retransmitted messages. */
  private sampleRtt(p: Peer, sampleMs: number): void {
    if (p.srttMs === undefined) {
      p.srttMs = sampleMs;
      p.rttvarMs = sampleMs / 2;
      return;
    }
    p.rttvarMs = 0.75 * p.rttvarMs + 0.25 * Math.abs(p.srttMs - sampleMs);
    p.srttMs = 0.875 * p.srttMs + 0.125 * sampleMs;
  }

  private finish(m: OutMsg, outcome: Outcome): void {
    this.store.remove(m.id, outcome);
    this.counters[outcome]++;
    this.options.outcome?.({
      id: m.id,
      peer: m.peer,
      lane: m.lane,
      type: m.type,
      outcome,
      latencyMs: this.clock.now() - m.acceptedMs,
    });
  }
}

function frameBytes(m: StoredMessage): number {
  const n = 5 + m.body.length;
  return n + (n + 1 <= 8 ? 1 : 2);
}
