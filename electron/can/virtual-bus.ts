import { seededRandom, type Clock } from '../time/index.js';
import { frameTimestampNow, stampFrame, type CanFrame } from './can-frame.js';
import { CanLinkError, type CanLink } from './can-link.js';
import { BusFaultModel, type BusFaultConfig } from './bus-faults.js';
import { DEFAULT_BITRATE, frameBitCount } from './frame-timing.js';
import { BusLoadMeter } from './bus-load.js';
import { VirtualBusNode, type VirtualBusPort } from './virtual-bus-node.js';
import { RelayBatch, type RelaySink, type RelayTarget } from './relay-batch.js';

export interface VirtualBusOptions {
  clock: Clock;
  name?: string;
  /** Bits per second; ISO 11783-2 uses 250 kbit/s. */
  bitrate?: number;
  /** Seed for fault injection draws. */
  seed?: number;
  /** Frames a node may queue before further sends are dropped with an error. */
  txQueueLimit?: number;
  /**
   * Time a bus-off node stays off before it rejoins by itself (ISO 11898-1 §12.1.4.2: 128
   * occurrences of 11 recessive bits); undefined means it stays off until recover() is called.
   */
  busOffRecoveryMs?: number;
  /**
   * Runs a function once the current turn's synchronous work is done: when the frames handed to
   * relaying nodes in a turn leave (default process.nextTick).
   */
  afterTurn?: (fn: () => void) => void;
}

export interface VirtualBusStats {
  framesTransmitted: number;
  bitsTransmitted: number;
  /** Receiver deliveries lost to injected faults (a frame missed by 3 receivers counts 3). */
  deliveriesLost: number;
  /** Times a queued frame lost arbitration to a lower identifier. */
  arbitrationLosses: number;
}

interface OnWire {
  readonly frame: CanFrame;
  readonly sender: VirtualBusNode;
  readonly endMs: number;
}

const DEFAULT_TX_QUEUE_LIMIT = 4096;

/**
 * An in-process CAN segment. Frames are serialised on one simulated wire: each takes its exact
 * bit time (stuffing included), nodes that want the bus when it falls idle contend and the
 * lowest identifier wins (ISO 11898-1 §10.5 bitwise arbitration), and the loser retries when
 * the bus is free again. Everything is driven by the injected Clock; with a ManualClock the
 * bus is deterministic, with the SystemClock it keeps a virtual wire timeline and catches up
 * whenever a timer fires late, so simulated bus time stays exact.
 */
export class VirtualBus {
  readonly name: string;
  readonly bitrate: number;
  private readonly clock: Clock;
  private readonly nodes: VirtualBusNode[] = [];
  private readonly faults: BusFaultModel;
  private readonly load = new BusLoadMeter();
  private readonly txQueueLimit: number;
  private readonly busOffRecoveryMs: number | undefined;
  private readonly wireListeners = new Set<(frame: CanFrame, sender: string) => void>();
  private readonly captureListeners = new Set<(frame: CanFrame, sender: string) => void>();
  private readonly relays = new Map<VirtualBusNode, RelayTarget>();
  private readonly batch: RelayBatch;
  private readonly groupOf = new Map<string, number>();
  private current: OnWire | undefined;
  private freeAtMs = -Infinity;
  private dispatchMs: number | undefined;
  private timerDueMs = Infinity;
  private cancelTimer: (() => void) | undefined;
  private readonly statsCounters: VirtualBusStats = {
    framesTransmitted: 0,
    bitsTransmitted: 0,
    deliveriesLost: 0,
    arbitrationLosses: 0,
  };

  constructor(options: VirtualBusOptions) {
    this.clock = options.clock;
    this.name = options.name ?? 'vbus';
    this.bitrate = options.bitrate ?? DEFAULT_BITRATE;
    if (!(this.bitrate > 0)) throw new RangeError('bitrate must be positive');
    this.faults = new BusFaultModel(seededRandom(options.seed ?? 1));
    this.txQueueLimit = options.txQueueLimit ?? DEFAULT_TX_QUEUE_LIMIT;
    this.busOffRecoveryMs = options.busOffRecoveryMs;
    this.batch = new RelayBatch(
      this.clock,
      (frame, sender) => this.captured(frame, sender),
      options.afterTurn ?? ((fn) => process.nextTick(fn)),
    );
  }

