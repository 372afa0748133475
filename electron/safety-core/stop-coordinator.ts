/**
 * Tracks active stops and each tractor's confirmation. A stop is broadcast at once, repeated
 * every ESTOP_REPEAT_MS until every tractor it holds has confirmed (or is lost), then at the
 * keep-alive rate for as long as it is active, so a tractor that rejoins late still hears it.
 */
import type { StopStatus } from '../../shared/index.js';

import {
  stopRefOf,
  ESTOP_FAST_REPEAT_FOR_MS,
  ESTOP_KEEPALIVE_MS,
  ESTOP_REPEAT_MS,
  ESTOP_SLOW_REPEAT_MS,
} from '../link/index.js';
import { StopIds } from './stop-ids.js';

export { ESTOP_KEEPALIVE_MS, ESTOP_REPEAT_MS };

export interface TractorStopState {
  status: Exclude<StopStatus, 'none'>;
  latencyMs: number | null;
}

export interface ActiveStop {
  id: string;
  /** 'fleet', or the id of the one tractor stopped. */
  scope: string;
  issuedAtMs: number;
  issuedAtWallMs: number;
  issuedBy: string;
  lastSentMs: number;
  tractors: Map<string, TractorStopState>;
  /**
   * Tractors released from this stop while it still holds others. A fleet stop holds every
   * machine that joins while it is in force, except these: a released machine is stopped again
   * only by a new stop.
   */
  released: Set<string>;
}

export class StopCoordinator {
  private readonly stops = new Map<string, ActiveStop>();
  private readonly ids: StopIds;

  constructor(idPrefix: string) {
    this.ids = new StopIds(idPrefix);
  }

  /** Marks ids as taken (the stops a job's records hold, released or not). */
  reserve(ids: Iterable<string>): void {
    this.ids.reserve(ids);
  }

  issue(
    scope: string,
    tractorIds: readonly string[],
    nowMs: number,
    wallMs: number,
    issuedBy: string,
  ): ActiveStop {
    const id = this.ids.next(wallMs, (taken) => this.stops.has(taken));
    const stop: ActiveStop = {
      id,
      scope,
      issuedAtMs: nowMs,
      issuedAtWallMs: wallMs,
      issuedBy,
      lastSentMs: nowMs,
      tractors: new Map(tractorIds.map((id) => [id, { status: 'sent', latencyMs: null }])),
      released: new Set(),
    };
    this.stops.set(stop.id, stop);
    return stop;
  }

  /** Re-creates a stop persisted before a restart; every tractor must confirm it again. */
  restore(
    stop: Omit<ActiveStop, 'tractors' | 'lastSentMs' | 'released'>,
    tractorIds: readonly string[],
    releasedIds: readonly string[] = [],
  ): ActiveStop {
    const restored: ActiveStop = {
      ...stop,
      lastSentMs: stop.issuedAtMs,
      tractors: new Map(tractorIds.map((id) => [id, { status: 'sent', latencyMs: null }])),
      released: new Set(releasedIds),
    };
    this.stops.set(restored.id, restored);
    return restored;
  }

  get(stopId: string): ActiveStop | undefined {
    return this.stops.get(stopId);
  }

  active(): ActiveStop[] {
    return [...this.stops.values()];
  }

  /** The active stop with this 32-bit reference (what a machine names on the wire). */
  byRef(ref: number): ActiveStop | undefined {
    return this.active().find((stop) => stopRefOf(stop.id) === ref);
  }

  /** The stops that hold this tractor. */
  holding(tractorId: string): ActiveStop[] {
    return this.active().filter((stop) => stop.tractors.has(tractorId));
  }

  /** A tractor that joins while a fleet stop is active is held by it too, unless released from it. */
  addToFleetStops(tractorId: string): ActiveStop[] {
    const joined: ActiveStop[] = [];
    for (const stop of this.stops.values()) {
      if (
        stop.scope === 'fleet' &&
        !stop.tractors.has(tractorId) &&
        !stop.released.has(tractorId)
      ) {
        stop.tractors.set(tractorId, { status: 'sent', latencyMs: null });
        joined.push(stop);
      }
    }
    return joined;
  }

  /** `latencyMs` when it was timed elsewhere (the safety core, where confirmations arrive). */
  confirm(stopId: string, tractorId: string, nowMs: number, latencyMs?: number): boolean {
    const entry = this.stops.get(stopId)?.tractors.get(tractorId);
    const stop = this.stops.get(stopId);
    if (!entry || !stop || entry.status === 'confirmed') return false;
    entry.status = 'confirmed';
    entry.latencyMs = latencyMs ?? Math.max(0, nowMs - stop.issuedAtMs);
    return true;
  }

  markLost(tractorId: string): void {
    for (const stop of this.stops.values()) {
      const entry = stop.tractors.get(tractorId);
      if (entry && entry.status === 'sent') entry.status = 'lost';
    }
  }

  /** A lost tractor that is heard again must confirm again. */
  markHeard(tractorId: string): void {
    for (const stop of this.stops.values()) {
      const entry = stop.tractors.get(tractorId);
      if (entry && entry.status === 'lost') entry.status = 'sent';
    }
  }

  /** Stops due for a repeat at `nowMs`; updates their last-sent time. */
  dueForRepeat(nowMs: number): ActiveStop[] {
    const due: ActiveStop[] = [];
    for (const stop of this.stops.values()) {
      const outstanding = [...stop.tractors.values()].some((t) => t.status === 'sent');
      const fast = nowMs - stop.issuedAtMs < ESTOP_FAST_REPEAT_FOR_MS;
      const interval = !outstanding
        ? ESTOP_KEEPALIVE_MS
        : fast
          ? ESTOP_REPEAT_MS
          : ESTOP_SLOW_REPEAT_MS;
      if (nowMs - stop.lastSentMs >= interval) {
        stop.lastSentMs = nowMs;
        due.push(stop);
      }
    }
    return due;
  }

  /** Removes tractors from a stop; the stop ends when it holds no tractor. */
  release(stopId: string, tractorIds: readonly string[]): void {
    const stop = this.stops.get(stopId);
    if (!stop) return;
    for (const id of tractorIds) {
      stop.tractors.delete(id);
      stop.released.add(id);
    }
    if (stop.tractors.size === 0) this.stops.delete(stopId);
  }

  /** Whether a fleet stop may still go out as one broadcast frame: it released no machine yet. */
  static broadcastable(stop: ActiveStop): boolean {
    return stop.scope === 'fleet' && stop.released.size === 0;
  }
}
