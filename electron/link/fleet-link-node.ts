/**
 * One fleet-link endpoint on an IsobusNode: the reliable engine, liveness, heartbeats, the
 * broadcast frames (telemetry, e-stop, stop-confirm) and the send scheduler that ties them to
 * the CAN link. The scheduler is what makes priority lanes real on a FIFO controller: it hands
 * the link at most `maxTxDepth` of our frames at a time (counting them back out through the
 * link's `sent` event) and always picks the highest class first — stop traffic, then safety and
 * control messages, then telemetry, then sync, then bulk — so a flood in a low lane never sits
 * in the controller's queue ahead of a stop. It owns one clock timer, like IsobusNode.
 */
import type { CanFrame, CanLink } from '../can/index.js';
import { toCanFrame, type IsobusMessage, type IsobusNode } from '../isobus/index.js';
import { seededRandom, type Clock, type Random } from '../time/index.js';
import { STATION_ADDRESS } from './fleet-messages.js';
import {
  decodeEstop,
  decodeHeartbeat,
  decodeReliable,
  decodeStopConfirm,
  decodeTelemetryA,
  decodeTelemetryB,
  encodeEstop,
  encodeHeartbeat,
  encodeStopConfirm,
  encodeTelemetryA,
  encodeTelemetryB,
  type EstopFrame,
  type HeartbeatFrame,
  type Rejection,
  type StopConfirmFrame,
  type TelemetryA,
  type TelemetryB,
} from './link-frames.js';
import type { OutboxStore } from './outbox-store.js';
import { PeerLiveness, type LivenessConfig, type PeerLinkStatus } from './peer-liveness.js';
import type { ReliableConfig } from './reliable-config.js';
import { ReliableEngine, type OutcomeEvent, type SendResult } from './reliable-engine.js';
import {
  ALL_TRACTORS,
  CAN_PRIORITY,
  PGN_ESTOP,
  PGN_FLEET_B_FIRST,
  PGN_FLEET_B_LAST,
  PGN_HEARTBEAT,
  PGN_RELIABLE,
  PGN_STOP_CONFIRM,
  PGN_TELEMETRY_A,
  PGN_TELEMETRY_B,
  ROLE,
  type Lane,
  type Role,
} from './wire-format.js';

export interface FleetLinkConfig {
  /** Heartbeat period (every node). */
  heartbeatPeriodMs: number;
  /**
   * A tractor whose telemetry flows (each telemetry frame refreshes its liveness) may stretch
   * its own heartbeat up to this gap, to save bus time; the station never stretches.
   */
  heartbeatMaxGapMs: number;
  /** Our frames the CAN controller may hold at once. */
  maxTxDepth: number;
  /**
   * Of those, how many may be low-class (telemetry, sync, bulk): a FIFO controller sends its
   * head first whatever stands behind it, so a low-priority head that keeps losing arbitration
   * would hold up a stop queued behind it (head-of-line blocking).
   */
  maxLowTxDepth: number;
  /** A frame handed to the link and never reported sent is forgotten after this. */
  txStaleMs: number;
  reliable: Partial<ReliableConfig>;
  liveness: Partial<LivenessConfig>;
}

export const DEFAULT_FLEET_LINK_CONFIG: FleetLinkConfig = {
  heartbeatPeriodMs: 100,
  heartbeatMaxGapMs: 1_000,
  maxTxDepth: 2,
  maxLowTxDepth: 1,
  txStaleMs: 100,
  reliable: {},
  liveness: {},
};

export type BroadcastEvent =
  | { kind: 'heartbeat'; frame: HeartbeatFrame }
  | { kind: 'telemetry-a'; frame: TelemetryA }
  | { kind: 'telemetry-b'; frame: TelemetryB }
  | { kind: 'estop'; frame: EstopFrame; forMe: boolean }
  | { kind: 'stop-confirm'; frame: StopConfirmFrame };

export interface FleetLinkNodeOptions {
  /** Our fleet id (`station`, `sim-01`, …). */
  id: string;
  role: Role;
  node: IsobusNode;
  link: CanLink;
  /**
   * A second transmit queue on the same bus for single-frame stop traffic (e-stop, stop-confirm,
   * heartbeat): like a second SocketCAN socket with SO_PRIORITY, or a controller's high-priority
   * mailbox. Frames sent on it never wait behind our own queued frames.
   */
  priorityLink?: CanLink;
  clock: Clock;
  random?: Random;
  /** The fleet roster: id → ISO NAME of every node we expect (the pairing table). */
  roster?: ReadonlyMap<string, bigint>;
  store?: OutboxStore;
  /** Our epoch for a cold start (no stored one); random by default. */
  epoch?: number;
  config?: Partial<FleetLinkConfig>;
}

