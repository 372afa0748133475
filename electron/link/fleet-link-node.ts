/**
 * One fleet-link endpoint on an IsobusNode: the reliable engine, liveness, heartbeats, the
 * broadcast frames (telemetry, e-stop, stop-confirm) and the send scheduler that ties them to
 * the CAN link. The scheduler is what makes priority lanes real on a FIFO controller: it hands
 * the link at most `maxTxDepth` of our frames at a time (at most `maxLowTxDepth` of them
 * low-class), counting them back out through the link's `sent` event, and always picks the
 * highest class first — stop traffic, then safety and control messages, then telemetry, then
 * sync, then bulk — so a flood in a low lane never sits in the controller's queue ahead of a
 * command. Stop traffic can go through a second transmit queue of its own. It owns one clock
 * timer, like IsobusNode.
 */
import type { CanLink } from '../can/index.js';
import {
  PGN,
  discardFramesFrom,
  toCanFrame,
  type IsobusMessage,
  type IsobusNode,
} from '../isobus/index.js';
import { seededRandom, type Clock } from '../time/index.js';
import {
  defaultFleetLinkConfig,
  type FleetLinkConfig,
  type FleetLinkCounters,
  type FleetLinkNodeOptions,
} from './fleet-link-config.js';
import { decodeBroadcast, type BroadcastEvent } from './broadcast-decode.js';
import { HeartbeatKeeper } from './heartbeat-keeper.js';
import { BroadcastQueue, type PendingFrame } from './broadcast-queue.js';
import { decodeReliable, type TelemetryA, type TelemetryB } from './link-frames.js';
import { PeerDirectory } from './peer-directory.js';
import { PeerLiveness, type PeerLinkStatus } from './peer-liveness.js';
import { ReliableEngine, type OutcomeEvent, type SendResult } from './reliable-engine.js';
import { TxGate } from './tx-gate.js';
import {
  PGN_FLEET_B_FIRST,
  PGN_FLEET_B_LAST,
  PGN_RELIABLE,
  ROLE,
  heartbeatPriority,
  type Lane,
  type Role,
} from './wire-format.js';

/** An unknown source address is asked for its claim at most this often. */
const ASK_CLAIM_AGAIN_MS = 1_000;

export type { BroadcastEvent } from './broadcast-decode.js';
export {
  DEFAULT_FLEET_LINK_CONFIG,
  STATION_HEARTBEAT_MS,
  TRACTOR_HEARTBEAT_MS,
  defaultFleetLinkConfig,
  type FleetLinkConfig,
  type FleetLinkCounters,
  type FleetLinkNodeOptions,
  type RejectCounter,
} from './fleet-link-config.js';

export class FleetLinkNode {
  readonly id: string;
  readonly role: Role;
  readonly engine: ReliableEngine;
  readonly liveness: PeerLiveness;
  readonly config: FleetLinkConfig;
  readonly clock: Clock;
  readonly counters: FleetLinkCounters = {
    framesSent: 0,
    framesReceived: 0,
    transfersStarted: 0,
    transfersFailed: 0,
    telemetrySuperseded: 0,
    rejected: {
      short: 0,
      long: 0,
      crc: 0,
      version: 0,
      type: 0,
      field: 0,
      'unknown-pgn': 0,
      'unknown-peer': 0,
    },
  };
  private readonly node: IsobusNode;
  private readonly link: CanLink;
  private readonly priorityLink: CanLink | undefined;
  private readonly directory: PeerDirectory;
  /** When we last asked an unknown source address for its claim. */
  private readonly claimAskedMs = new Map<number, number>();
  private readonly heartbeat: HeartbeatKeeper;
  private readonly gate: TxGate;
  private readonly broadcasts: BroadcastQueue;
  private readonly tpBusy = new Set<number>();
  private readonly reliableHandlers = new Set<
    (peer: string, type: number, body: Uint8Array) => void
  >();
  private readonly broadcastHandlers = new Set<
    (peer: string, source: number, event: BroadcastEvent) => void
  >();
  private readonly outcomeHandlers = new Set<(event: OutcomeEvent) => void>();
  private pumping = false;
  private cancelTimer: (() => void) | undefined;
  private timerDueMs = Infinity;
  private closed = false;
  private readonly offs: (() => void)[] = [];

