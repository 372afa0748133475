/**
 * Runs the zone guard (electron/safety/zone-guard.ts) over the fleet the station knows: keeps
 * the keep-out zones (the field's holes and the operator's), turns the guard's verdicts into
 * speed limits with a little hysteresis, and hands back the machines that must be stopped.
 */
import type { LonLat, TractorSnapshot, ZoneSnapshot } from '../../shared/index.js';
import { TangentFrame, type ValidField, type XY } from '../fleet/index.js';
import {
  DEFAULT_ZONE_GUARD,
  assessZones,
  type GuardAction,
  type GuardedMachine,
  type KeepOutZone,
} from '../safety/index.js';
import type { TractorRecord } from './tractor-record.js';

/** Speed a machine is slowed to when a violation is predicted a few seconds ahead. */
export const ZONE_SLOW_MPS = 1;
/** A limit is lifted only after the guard has seen the machine clear this long. */
export const ZONE_CLEAR_MS = 1_000;
/**
 * The disc separation protects: the tractor's body (~5 m long). Implements on adjacent swaths
 * run side by side as in echelon work, so their width is not part of it (docs/safety.md).
 */
const MACHINE_RADIUS_M = 2.5;

type Hold = NonNullable<TractorSnapshot['hold']>;

export interface ZoneVerdicts {
  /** Speed limits to send: a number, or null to lift one. */
  limits: { tractorId: string; maxMps: number | null }[];
  /** Machines already in violation: stop them. */
  stops: GuardAction[];
  /** Holds that began on this tick (to log). */
  started: GuardAction[];
}

interface Zone extends KeepOutZone {
  source: ZoneSnapshot['source'];
  lonLat: LonLat[];
}

export class ZoneSupervisor {
  private readonly frame: TangentFrame;
  private readonly fence: XY[] | null;
  private readonly zones: Zone[] = [];
  private readonly active = new Map<
    string,
    { hold: Hold; limit: number; clearSinceMs: number | null }
  >();
  private nextZone = 1;
  /**
   * Machines this guard has judged. A machine may still obey a limit an earlier station (before
   * a restart) or an earlier job's guard set; the first pass that sees it lifts any limit it
   * does not set itself, or the machine would stand for good with no hold shown.
   */
  private readonly judged = new Set<string>();

  constructor(field: ValidField) {
    this.frame = new TangentFrame(field.origin);
    this.fence = field.local[0] ?? null;
    field.geometry.boundary.slice(1).forEach((ring, i) => {
      this.zones.push({
        id: `hole-${i + 1}`,
        name: `obstacle ${i + 1}`,
        source: 'field',
        lonLat: ring,
        ring: ring.map((p) => this.frame.toLocal(p)),
      });
    });
  }

  /** The same guard on a revised field: its obstacles, and the operator's zones kept. */
  forField(field: ValidField): ZoneSupervisor {
    const next = new ZoneSupervisor(field);
    next.nextZone = this.nextZone;
    for (const zone of this.zones)
      if (zone.source === 'operator')
        next.zones.push({ ...zone, ring: zone.lonLat.map((p) => next.frame.toLocal(p)) });
    return next;
  }

  add(name: string, ring: readonly LonLat[]): ZoneSnapshot {
    const zone: Zone = {
      id: `zone-${this.nextZone++}`,
      name,
      source: 'operator',
      lonLat: [...ring],
      ring: ring.map((p) => this.frame.toLocal(p)),
    };
    this.zones.push(zone);
    return toSnapshot(zone);
  }

  /** Removes an operator's zone; the field's own obstacles stay. */
  remove(zoneId: string): 'removed' | 'not-found' | 'field-zone' {
    const index = this.zones.findIndex((z) => z.id === zoneId);
    const zone = this.zones[index];
    if (!zone) return 'not-found';
    if (zone.source === 'field') return 'field-zone';
    this.zones.splice(index, 1);
    return 'removed';
  }