  /**
   * A new node (a CanLink) on this bus; it joins the bus when opened. A node that relays to
   * another process (a socketcand client) gets its frames through `relay`, in batches, when the
   * frames of a turn leave the process (RelayBatch), not as `frame` events.
   */
  createNode(
    name = `${this.name}.${this.nodes.length}`,
    options: { relay?: RelaySink } = {},
  ): VirtualBusNode {
    const port: VirtualBusPort = {
      enqueued: () => this.kick(),
      nowMs: () => this.dispatchMs ?? this.clock.now(),
      txQueueLimit: this.txQueueLimit,
    };
    const node = new VirtualBusNode(name, port);
    const { relay } = options;
    if (relay) {
      // First in line, so the fault draws for each delivery keep the order they always had.
      this.nodes.unshift(node);
      this.relays.set(node, { sink: relay, listening: () => node.listening() });
    } else this.nodes.push(node);
    return node;
  }

  /** Takes a node off the bus for good (a socketcand client that left); it is closed. */
  removeNode(node: CanLink): void {
    const index = this.nodes.findIndex((n) => n === node);
    if (index < 0) return;
    const [removed] = this.nodes.splice(index, 1);
    if (removed) this.relays.delete(removed);
    void removed?.close();
  }

  node(name: string): VirtualBusNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** Observes every frame that crosses the wire (before fault injection), e.g. for captures. */
  onWire(listener: (frame: CanFrame, sender: string) => void): () => void {
    this.wireListeners.add(listener);
    return () => this.wireListeners.delete(listener);
  }

  /**
   * Every frame as it left this process, for a capture: dated when the batch that held it was
   * handed to the relaying nodes' sockets (RelayBatch), or when the bus handed it over while no
   * node relays to another process. In bus order; the stamps never decrease. (`onWire` dates a
   * frame when the bus hands it over, which is earlier by the rest of the turn.)
   */
  onCapture(listener: (frame: CanFrame, sender: string) => void): () => void {
    this.captureListeners.add(listener);
    return () => this.captureListeners.delete(listener);
  }

  /** Hands the frames still held for the relaying nodes over now (before a capture closes). */
  flushRelays(): void {
    this.batch.flush();
  }

  configureFaults(config: Partial<BusFaultConfig>): void {
    this.faults.configure(config);
  }

  /** Cuts the named nodes off: frames cross only between nodes of the same group. */
  partition(...groups: readonly (readonly string[])[]): void {
    this.groupOf.clear();
    groups.forEach((group, index) => {
      for (const name of group) this.groupOf.set(name, index + 1);
    });
  }

  heal(): void {
    this.groupOf.clear();
  }

  /** Forces a node into bus-off: it stops sending and receiving until it recovers. */
  busOff(name: string): void {
    const node = this.requireNode(name);
    node.enterBusOff(new CanLinkError(`${name}: bus-off (fault injected on ${this.name})`));
    if (this.busOffRecoveryMs !== undefined)
      this.clock.setTimer(this.busOffRecoveryMs, () => node.recover());
  }

  recover(name: string): void {
    this.requireNode(name).recover();
  }

  /** Share of wire time in use over the last `windowMs`, 0–1. */
  busLoad(windowMs = 1000): number {
    return this.load.loadOver(this.clock.now(), windowMs);
  }

  stats(): VirtualBusStats {
    return { ...this.statsCounters };
  }

  /** Simulated time at which the wire falls idle (for throughput measurements). */
  wireFreeAtMs(): number {
    return this.current?.endMs ?? this.freeAtMs;
  }

  private requireNode(name: string): VirtualBusNode {
    const node = this.node(name);
    if (!node) throw new RangeError(`no node '${name}' on ${this.name}`);
    return node;
  }

  private kick(): void {
    if (this.dispatchMs !== undefined) return; // the running pump picks it up
    if (this.current) return; // the end-of-frame timer is set
    this.ensureTimer(this.clock.now());
  }

  private ensureTimer(dueMs: number): void {
    if (dueMs >= this.timerDueMs) return;
    this.cancelTimer?.();
    this.timerDueMs = dueMs;
    this.cancelTimer = this.clock.setTimer(dueMs - this.clock.now(), () => {
      this.timerDueMs = Infinity;
      this.cancelTimer = undefined;
      this.pump();
    });
  }

