import type { Random } from '../time/index.js';

/**
 * Fault injection settings for the virtual bus. All draws come from the bus's seeded Random, in
 * a fixed order (frames in wire order, receivers in attach order), so a run repeats exactly.
 */
export interface BusFaultConfig {
  /** Probability that one receiver misses one frame (independent draws). */
  lossProbability: number;
  /**
   * Burst loss as a two-state Gilbert–Elliott chain advanced once per frame: in the bad state
   * every receiver misses the frame (a noise burst on the wire).
   */
  burstEnterProbability: number;
  burstExitProbability: number;
  /** Added delivery latency, and a uniform extra 0..jitterMs (jitter can reorder frames). */
  latencyMs: number;
  jitterMs: number;
}

export const NO_FAULTS: BusFaultConfig = {
  lossProbability: 0,
  burstEnterProbability: 0,
  burstExitProbability: 1,
  latencyMs: 0,
  jitterMs: 0,
};

export class BusFaultModel {
  private config: BusFaultConfig = NO_FAULTS;
  private inBurst = false;

  constructor(private readonly random: Random) {}

  configure(partial: Partial<BusFaultConfig>): void {
    const next = { ...this.config, ...partial };
    for (const key of [
      'lossProbability',
      'burstEnterProbability',
      'burstExitProbability',
    ] as const) {
      if (!(next[key] >= 0 && next[key] <= 1)) throw new RangeError(`${key} must be in [0, 1]`);
    }
    if (!(next.latencyMs >= 0) || !(next.jitterMs >= 0))
      throw new RangeError('latency and jitter must be >= 0');
    this.config = next;
    if (next.burstEnterProbability === 0) this.inBurst = false;
  }

  current(): BusFaultConfig {
    return this.config;
  }

  /** Advances the burst chain for one frame; true if the whole frame is lost. */
  frameLostToBurst(): boolean {
    const c = this.config;
    if (c.burstEnterProbability === 0 && !this.inBurst) return false;
    const draw = this.random.next();
    this.inBurst = this.inBurst ? draw >= c.burstExitProbability : draw < c.burstEnterProbability;
    return this.inBurst;
  }

  receiverMisses(): boolean {
    return this.config.lossProbability > 0 && this.random.next() < this.config.lossProbability;
  }

  /** Extra delivery delay in ms (0 when no latency is configured). */
  deliveryDelayMs(): number {
    const c = this.config;
    if (c.jitterMs === 0) return c.latencyMs;
    return c.latencyMs + this.random.next() * c.jitterMs;
  }
}
