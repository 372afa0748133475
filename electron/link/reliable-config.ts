import { LANES, type Lane } from './wire-format.js';

export type QueuePolicy = 'refuse' | 'drop-oldest';

export interface ReliableConfig {
  /** Messages a lane may have on the wire unacknowledged per peer (≤ 64 keeps 8-bit serial arithmetic safe). */
  window: Record<Lane, number>;
  /** Messages a lane may hold per peer (queued + in flight). */
  queueLimit: Record<Lane, number>;
  /** What `send` does when a lane is full: refuse the new message, or drop the oldest queued one. */
  policy: Record<Lane, QueuePolicy>;
  /** Time to live when the caller gives none. */
  defaultTtlMs: Record<Lane, number>;
  /** Retransmission timeout bounds (RFC 6298 style estimator, clamped). */
  minRtoMs: number;
  maxRtoMs: number;
  initialRtoMs: number;
  /** Extra allowance per CAN frame a multi-frame (TP/ETP) message needs. */
  perFrameAllowanceMs: number;
  /** Each retry multiplies the timeout by this. */
  backoff: number;
  /** Uniform jitter ±fraction applied to every timeout (so peers do not retry in lockstep). */
  jitter: number;
  /** Transmissions of one message without an ack before the peer is treated as unreachable. */
  maxAttempts: number;
  /** Out-of-order messages a receiver buffers per peer and lane. */
  reorderBuffer: number;
}

export const DEFAULT_RELIABLE_CONFIG: ReliableConfig = {
  window: { safety: 8, control: 8, sync: 4, bulk: 4 },
  queueLimit: { safety: 64, control: 256, sync: 1024, bulk: 256 },
  policy: { safety: 'refuse', control: 'refuse', sync: 'refuse', bulk: 'drop-oldest' },
  defaultTtlMs: { safety: 10_000, control: 60_000, sync: 600_000, bulk: 600_000 },
  minRtoMs: 10,
  maxRtoMs: 2_000,
  initialRtoMs: 20,
  perFrameAllowanceMs: 1.5,
  backoff: 2,
  jitter: 0.2,
  maxAttempts: 8,
  reorderBuffer: 32,
};

export function mergeConfig(partial: Partial<ReliableConfig> | undefined): ReliableConfig {
  const c = { ...DEFAULT_RELIABLE_CONFIG, ...partial };
  for (const lane of LANES) {
    if (!(c.window[lane] >= 1 && c.window[lane] <= 64))
      throw new RangeError(`window.${lane} must be 1–64`);
    if (!(c.queueLimit[lane] >= c.window[lane]))
      throw new RangeError(`queueLimit.${lane} must be ≥ the window`);
  }
  return c;
}