  private pump(): void {
    const nowMs = this.clock.now();
    for (;;) {
      if (this.current) {
        if (this.current.endMs > nowMs) {
          this.ensureTimer(this.current.endMs);
          return;
        }
        const done = this.current;
        this.current = undefined;
        this.freeAtMs = done.endMs;
        this.dispatchMs = done.endMs;
        try {
          this.complete(done);
        } finally {
          this.dispatchMs = undefined;
        }
      }
      const startMs = this.nextStartMs();
      if (startMs === undefined) return;
      if (startMs > nowMs) {
        this.ensureTimer(startMs);
        return;
      }
      this.startNext(startMs);
    }
  }

  /** When the next frame can start: the bus is free and some queued frame is ready. */
  private nextStartMs(): number | undefined {
    let earliest = Infinity;
    for (const node of this.nodes) {
      const head = node.peekTx();
      if (head && head.enqueuedMs < earliest) earliest = head.enqueuedMs;
    }
    return earliest === Infinity ? undefined : Math.max(earliest, this.freeAtMs);
  }

  private startNext(startMs: number): void {
    let winner: VirtualBusNode | undefined;
    let contenders = 0;
    for (const node of this.nodes) {
      const head = node.peekTx();
      if (!head || head.enqueuedMs > startMs) continue;
      contenders++;
      const best = winner?.peekTx();
      if (!best || arbitrationKey(head.frame) < arbitrationKey(best.frame)) winner = node;
    }
    if (!winner) return;
    this.statsCounters.arbitrationLosses += contenders - 1;
    const entry = winner.shiftTx();
    if (!entry) return;
    const bits = frameBitCount(entry.frame);
    const endMs = startMs + (bits * 1000) / this.bitrate;
    this.statsCounters.framesTransmitted++;
    this.statsCounters.bitsTransmitted += bits;
    this.load.record(startMs, endMs);
    this.current = { frame: entry.frame, sender: winner, endMs };
  }

  private complete(done: OnWire): void {
    // Dated when it is handed over (to this process's nodes and `onWire`), not when the model
    // says its last bit left: a process that stalled hands the frames queued meanwhile over
    // late, all at once, and a capture trusted in an incident must show that.
    const frame = stampFrame(done.frame, frameTimestampNow(this.clock));
    done.sender.transmitted(frame);
    for (const listener of [...this.wireListeners]) listener(frame, done.sender.name);
    // While any node relays to another process (or frames still wait for one), the capture
    // takes the frame when it leaves with its batch, so it keeps bus order and the exit time.
    const relayed = this.relays.size > 0 || this.batch.holding;
    const index = relayed ? this.batch.hold(frame, done.sender.name) : -1;
    if (!relayed) this.captured(frame, done.sender.name);
    const burst = this.faults.frameLostToBurst();
    const senderGroup = this.groupOf.get(done.sender.name) ?? 0;
    const local: { node: VirtualBusNode; delayMs: number }[] = [];
    for (const node of this.nodes) {
      if (node === done.sender || !node.listening()) continue;
      if ((this.groupOf.get(node.name) ?? 0) !== senderGroup) continue;
      if (burst || this.faults.receiverMisses()) {
        this.statsCounters.deliveriesLost++;
        continue;
      }
      const delayMs = this.faults.deliveryDelayMs();
      const relay = this.relays.get(node);
      if (relay) this.batch.deliver(relay, index, delayMs);
      else local.push({ node, delayMs });
    }
    // A turn that has run long already hands what it held over before this process's own nodes
    // take their time with this frame.
    if (relayed) this.batch.flushIfHeldLong();
    for (const { node, delayMs } of local) {
      if (delayMs > 0) this.clock.setTimer(delayMs, () => node.receive(frame));
      else node.receive(frame);
    }
  }

  private captured(frame: CanFrame, sender: string): void {
    for (const listener of [...this.captureListeners]) listener(frame, sender);
  }
}

/** Extended and standard identifiers compete on their leading 11 bits (ISO 11898-1 §10.5). */
function arbitrationKey(frame: CanFrame): number {
  // An 11-bit frame beats a 29-bit one with the same base id (its IDE bit is dominant).
  return frame.extended
    ? (frame.id >>> 18) * 2 ** 19 + 2 ** 18 + (frame.id & 0x3ffff)
    : frame.id * 2 ** 19;
}
