/**
 * Per-peer link quality from what a node hears: last-heard time, state (online / degraded /
 * lost), round-trip time and loss rate. Loss is counted from gaps in the 5-bit rolling sequence
 * of each broadcast stream (heartbeat, telemetry) a peer sends. Engine style: no timers; the
 * owner calls tick() at nextDeadlineMs() to get state changes.
 */
import type { LinkState } from '../../shared/index.js';

export interface LivenessConfig {
  /** Silence after which a peer is degraded. */
  degradedAfterMs: number;
  /** Silence after which a peer is lost (its messages are then held, store-and-forward). */
  lostAfterMs: number;
  /** Loss rate (0–1) above which a peer that is still heard counts as degraded. */
  degradedLossRate: number;
  /** Expected frames the loss estimate spans (older history is halved away). */
  lossWindowFrames: number;
}

export const DEFAULT_LIVENESS_CONFIG: LivenessConfig = {
  degradedAfterMs: 300,
  lostAfterMs: 1_000,
  degradedLossRate: 0.2,
  lossWindowFrames: 100,
};

export interface PeerLinkStatus {
  id: string;
  state: LinkState;
  /** Smoothed round-trip time, null until measured. */
  rttMs: number | null;
  /** Frames lost on the way from the peer, percent, over the recent window. */
  lossPct: number;
  /** Null if never heard. */
  lastHeardAgoMs: number | null;
  framesHeard: number;
}

interface PeerEntry {
  lastHeardMs: number | undefined;
  state: LinkState;
  framesHeard: number;
  lastSeq: Map<number, number>;
  expected: number;
  received: number;
  srttMs: number | undefined;
}

const SEQ_MODULO = 32;

export class PeerLiveness {
  readonly config: LivenessConfig;
  private readonly peers = new Map<string, PeerEntry>();

  constructor(
    private readonly now: () => number,
    config: Partial<LivenessConfig> = {},
    private readonly onChange: (id: string, state: LinkState) => void = () => undefined,
  ) {
    this.config = { ...DEFAULT_LIVENESS_CONFIG, ...config };
  }

  /** Registers a peer we expect to hear (it is `lost` until it is heard). */
  expect(id: string): void {
    this.entry(id);
  }

  /** Any frame from the peer. */
  heard(id: string): void {
    const e = this.entry(id);
    const now = this.now();
    const wasSilentLong =
      e.lastHeardMs === undefined || now - e.lastHeardMs > this.config.lostAfterMs;
    if (wasSilentLong) e.lastSeq.clear(); // gaps across an outage are not loss on a working link
    e.lastHeardMs = now;
    e.framesHeard++;
    this.evaluate(id, e, now);
  }

  /** A sequenced broadcast frame (stream = its PGN) for loss counting. */
  sequenced(id: string, stream: number, seq: number): void {
    const e = this.entry(id);
    const last = e.lastSeq.get(stream);
    e.lastSeq.set(stream, seq);
    if (last === undefined) return;
    const gap = (seq - last - 1 + SEQ_MODULO) % SEQ_MODULO;
    if (gap === SEQ_MODULO - 1) return; // a repeat of the previous frame: not news, not loss
    e.expected += 1 + gap;
    e.received += 1;
    if (e.expected >= 2 * this.config.lossWindowFrames) {
      e.expected /= 2;
      e.received /= 2;
    }
  }

  rttSample(id: string, sampleMs: number): void {
    if (!(sampleMs >= 0)) return;
    const e = this.entry(id);
    e.srttMs = e.srttMs === undefined ? sampleMs : 0.875 * e.srttMs + 0.125 * sampleMs;
  }

  state(id: string): LinkState {
    return this.peers.get(id)?.state ?? 'lost';
  }

  status(id: string, fallbackRttMs?: number): PeerLinkStatus {
    const e = this.entry(id);
    const now = this.now();
    const rtt = e.srttMs ?? fallbackRttMs;
    return {
      id,
      state: e.state,
      rttMs: rtt === undefined ? null : Math.round(rtt * 100) / 100,
      lossPct: Math.round(this.lossRate(e) * 1000) / 10,
      lastHeardAgoMs: e.lastHeardMs === undefined ? null : Math.max(0, now - e.lastHeardMs),
      framesHeard: e.framesHeard,
    };
  }

  ids(): string[] {
    return [...this.peers.keys()];
  }

  tick(): void {
    const now = this.now();
    for (const [id, e] of this.peers) this.evaluate(id, e, now);
  }

  /** When the next state change by silence can happen. */
  nextDeadlineMs(): number | undefined {
    let due = Infinity;
    for (const e of this.peers.values()) {
      if (e.lastHeardMs === undefined) continue;
      if (e.state === 'online')
        due = Math.min(due, e.lastHeardMs + this.config.degradedAfterMs + 1);
      else if (e.state === 'degraded')
        due = Math.min(due, e.lastHeardMs + this.config.lostAfterMs + 1);
    }
    return due === Infinity ? undefined : due;
  }

  private lossRate(e: PeerEntry): number {
    return e.expected > 0 ? Math.max(0, 1 - e.received / e.expected) : 0;
  }

  private evaluate(id: string, e: PeerEntry, now: number): void {
    const silent = e.lastHeardMs === undefined ? Infinity : now - e.lastHeardMs;
    const next: LinkState =
      silent > this.config.lostAfterMs
        ? 'lost'
        : silent > this.config.degradedAfterMs || this.lossRate(e) > this.config.degradedLossRate
          ? 'degraded'
          : 'online';
    if (next === e.state) return;
    e.state = next;
    this.onChange(id, next);
  }

  private entry(id: string): PeerEntry {
    let e = this.peers.get(id);
    if (!e) {
      e = {
        lastHeardMs: undefined,
        state: 'lost',
        framesHeard: 0,
        lastSeq: new Map(),
        expected: 0,
        received: 0,
        srttMs: undefined,
      };
      this.peers.set(id, e);
    }
    return e;
  }
}