export type RejectCounter = Rejection | 'unknown-pgn' | 'unknown-peer';

export interface FleetLinkCounters {
  framesSent: number;
  framesReceived: number;
  transfersStarted: number;
  transfersFailed: number;
  telemetrySuperseded: number;
  estopsUnaddressed: number;
  rejected: Record<RejectCounter, number>;
}

interface Pending {
  readonly pgn: number;
  readonly destination: number;
  readonly priority: number;
  readonly data: Uint8Array;
  readonly messageId?: string;
}

interface Outstanding {
  readonly canId: number;
  readonly data: Uint8Array;
  readonly atMs: number;
}

const DIRECTORY_REFRESH_MS = 1_000;
const GLOBAL = 0xff;

export class FleetLinkNode {
  readonly id: string;
  readonly role: Role;
  readonly engine: ReliableEngine;
  readonly liveness: PeerLiveness;
  readonly config: FleetLinkConfig;
  readonly counters: FleetLinkCounters = {
    framesSent: 0,
    framesReceived: 0,
    transfersStarted: 0,
    transfersFailed: 0,
    telemetrySuperseded: 0,
    estopsUnaddressed: 0,
    rejected: { short: 0, long: 0, crc: 0, version: 0, type: 0, field: 0, 'unknown-pgn': 0, 'unknown-peer': 0 },
  };
  private readonly node: IsobusNode;
  private readonly link: CanLink;
  private readonly priorityLink: CanLink | undefined;
  readonly clock: Clock;
  private readonly roster: Map<string, bigint>;
  private readonly rosterById = new Map<bigint, string>();
  private readonly stopQueue: Pending[] = [];
  private readonly confirmQueue: Pending[] = [];
  private heartbeatPending: Pending | undefined;
  private telemetryQueue: Pending[] = [];
  private readonly outstanding: Outstanding[] = [];
  private readonly tpBusy = new Set<number>();
  private readonly reliableHandlers = new Set<(peer: string, type: number, body: Uint8Array) => void>();
  private readonly broadcastHandlers = new Set<(peer: string, source: number, event: BroadcastEvent) => void>();
  private readonly outcomeHandlers = new Set<(event: OutcomeEvent) => void>();
  private readonly bcastSeq = new Map<number, number>();
  private readonly hbSentAt: number[] = new Array<number>(32).fill(Number.NaN);
  private directory = new Map<number, bigint>();
  private directoryAtMs = -Infinity;
  private stationAddress: number | undefined;
  private lastStationHb: { seq: number; atMs: number } | undefined;
  private nextHeartbeatMs: number;
  private lastHeartbeatMs = -Infinity;
  private lastTelemetryMs = -Infinity;
  private status = 0xff;
  private pumping = false;
  private cancelTimer: (() => void) | undefined;
  private timerDueMs = Infinity;
  private closed = false;
  private readonly offs: (() => void)[] = [];

  constructor(options: FleetLinkNodeOptions) {
    this.id = options.id;
    this.role = options.role;
    this.node = options.node;
    this.link = options.link;
    this.priorityLink = options.priorityLink;
    this.clock = options.clock;
    this.config = { ...DEFAULT_FLEET_LINK_CONFIG, ...options.config };
    this.roster = new Map(options.roster);
    for (const [id, name] of this.roster) this.rosterById.set(name, id);
    const random = options.random ?? seededRandom(Number(this.node.name & 0xffffffffn));
    this.liveness = new PeerLiveness(() => this.clock.now(), this.config.liveness, (peer) => this.updateReachable(peer));
    this.engine = new ReliableEngine({
      clock: this.clock,
      random,
      epoch: options.epoch ?? Math.floor(random.next() * 256),
      ...(options.store ? { store: options.store } : {}),
      config: this.config.reliable,
      deliver: (m) => {
        for (const h of [...this.reliableHandlers]) h(m.peer, m.type, m.body);
      },
      outcome: (e) => {
        for (const h of [...this.outcomeHandlers]) h(e);
      },
    });
    for (const id of this.roster.keys()) if (id !== this.id) this.liveness.expect(id);
    this.nextHeartbeatMs = this.clock.now();
    this.offs.push(this.node.onMessage((m) => this.onMessage(m)));
    this.offs.push(this.link.on('sent', (f) => this.onSent(f)));
    this.offs.push(this.node.onStateChange(() => this.pump()));
  }

