/**
 * The broadcast frames a fleet-link node has waiting: stop traffic (e-stops and confirmations,
 * first come first served), at most one heartbeat, and the latest telemetry sample. Each frame
 * PGN keeps its own 5-bit sequence number. The node's scheduler takes from here in class order.
 */
import {
  encodeEstop,
  encodeStopConfirm,
  encodeTelemetryA,
  encodeTelemetryB,
  type TelemetryA,
  type TelemetryB,
} from './link-frames.js';
import {
  CAN_PRIORITY,
  PGN_ESTOP,
  PGN_HEARTBEAT,
  PGN_STOP_CONFIRM,
  PGN_TELEMETRY_A,
  PGN_TELEMETRY_B,
} from './wire-format.js';

/** A frame (or a TP/ETP message) waiting for the link. */
export interface PendingFrame {
  readonly pgn: number;
  readonly destination: number;
  readonly priority: number;
  readonly data: Uint8Array;
  /** The reliable message it carries, told when its transfer fails. */
  readonly messageId?: string;
}

export const GLOBAL_ADDRESS = 0xff;
const BROADCAST_SEQ_MODULO = 32;

export class BroadcastQueue {
  constructor(
    /** The CAN priority of our heartbeat (the station's goes before the confirmations). */
    private readonly heartbeatPriority: number = CAN_PRIORITY.heartbeat,
  ) {}

  private readonly stops: PendingFrame[] = [];
  private heartbeat: PendingFrame | undefined;
  private telemetry: PendingFrame[] = [];
  private readonly seq = new Map<number, number>();

  estop(target: number, stopRef: number): void {
    const seq = this.nextSeq(PGN_ESTOP);
    this.stops.push(
      broadcast(PGN_ESTOP, CAN_PRIORITY.estop, encodeEstop({ seq, target, stopRef })),
    );
  }

  stopConfirm(stopRef: number, state: number): void {
    const seq = this.nextSeq(PGN_STOP_CONFIRM);
    this.stops.push(
      broadcast(
        PGN_STOP_CONFIRM,
        CAN_PRIORITY.stopConfirm,
        encodeStopConfirm({ seq, stopRef, state }),
      ),
    );
  }

  /**
   * Queues one telemetry sample (two frames sharing a sequence number) and returns how many
   * older samples it superseded: a sample not yet started is stale once a newer one exists
   * (telemetry is latest-value); a half-sent one is finished so its pair stays complete.
   */
  telemetrySample(a: Omit<TelemetryA, 'seq'>, b: Omit<TelemetryB, 'seq'>): number {
    const seq = this.nextSeq(PGN_TELEMETRY_A);
    const before = this.telemetry.length;
    this.telemetry = this.telemetry.length % 2 === 1 ? this.telemetry.slice(0, 1) : [];
    const superseded = (before - this.telemetry.length) / 2;
    this.telemetry.push(
      broadcast(PGN_TELEMETRY_A, CAN_PRIORITY.telemetry, encodeTelemetryA({ ...a, seq })),
      broadcast(PGN_TELEMETRY_B, CAN_PRIORITY.telemetry, encodeTelemetryB({ ...b, seq })),
    );
    return superseded;
  }

  /** The heartbeat to send next (replaces one not yet sent). */
  setHeartbeat(data: Uint8Array): void {
    this.heartbeat = broadcast(PGN_HEARTBEAT, this.heartbeatPriority, data);
  }

  takeStop(): PendingFrame | undefined {
    return this.stops.shift();
  }

  takeHeartbeat(): PendingFrame | undefined {
    const hb = this.heartbeat;
    this.heartbeat = undefined;
    return hb;
  }

  takeTelemetry(): PendingFrame | undefined {
    return this.telemetry.shift();
  }

  /** Everything for a separate stop-traffic queue: the stop frames, then the heartbeat. */
  takePriority(): PendingFrame[] {
    const frames = this.stops.splice(0);
    const hb = this.takeHeartbeat();
    if (hb) frames.push(hb);
    return frames;
  }

  private nextSeq(pgn: number): number {
    const seq = ((this.seq.get(pgn) ?? -1) + 1) % BROADCAST_SEQ_MODULO;
    this.seq.set(pgn, seq);
    return seq;
  }
}

function broadcast(pgn: number, priority: number, data: Uint8Array): PendingFrame {
  return { pgn, destination: GLOBAL_ADDRESS, priority, data };
}