  snapshot(): ZoneSnapshot[] {
    return this.zones.map(toSnapshot);
  }

  /** Whether the guard slows or holds the machine now. */
  limits(tractorId: string): boolean {
    return this.active.has(tractorId);
  }

  holds(): Map<string, Hold> {
    return new Map([...this.active].map(([id, a]) => [id, a.hold]));
  }

  /** One guard pass over the fleet's latest positions. */
  assess(tractors: readonly TractorRecord[], nowMs: number): ZoneVerdicts {
    const machines = tractors.flatMap((t) => this.machineOf(t));
    const actions = assessZones(
      { ...DEFAULT_ZONE_GUARD, fence: this.fence, zones: this.zones },
      machines,
    );
    const verdicts: ZoneVerdicts = { limits: [], stops: [], started: [] };
    const byTractor = new Map(actions.map((a) => [a.tractorId, a]));
    for (const action of actions) {
      if (action.action === 'stop') {
        verdicts.stops.push(action);
        continue;
      }
      const current = this.active.get(action.tractorId);
      // Once held apart from another machine, a machine stays held until clear (the other moves:
      // no flapping between hold and slow). One held short of a fence or zone creeps on once its
      // conflict is further off than the hold time at that creep.
      const sticky = current?.limit === 0 && action.cause === 'separation';
      const limit = action.action === 'hold' || sticky ? 0 : ZONE_SLOW_MPS;
      const hold: Hold = {
        action: limit === 0 ? 'hold' : 'slow',
        cause: action.cause,
        reason: action.reason,
      };
      if (!current) verdicts.started.push(action);
      if (current?.limit !== limit)
        verdicts.limits.push({ tractorId: action.tractorId, maxMps: limit });
      this.active.set(action.tractorId, { hold, limit, clearSinceMs: null });
    }
    for (const t of tractors) {
      if (this.judged.has(t.id) || !t.position) continue;
      this.judged.add(t.id);
      if (!this.active.has(t.id)) verdicts.limits.push({ tractorId: t.id, maxMps: null });
    }
    for (const [id, entry] of this.active) {
      const action = byTractor.get(id);
      if (action && action.action !== 'stop') continue;
      entry.clearSinceMs ??= nowMs;
      if (nowMs - entry.clearSinceMs >= ZONE_CLEAR_MS || action?.action === 'stop') {
        this.active.delete(id);
        verdicts.limits.push({ tractorId: id, maxMps: null });
      }
    }
    return verdicts;
  }

  private machineOf(t: TractorRecord): GuardedMachine[] {
    // Idle and finished machines wait at the field entrance, out of the work (a real machine's own
    // obstacle detection covers the rest; docs/safety.md).
    if (!t.position || t.commLost || t.reportedState === 'idle' || t.reportedState === 'done')
      return [];
    const moving =
      (t.reportedState === 'working' || t.reportedState === 'turning') && t.mode !== 'manual';
    // A machine we hold reports speed 0; its own hold is judged at the speed it would drive if
    // let go: its work speed beside another machine, the creep we allow towards a fence or zone
    // (held mid-turn at the headland, its straight-line path at work speed would cross the
    // boundary for good). Other machines see it standing.
    const held = this.active.get(t.id);
    const letGoSpeedMps = held?.hold.cause === 'separation' ? t.workSpeedMps : ZONE_SLOW_MPS;
    return [
      {
        id: t.id,
        position: this.frame.toLocal(t.position),
        headingDeg: t.headingDeg,
        speedMps: t.speedMps,
        ...(held ? { letGoSpeedMps } : {}),
        radiusM: MACHINE_RADIUS_M,
        moving,
        turning: t.reportedState === 'turning',
      },
    ];
  }
}

function toSnapshot(zone: Zone): ZoneSnapshot {
  return { id: zone.id, name: zone.name, source: zone.source, ring: zone.lonLat };
}
