/**
 * What the simulated tractors hear of the station's heartbeat: the longest gap between two
 * heartbeats each one heard, on the core's clock. The figure a stalled station would show first
 * (a tractor stops itself after STATION_SILENCE_STOP_MS of it), taken where the tractor is.
 */
import type { TractorPort } from '../link/index.js';
import type { Clock } from '../time/index.js';

interface Heard {
  lastMs: number | null;
  maxGapMs: number;
  count: number;
}

export class HeartbeatEar {
  private readonly heard = new Map<string, Heard>();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    tractors: readonly { id: string; port: TractorPort }[],
  ) {
    for (const { id, port } of tractors) {
      const entry: Heard = { lastMs: null, maxGapMs: 0, count: 0 };
      this.heard.set(id, entry);
      this.offs.push(
        port.onMessage((message) => {
          if (message.kind !== 'heartbeat') return;
          const now = this.clock.now();
          if (entry.lastMs !== null) entry.maxGapMs = Math.max(entry.maxGapMs, now - entry.lastMs);
          entry.lastMs = now;
          entry.count++;
        }),
      );
    }
  }

  /** Each tractor's longest gap and heartbeats heard since the last call (then counted anew). */
  takeGaps(): Map<string, { maxGapMs: number; count: number }> {
    const out = new Map<string, { maxGapMs: number; count: number }>();
    for (const [id, entry] of this.heard) {
      out.set(id, { maxGapMs: entry.maxGapMs, count: entry.count });
      entry.maxGapMs = 0;
      entry.count = 0;
    }
    return out;
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
