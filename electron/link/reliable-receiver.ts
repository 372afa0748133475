/**
 * The receiving half of the reliable channel (docs/fleet-protocol.md §5.3): per sender and lane
 * it delivers messages exactly once and in order — a fresh or changed epoch starts at the
 * sender's `base`, a `base` ahead of us skips what the sender gave up, later messages wait in a
 * bounded reorder buffer, earlier ones are duplicates — and owes the sender a cumulative ACK
 * after every data frame, duplicates included.
 */
import { encodeReliable, type ReliableData } from './link-frames.js';
import { laneOfType, lanePriority, type Lane } from './wire-format.js';

export interface ReceiverCounters {
  received: number;
  duplicates: number;
  reordered: number;
  reorderOverflow: number;
  skipped: number;
  epochResets: number;
  acksSent: number;
}

export interface AckFrame {
  readonly peer: string;
  readonly lane: Lane;
  readonly priority: number;
  readonly data: Uint8Array;
}

interface RecvLane {
  epoch: number;
  next: number;
  buffer: Map<number, ReliableData>;
}

/** a − b in 8-bit serial arithmetic, as a signed distance in −128..127 (RFC 1982 style). */
export function serialDiff(a: number, b: number): number {
  const d = (a - b) & 0xff;
  return d >= 128 ? d - 256 : d;
}

export class ReliableReceiver {
  private readonly lanes = new Map<string, RecvLane>();
  private readonly owed = new Map<string, { peer: string; lane: Lane }>();

  constructor(
    private readonly reorderBuffer: number,
    private readonly deliver: (peer: string, lane: Lane, d: ReliableData) => void,
    private readonly counters: ReceiverCounters,
  ) {}

  onData(peer: string, d: ReliableData): void {
    const lane = laneOfType(d.type);
    if (!lane) return;
    this.counters.received++;
    const key = `${peer}\u0000${lane}`;
    let r = this.lanes.get(key);
    if (!r || r.epoch !== d.epoch) {
      // A new epoch means the sender restarted without its state: its numbering starts over.
      if (r) this.counters.epochResets++;
      r = { epoch: d.epoch, next: d.base, buffer: new Map() };
      this.lanes.set(key, r);
    }
    if (serialDiff(d.base, r.next) > 0) {
      // The sender has given up (expired) everything before `base`: move past the gap.
      this.counters.skipped += serialDiff(d.base, r.next);
      for (const seq of [...r.buffer.keys()]) if (serialDiff(seq, d.base) < 0) r.buffer.delete(seq);
      r.next = d.base;
    }
    const dist = serialDiff(d.seq, r.next);
    if (dist < 0) this.counters.duplicates++;
    else if (dist === 0) this.accept(peer, lane, r, d);
    else if (dist < this.reorderBuffer) {
      if (r.buffer.has(d.seq)) this.counters.duplicates++;
      else {
        this.counters.reordered++;
        r.buffer.set(d.seq, d);
      }
    } else this.counters.reorderOverflow++;
    for (let next = r.buffer.get(r.next); next; next = r.buffer.get(r.next)) {
      r.buffer.delete(r.next);
      this.accept(peer, lane, r, next);
    }
    this.owed.set(key, { peer, lane });
  }

  /**
   * Forgets what we received from `peer`: it restarted (a new instance) and may number its
   * messages afresh under an epoch it used before, which we would otherwise drop as duplicates.
   */
  forget(peer: string): void {
    for (const key of [...this.lanes.keys()])
      if (key.startsWith(`${peer}\u0000`)) {
        this.lanes.delete(key);
        this.owed.delete(key);
      }
  }

  /** The next ACK owed in `lane` (one per sender, carrying the latest cumulative number). */
  takeAck(lane: Lane): AckFrame | undefined {
    for (const [key, ack] of this.owed) {
      if (ack.lane !== lane) continue;
      this.owed.delete(key);
      const r = this.lanes.get(key);
      if (!r) continue;
      this.counters.acksSent++;
      const data = encodeReliable({
        kind: 'ack',
        lane,
        epoch: r.epoch,
        cumulative: (r.next - 1) & 0xff,
      });
      return { peer: ack.peer, lane, priority: lanePriority(lane), data };
    }
    return undefined;
  }

  private accept(peer: string, lane: Lane, r: RecvLane, d: ReliableData): void {
    r.next = (r.next + 1) & 0xff;
    this.deliver(peer, lane, d);
  }
}