  constructor(options: FleetLinkNodeOptions) {
    this.id = options.id;
    this.role = options.role;
    this.broadcasts = new BroadcastQueue(heartbeatPriority(options.role));
    this.node = options.node;
    this.link = options.link;
    this.priorityLink = options.priorityLink;
    this.clock = options.clock;
    this.config = { ...defaultFleetLinkConfig(options.role), ...options.config };
    this.directory = new PeerDirectory(this.node, () => this.clock.now(), options.roster);
    this.heartbeat = new HeartbeatKeeper(
      this.role,
      { periodMs: this.config.heartbeatPeriodMs, maxGapMs: this.config.heartbeatMaxGapMs },
      this.clock.now(),
    );
    this.gate = new TxGate(this.config.txStaleMs);
    const random = options.random ?? seededRandom(Number(this.node.name & 0xffffffffn));
    this.liveness = new PeerLiveness(
      () => this.clock.now(),
      this.config.liveness,
      (peer) => this.updateReachable(peer),
    );
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
    for (const id of this.directory.rosterIds()) if (id !== this.id) this.liveness.expect(id);
    this.offs.push(this.node.onMessage((m) => this.onMessage(m)));
    this.offs.push(
      this.link.on('sent', (f) => {
        if (this.gate.sent(f)) this.pump();
      }),
    );
    this.offs.push(
      this.node.onStateChange(({ lostAddress }) => {
        // A lost address is not used again (ISO 11783-5 §4.4), stop traffic included.
        if (lostAddress !== undefined && this.priorityLink)
          discardFramesFrom(this.priorityLink, lostAddress);
        this.pump();
      }),
    );
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
  sendReliable(
    peer: string,
    type: number,
    body: Uint8Array,
    options: { ttlMs?: number } = {},
  ): SendResult {
    const result = this.engine.send(peer, type, body, options);
    this.liveness.expect(peer);
    this.updateReachable(peer);
    this.pump();
    return result;
  }

  /** Withdraws `peer`'s unacknowledged reliable messages of `type` (see ReliableEngine.withdraw). */
  withdrawReliable(peer: string, type: number): number {
    return this.engine.withdraw(peer, type);
  }

  /** Broadcasts an e-stop for one tractor's address or ALL_TRACTORS (single frame, priority 0). */
  sendEstop(target: number, stopRef: number): void {
    this.broadcasts.estop(target, stopRef);
    this.pump();
  }

  sendStopConfirm(stopRef: number, state: number): void {
    this.broadcasts.stopConfirm(stopRef, state);
    this.pump();
  }

  /** Broadcasts one telemetry sample (two frames sharing a sequence number); latest wins. */
  sendTelemetry(a: Omit<TelemetryA, 'seq'>, b: Omit<TelemetryB, 'seq'>): void {
    this.counters.telemetrySuperseded += this.broadcasts.telemetrySample(a, b);
    this.heartbeat.telemetrySent(this.clock.now());
    this.pump();
  }

  /** The status byte our heartbeat carries (a tractor's state code, the station's instance). */
  setStatus(status: number): void {
    this.heartbeat.status = status & 0xff;
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
    return this.knownPeers().map((id) => ({
      ...this.liveness.status(id, this.engine.rttMs(id)),
      queued: this.engine.queued(id),
    }));
  }

  /** Adds a node to the roster (pairing): its id is used for its NAME from now on. */
  addPeer(id: string, name: bigint): void {
    this.directory.add(id, name);
    if (id !== this.id) this.liveness.expect(id);
    this.updateReachable(id);
  }

  /** The CAN address of a fleet id, if it has claimed one. */
  addressOf(id: string): number | undefined {
    return this.directory.addressOf(id);
  }

  /** The fleet id of the node at `address`: roster id, else `name:<hex NAME>`. */
  idOf(address: number): string | undefined {
    return this.directory.idOf(address);
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

  private updateReachable(peer: string): void {
    if (peer === this.id) return;
    this.engine.setReachable(
      peer,
      this.liveness.state(peer) !== 'lost' && this.addressOf(peer) !== undefined,
    );
  }

  private onMessage(m: IsobusMessage): void {
    if (this.closed) return;
    const mine = this.node.address;
    if (m.source === mine) return; // our own stop traffic, sent through the priority queue
    if (m.pgn === PGN_RELIABLE) {
      if (m.destination === mine) this.onReliableFrame(m);
      return;
    }
    if (m.pgn < PGN_FLEET_B_FIRST || m.pgn > PGN_FLEET_B_LAST) return;
    this.counters.framesReceived++;
    const decoded = decodeBroadcast(m.pgn, m.data, mine);
    if (!decoded.ok) {
      this.counters.rejected[decoded.reason]++;
      return;
    }
    const { event } = decoded;
    if (event.kind === 'heartbeat' && event.frame.role === ROLE.station)
      this.directory.setStationAddress(m.source);
    const peer = this.idOf(m.source);
    if (peer === undefined) {
      // Anyone may stop (docs/safety.md): an e-stop from a node we do not know still counts.
      if (event.kind === 'estop')
        for (const h of [...this.broadcastHandlers]) h(`address:${m.source}`, m.source, event);
      else this.unknownSource(m.source);
      return;
    }
    this.liveness.heard(peer);
    if (event.kind === 'heartbeat' || event.kind === 'telemetry-a' || event.kind === 'telemetry-b')
      this.liveness.sequenced(peer, m.pgn, event.frame.seq);
    this.engine.heard(peer);
    if (event.kind === 'heartbeat') {
      const rtt = this.heartbeat.heard(event.frame, this.clock.now());
      if (rtt !== undefined) this.liveness.rttSample(peer, rtt);
    }
    for (const h of [...this.broadcastHandlers]) h(peer, m.source, event);
    this.pump();
  }

  private onReliableFrame(m: IsobusMessage): void {
    this.counters.framesReceived++;
    const peer = this.idOf(m.source);
    if (peer === undefined) {
      this.unknownSource(m.source);
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
  }

  /**
   * A frame from an address whose NAME we do not know: a node that claimed it while we were not
   * listening (we restarted, or it was out of reach when we asked everyone). Ask that address
   * for its claim (ISO 11783-5 §4.4.3, a Request for Address Claimed to one address) so its
   * next frames count; at most once a second per address.
   */
  private unknownSource(address: number): void {
    this.counters.rejected['unknown-peer']++;
    const now = this.clock.now();
    if (now - (this.claimAskedMs.get(address) ?? -Infinity) < ASK_CLAIM_AGAIN_MS) return;
    this.claimAskedMs.set(address, now);
    this.node.request(PGN.ADDRESS_CLAIMED, address).catch(() => undefined);
  }

  private canSend = (peer: string, bytes: number): boolean => {
    const address = this.addressOf(peer);
    if (address === undefined) return false;
    return bytes <= 8 || !this.tpBusy.has(address);
  };

  /** The next frame by class: stops and confirms, heartbeat, safety+control, telemetry, sync, bulk. */
  private pick(highOnly: boolean): PendingFrame | undefined {
    const first = this.broadcasts.takeStop() ?? this.broadcasts.takeHeartbeat();
    if (first) return first;
    const high = this.engine.nextFrame(this.canSend, ['safety', 'control']);
    if (high) return this.toPending(high);
    if (highOnly) return undefined;
    const telemetry = this.broadcasts.takeTelemetry();
    if (telemetry) return telemetry;
    const low = this.engine.nextFrame(this.canSend, ['sync', 'bulk']);
    return low ? this.toPending(low) : undefined;
  }

  private toPending(f: {
    peer: string;
    priority: number;
    data: Uint8Array;
    messageId: string | undefined;
  }): PendingFrame | undefined {
    const destination = this.addressOf(f.peer);
    if (destination === undefined) return undefined;
    return {
      pgn: PGN_RELIABLE,
      destination,
      priority: f.priority,
      data: f.data,
      ...(f.messageId ? { messageId: f.messageId } : {}),
    };
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    const source = this.node.address;
    const now = this.clock.now();
    if (source === undefined) {
      // Nothing may be sent before the address claim completes (ISO 11783-5 §4.4.2).
      this.heartbeat.postpone(now);
      this.reschedule();
      return;
    }
    this.pumping = true;
    try {
      this.gate.dropStale(now);
      const hb = this.heartbeat.take(now, this.engine.epoch);
      if (hb) this.broadcasts.setHeartbeat(hb);
      if (this.priorityLink) this.sendPriority(source);
      while (this.gate.size < this.config.maxTxDepth) {
        const p = this.pick(this.gate.size >= this.config.maxLowTxDepth);
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
    for (const p of this.broadcasts.takePriority()) {
      this.counters.framesSent++;
      link.send(
        toCanFrame({
          priority: p.priority,
          pgn: p.pgn,
          source,
          destination: p.destination,
          data: p.data,
        }),
      );
    }
  }

  private transmit(p: PendingFrame, source: number, now: number): void {
    this.counters.framesSent++;
    if (p.data.length <= 8) {
      this.gate.add(
        toCanFrame({
          priority: p.priority,
          pgn: p.pgn,
          source,
          destination: p.destination,
          data: p.data,
        }).id,
        p.data,
        now,
      );
      this.node
        .send(p.pgn, p.data, { destination: p.destination, priority: p.priority })
        .catch(() => undefined);
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

  private reschedule(): void {
    if (this.closed) return;
    const due = Math.min(
      this.heartbeat.dueMs,
      this.engine.nextDeadlineMs() ?? Infinity,
      this.liveness.nextDeadlineMs() ?? Infinity,
      this.gate.nextStaleMs() ?? Infinity,
    );
    // Never a zero-delay loop: work that is due but blocked (depth full, a TP transfer running)
    // is picked up by the `sent` event or the transfer's end, or at the latest 1 ms later.
    const at = Math.max(this.clock.now() + 1, due);
    if (at === this.timerDueMs) return;
    this.cancelTimer?.();
    this.timerDueMs = at;
    this.cancelTimer = this.clock.setTimer(at - this.clock.now(), () => {
      this.cancelTimer = undefined;
      this.timerDueMs = Infinity;
      this.onTimer();
    });
  }

  private onTimer(): void {
    if (this.closed) return;
    this.engine.tick();
    this.liveness.tick();
    this.directory.refresh();
    for (const peer of this.liveness.ids()) this.updateReachable(peer);
    this.pump();
    this.reschedule();
  }
}
