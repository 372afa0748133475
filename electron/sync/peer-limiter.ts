/**
 * Per-peer caps on message size and rate (token bucket). The issue measured random 64-byte
 * inputs costing up to 350 ms of CPU to decode, so a peer must not be able to send many.
 */
import type { Clock } from '../time/index.js';
import type { RejectReason } from './principal.js';

export interface PeerLimits {
  readonly maxMessageBytes: number;
  /** Sustained messages per second, and the burst allowed above it. */
  readonly messagesPerS: number;
  readonly burst: number;
}

/** A full-job sync step 2 for 8 h × 20 tractors is a few MB; 16 MB leaves room. */
export const DEFAULT_PEER_LIMITS: PeerLimits = {
  maxMessageBytes: 16 * 1024 * 1024,
  messagesPerS: 500,
  burst: 2_000,
};

export class PeerLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly limits: PeerLimits = DEFAULT_PEER_LIMITS,
  ) {
    this.tokens = limits.burst;
    this.lastMs = clock.now();
  }

  /** Null when the message may be processed, else why not. */
  admit(bytes: number): RejectReason | null {
    if (bytes > this.limits.maxMessageBytes) return 'too-large';
    const now = this.clock.now();
    this.tokens = Math.min(
      this.limits.burst,
      this.tokens + ((now - this.lastMs) / 1000) * this.limits.messagesPerS,
    );
    this.lastMs = now;
    if (this.tokens < 1) return 'rate-limited';
    this.tokens -= 1;
    return null;
  }
}