  /** Starts the ISOBUS node (address claim) and the link's heartbeat. */
  async start(): Promise<number> {
    this.reschedule();
    if (this.priorityLink?.state === 'closed') await this.priorityLink.open();
    const address = await this.node.start();
    this.pump();
    return address;
  }

  get address(): number | undefined {
    return this.node.address;
  }

  /** Queues a reliable message for `peer`; delivered exactly once, in order, or reported. */
  sendReliable(peer: string, type: number, body: Uint8Array, options: { ttlMs?: number } = {}): SendResult {
    const result = this.engine.send(peer, type, body, options);
    if (!this.liveness.ids().includes(peer)) this.liveness.expect(peer);
    this.updateReachable(peer);
    this.pump();
    return result;
  }

  /** Broadcasts an e-stop for one tractor's address or ALL_TRACTORS (single frame, priority 0). */
  sendEstop(target: number, stopRef: number): void {
    this.stopQueue.push(this.broadcastFrame(PGN_ESTOP, CAN_PRIORITY.estop, (seq) => encodeEstop({ seq, target, stopRef })));
    this.pump();
  }

  sendStopConfirm(stopRef: number, state: number): void {
    this.confirmQueue.push(this.broadcastFrame(PGN_STOP_CONFIRM, CAN_PRIORITY.stopConfirm, (seq) => encodeStopConfirm({ seq, stopRef, state })));
    this.pump();
  }

  /** Broadcasts one telemetry sample (two frames sharing a sequence number); latest wins. */
  sendTelemetry(a: Omit<TelemetryA, 'seq'>, b: Omit<TelemetryB, 'seq'>): void {
    const seq = this.nextBroadcastSeq(PGN_TELEMETRY_A);
    this.bcastSeq.set(PGN_TELEMETRY_B, seq);
    // A sample not yet started is stale once a newer one exists (telemetry is latest-value).
    const before = this.telemetryQueue.length;
    this.telemetryQueue = this.telemetryQueue.length % 2 === 1 ? this.telemetryQueue.slice(0, 1) : [];
    this.counters.telemetrySuperseded += (before - this.telemetryQueue.length) / 2;
    this.telemetryQueue.push(
      { pgn: PGN_TELEMETRY_A, destination: GLOBAL, priority: CAN_PRIORITY.telemetry, data: encodeTelemetryA({ ...a, seq }) },
      { pgn: PGN_TELEMETRY_B, destination: GLOBAL, priority: CAN_PRIORITY.telemetry, data: encodeTelemetryB({ ...b, seq }) },
    );
    this.lastTelemetryMs = this.clock.now();
    this.pump();
  }

  /** The status byte our heartbeat carries (a tractor's state code). */
  setStatus(status: number): void {
    this.status = status & 0xff;
  }

  onReliable(handler: (peer: string, type: number, body: Uint8Array) => void): () => void {
    this.reliableHandlers.add(handler);
    return () => this.reliableHandlers.delete(handler);
  }

  onBroadcast(handler: (peer: string, source: number, event: BroadcastEvent) => void): () => void {
    this.broadcastHandlers.add(handler);
    return () => this.broadcastHandlers.delete(handler);
  }

  onOutcome(handler: (event: OutcomeEvent) => void): () => void {
    this.outcomeHandlers.add(handler);
    return () => this.outcomeHandlers.delete(handler);
  }

  /** Link quality of every peer we expect or have heard, for the UI and /metrics. */
  linkStatus(): (PeerLinkStatus & { queued: Record<Lane, number> })[] {
    return this.liveness
      .ids()
      .filter((id) => id !== this.id)
      .map((id) => ({ ...this.liveness.status(id, this.engine.rttMs(id)), queued: this.engine.queued(id) }));
  }

  /** Adds a node to the roster (pairing): its id is used for its NAME from now on. */
  addPeer(id: string, name: bigint): void {
    this.roster.set(id, name);
    this.rosterById.set(name, id);
    if (id !== this.id) this.liveness.expect(id);
    this.updateReachable(id);
  }

  /** The CAN address of a fleet id, if it has claimed one. */
  addressOf(id: string): number | undefined {
    const name = this.roster.get(id) ?? (id.startsWith('name:') ? BigInt(`0x${id.slice(5)}`) : undefined);
    if (name !== undefined) return this.node.addressOf(name);
    if (id === STATION_ADDRESS) return this.stationAddress;
    return undefined;
  }

  /** The fleet id of the node at `address`: roster name, else `name:<hex NAME>`. */
  idOf(address: number): string | undefined {
    let name = this.directory.get(address);
    if (name === undefined) {
      this.refreshDirectory(true);
      name = this.directory.get(address);
    }
    if (name !== undefined) {
      const known = this.rosterById.get(name);
      if (known) return known;
    }
    if (address === this.stationAddress) return STATION_ADDRESS;
    return name === undefined ? undefined : `name:${name.toString(16).padStart(16, '0')}`;
  }

  /** Peer ids we know: the roster and everyone heard. */
  knownPeers(): string[] {
    return this.liveness.ids().filter((id) => id !== this.id);
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const off of this.offs.splice(0)) off();
    this.engine.close();
  }

  private broadcastFrame(pgn: number, priority: number, encode: (seq: number) => Uint8Array): Pending {
    return { pgn, destination: GLOBAL, priority, data: encode(this.nextBroadcastSeq(pgn)) };
  }

  private nextBroadcastSeq(pgn: number): number {
    const seq = ((this.bcastSeq.get(pgn) ?? -1) + 1) & 0x1f;
    this.bcastSeq.set(pgn, seq);
    return seq;
  }

  private refreshDirectory(force: boolean): void {
    const now = this.clock.now();
    if (!force && now - this.directoryAtMs < DIRECTORY_REFRESH_MS) return;
    this.directoryAtMs = now;
    this.directory = new Map(this.node.peers());
  }

  private updateReachable(peer: string): void {
    if (peer === this.id) return;
    this.engine.setReachable(peer, this.liveness.state(peer) !== 'lost' && this.addressOf(peer) !== undefined);
  }

  private onMessage(m: IsobusMessage): void {
    if (this.closed) return;
    const mine = this.node.address;
    if (m.source === mine) return; // our own stop traffic, sent through the priority queue
    if (m.pgn === PGN_RELIABLE) {
      if (m.destination !== mine) return;
      this.counters.framesReceived++;
      const peer = this.idOf(m.source);
      if (peer === undefined) {
        this.counters.rejected['unknown-peer']++;
        return;
      }
      const decoded = decodeReliable(m.data);
      if (!decoded.ok) {
        this.counters.rejected[decoded.reason]++;
        return;
      }
      this.liveness.heard(peer);
      this.engine.heard(peer);
      this.engine.handle(peer, decoded.value);
      this.pump();
      return;
    }
    if (m.pgn < PGN_FLEET_B_FIRST || m.pgn > PGN_FLEET_B_LAST) return;
    this.counters.framesReceived++;
    const event = this.decodeBroadcast(m);
    if (!event) return;
    const peer = this.idOf(m.source);
    if (peer === undefined) {
      // Anyone may stop (DESIGN.md, safety model): an e-stop from a node we do not know still counts.
      if (event.kind === 'estop') for (const h of [...this.broadcastHandlers]) h(`address:${m.source}`, m.source, event);
      else this.counters.rejected['unknown-peer']++;
      return;
    }
    this.liveness.heard(peer);
    if (event.kind !== 'estop' && event.kind !== 'stop-confirm') this.liveness.sequenced(peer, m.pgn, event.frame.seq);
    this.engine.heard(peer);
    if (event.kind === 'heartbeat') this.onHeartbeat(peer, event.frame);
    for (const h of [...this.broadcastHandlers]) h(peer, m.source, event);
    this.pump();
  }

  private decodeBroadcast(m: IsobusMessage): BroadcastEvent | undefined {
    const reject = (reason: Rejection): undefined => {
      this.counters.rejected[reason]++;
      return undefined;
    };
    switch (m.pgn) {
      case PGN_HEARTBEAT: {
        const d = decodeHeartbeat(m.data);
        if (!d.ok) return reject(d.reason);
        if (d.value.role === ROLE.station) this.stationAddress = m.source;
        return { kind: 'heartbeat', frame: d.value };
      }
      case PGN_TELEMETRY_A: {
        const d = decodeTelemetryA(m.data);
        return d.ok ? { kind: 'telemetry-a', frame: d.value } : reject(d.reason);
      }
      case PGN_TELEMETRY_B: {
        const d = decodeTelemetryB(m.data);
        return d.ok ? { kind: 'telemetry-b', frame: d.value } : reject(d.reason);
      }
      case PGN_ESTOP: {
        const d = decodeEstop(m.data);
        if (!d.ok) return reject(d.reason);
        const forMe = d.value.target === ALL_TRACTORS || d.value.target === this.node.address;
        return { kind: 'estop', frame: d.value, forMe };
      }
      case PGN_STOP_CONFIRM: {
        const d = decodeStopConfirm(m.data);
        return d.ok ? { kind: 'stop-confirm', frame: d.value } : reject(d.reason);
      }
      default:
        this.counters.rejected['unknown-pgn']++;
        return undefined;
    }
  }

  private onHeartbeat(peer: string, hb: HeartbeatFrame): void {
    const now = this.clock.now();
    if (hb.role === ROLE.station) this.lastStationHb = { seq: hb.seq, atMs: now };
    if (this.role === 'station' && hb.echoSeq !== undefined) {
      const sentAt = this.hbSentAt[hb.echoSeq] ?? Number.NaN;
      const rtt = now - sentAt - hb.echoHoldMs;
      if (Number.isFinite(rtt) && rtt >= 0 && now - sentAt < 1_000) this.liveness.rttSample(peer, rtt);
    }
  }

  private heartbeatDue(now: number): boolean {
    if (now < this.nextHeartbeatMs) return false;
    this.nextHeartbeatMs = now + this.config.heartbeatPeriodMs;
    const telemetryFlowing = now - this.lastTelemetryMs <= this.config.heartbeatPeriodMs;
    if (this.role === 'tractor' && telemetryFlowing && now - this.lastHeartbeatMs < this.config.heartbeatMaxGapMs) return false;
    return true;
  }

  private makeHeartbeat(now: number): Pending {
    const echo = this.role === 'tractor' ? this.lastStationHb : undefined;
    const seq = this.nextBroadcastSeq(PGN_HEARTBEAT);
    if (this.role === 'station') this.hbSentAt[seq] = now;
    this.lastHeartbeatMs = now;
    const frame: HeartbeatFrame = {
      seq,
      role: ROLE[this.role],
      epoch: this.engine.epoch,
      status: this.status,
      echoSeq: echo?.seq,
      echoHoldMs: echo ? now - echo.atMs : 0,
    };
    return { pgn: PGN_HEARTBEAT, destination: GLOBAL, priority: CAN_PRIORITY.heartbeat, data: encodeHeartbeat(frame) };
  }

  private canSend = (peer: string, bytes: number): boolean => {
    const address = this.addressOf(peer);
    if (address === undefined) return false;
    return bytes <= 8 || !this.tpBusy.has(address);
  };

  /** The next frame by class: stops, confirms, heartbeat, safety+control, telemetry, sync, bulk. */
  private pick(highOnly: boolean): Pending | undefined {
    const stop = this.stopQueue.shift() ?? this.confirmQueue.shift();
    if (stop) return stop;
    if (this.heartbeatPending) {
      const hb = this.heartbeatPending;
      this.heartbeatPending = undefined;
      return hb;
    }
    const high = this.engine.nextFrame(this.canSend, ['safety', 'control']);
    if (high) return this.toPending(high);
    if (highOnly) return undefined;
    const telemetry = this.telemetryQueue.shift();
    if (telemetry) return telemetry;
    const low = this.engine.nextFrame(this.canSend, ['sync', 'bulk']);
    if (low) return this.toPending(low);
    return undefined;
  }

  private toPending(f: { peer: string; priority: number; data: Uint8Array; messageId: string | undefined }): Pending | undefined {
    const destination = this.addressOf(f.peer);
    if (destination === undefined) return undefined;
    return { pgn: PGN_RELIABLE, destination, priority: f.priority, data: f.data, ...(f.messageId ? { messageId: f.messageId } : {}) };
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    const source = this.node.address;
    if (source === undefined) {
      // Nothing may be sent before the address claim completes (ISO 11783-5 §4.4.2).
      this.nextHeartbeatMs = Math.max(this.nextHeartbeatMs, this.clock.now() + this.config.heartbeatPeriodMs);
      this.reschedule();
      return;
    }
    this.pumping = true;
    try {
      const now = this.clock.now();
      this.dropStale(now);
      if (this.heartbeatDue(now)) this.heartbeatPending = this.makeHeartbeat(now);
      if (this.priorityLink) this.sendPriority(source);
      while (this.outstanding.length < this.config.maxTxDepth) {
        const p = this.pick(this.outstanding.length >= this.config.maxLowTxDepth);
        if (!p) break;
        this.transmit(p, source, now);
      }
    } finally {
      this.pumping = false;
    }
    this.reschedule();
  }

  /** Stop traffic straight onto the priority queue (it has no other users, so it stays short). */
  private sendPriority(source: number): void {
    const link = this.priorityLink;
    if (link?.state !== 'open') return;
    const queue = [...this.stopQueue.splice(0), ...this.confirmQueue.splice(0)];
    if (this.heartbeatPending) queue.push(this.heartbeatPending);
    this.heartbeatPending = undefined;
    for (const p of queue) {
      this.counters.framesSent++;
      link.send(toCanFrame({ priority: p.priority, pgn: p.pgn, source, destination: p.destination, data: p.data }));
    }
  }

  private transmit(p: Pending, source: number, now: number): void {
    this.counters.framesSent++;
    if (p.data.length <= 8) {
      const canId = toCanFrame({ priority: p.priority, pgn: p.pgn, source, destination: p.destination, data: p.data }).id;
      this.outstanding.push({ canId, data: p.data, atMs: now });
      this.node.send(p.pgn, p.data, { destination: p.destination, priority: p.priority }).catch(() => undefined);
      return;
    }
    // Connection-mode TP/ETP (never BAM: reliable messages are destination-specific).
    this.tpBusy.add(p.destination);
    this.counters.transfersStarted++;
    const done = (ok: boolean): void => {
      this.tpBusy.delete(p.destination);
      if (!ok) {
        this.counters.transfersFailed++;
        if (p.messageId) this.engine.transferFailed(p.messageId);
      }
      this.pump();
    };
    this.node.send(p.pgn, p.data, { destination: p.destination, priority: p.priority }).then(
      () => done(true),
      () => done(false),
    );
  }

  /**
   * The controller sends our frames in the order we gave them (FIFO), so when one of them is
   * reported sent, every entry before it is gone too (sent while we were not looking, or
   * dropped); matching anywhere in the list keeps one missed report from jamming the count.
   */
  private onSent(frame: CanFrame): void {
    const index = this.outstanding.findIndex((o) => o.canId === frame.id && sameBytes(o.data, frame.data));
    if (index < 0) return;
    this.outstanding.splice(0, index + 1);
    this.pump();
  }

  private dropStale(now: number): void {
    while (this.outstanding.length > 0 && now - (this.outstanding[0]?.atMs ?? now) > this.config.txStaleMs) this.outstanding.shift();
  }

  private reschedule(): void {
    if (this.closed) return;
    const candidates = [
      this.nextHeartbeatMs,
      this.engine.nextDeadlineMs() ?? Infinity,
      this.liveness.nextDeadlineMs() ?? Infinity,
      this.outstanding.length > 0 ? (this.outstanding[0]?.atMs ?? 0) + this.config.txStaleMs + 1 : Infinity,
    ];
    // Never a zero-delay loop: work that is due but blocked (depth full, a TP transfer running)
    // is picked up by the `sent` event or the transfer's end, or at the latest 1 ms later.
    const due = Math.max(this.clock.now() + 1, Math.min(...candidates));
    if (due === this.timerDueMs) return;
    this.cancelTimer?.();
    this.timerDueMs = due;
    this.cancelTimer = this.clock.setTimer(due - this.clock.now(), () => {
      this.cancelTimer = undefined;
      this.timerDueMs = Infinity;
      this.onTimer();
    });
  }

  private onTimer(): void {
    if (this.closed) return;
    this.engine.tick();
    this.liveness.tick();
    this.refreshDirectory(false);
    for (const peer of this.liveness.ids()) this.updateReachable(peer);
    this.pump();
    this.reschedule();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
