/**
 * The simple model the stop/release/resume test holds the station to, and the invariants it
 * checks after every step:
 *   I1 a machine held by a stop in force never moves, and is stopped within a second of it;
 *   I2 a released machine is stopped again only by a new stop (or its own watchdog or fault);
 *   I3 a release releases each machine it names, or refuses and names each it cannot release;
 *   I4 (at the end) once every stop is released and the job resumed, every machine with work
 *      left moves within 2 s and the job runs to completion;
 *   I5 no "stopped itself" alert unless the machine's own watchdog or fault fired.
 * Stops in force are the model's own record (what its commands issued, what the station itself
 * issued and the model accepted, minus what its releases released): the station must show
 * exactly these, through restarts, loss and radio cuts.
 */
import type {
  CommandResult,
  LonLat,
  StationSnapshot,
  TractorState,
} from '../../../shared/index.js';
import type { WorkflowWorld } from './workflow-world.js';

/** A machine held this long by a stop in force must be standing (repeats every 50 ms). */
export const HELD_STANDS_WITHIN_MS = 1_000;
/** After everything is released and the job resumed, machines with work left move within this. */
export const RESUMED_MOVES_WITHIN_MS = 2_000;

export interface TractorView {
  state: TractorState;
  position: LonLat;
  ownStops: number;
}

export interface Observation {
  atMs: number;
  tractors: Map<string, TractorView>;
  snapshot: StationSnapshot;
}

interface ModelStop {
  /** 'fleet', or the one machine it stops. */
  scope: string;
  issuedAtMs: number;
  holds: Set<string>;
  /** Machines released from it: it never holds them again. */
  released: Set<string>;
  /** When each machine began to be held by it (station clock). */
  heldSinceMs: Map<string, number>;
  /** Who issued it: the model's commands, or the station itself (and why). */
  origin: 'command' | 'safe stop' | 'zone guard';
}

export class WorkflowChecker {
  readonly violations: string[] = [];
  readonly stops = new Map<string, ModelStop>();
  /** Stops that no longer hold any machine the station knew of. */
  private readonly ended = new Map<string, ModelStop>();
  /** Every stop id the sequence ever saw (releases of stale ids are part of the test). */
  readonly everStopIds: string[] = [];
  private readonly stoppedItselfAlerts = new Map<string, Set<string>>();
  private step = 0;
  private label = 'start';

  constructor(private readonly world: WorkflowWorld) {}

  observe(): Observation {
    const tractors = new Map<string, TractorView>();
    for (const t of this.world.tractors.tractors)
      tractors.set(t.id, {
        state: t.currentState,
        position: t.currentPosition,
        ownStops: t.ownStops,
      });
    return { atMs: this.world.clock.now(), tractors, snapshot: this.world.station.snapshot() };
  }

  begin(label: string): Observation {
    this.step++;
    this.label = label;
    return this.observe();
  }

  violate(message: string): void {
    this.violations.push(`step ${this.step} (${this.label}): ${message}`);
  }

  held(tractorId: string): boolean {
    return [...this.stops.values()].some((s) => s.holds.has(tractorId));
  }

  /** A stop the model's command issued: it holds what the station says it holds. */
  issued(result: CommandResult, snapshot: StationSnapshot): void {
    if (!result.ok || result.stopId === undefined) return;
    this.adopt(result.stopId, snapshot, 'command');
  }

  /**
   * I3: a release is judged against the station as it stood just before it. All named machines
   * releasable: it succeeds and none is held by the stops it names any more. Otherwise it is
   * refused, names each machine it could not release, and changes nothing.
   */
  released(
    request: { stopId?: string; tractorIds?: string[] },
    before: StationSnapshot,
    result: CommandResult,
    after: StationSnapshot,
  ): void {
    if (!result.ok && result.error.code === 'unavailable') {
      // The page could not reach the station: nothing may have changed.
      if (JSON.stringify(holdsOf(after)) !== JSON.stringify(holdsOf(before)))
        this.violate('a release that never reached the station changed the stops in force');
      return;
    }
    const expected = expectedRelease(request, before);
    if (expected.kind === 'unknown-stop') {
      if (result.ok) this.violate(`release of unknown stop ${request.stopId ?? ''} succeeded`);
      return;
    }
    if (expected.kind === 'refuse') {
      if (result.ok) {
        this.violate(`release should have been refused (${expected.names.join(', ')})`);
        return;
      }
      for (const name of expected.names)
        if (!result.error.message.includes(name))
          this.violate(`refusal "${result.error.message}" does not name ${name}`);
      if (JSON.stringify(holdsOf(after)) !== JSON.stringify(holdsOf(before)))
        this.violate('a refused release changed the stops in force');
      return;
    }
    if (!result.ok) {
      this.violate(`release refused unexpectedly: ${result.error.message}`);
      return;
    }
    for (const [stopId, tractorId] of expected.pairs) {
      const stop = this.stops.get(stopId);
      stop?.holds.delete(tractorId);
      stop?.heldSinceMs.delete(tractorId);
      stop?.released.add(tractorId);
      if (stop?.holds.size === 0) {
        this.stops.delete(stopId);
        this.ended.set(stopId, stop);
      }
      if (after.stops.some((s) => s.id === stopId && s.held.some((h) => h.tractorId === tractorId)))
        this.violate(`${tractorId} still held by ${stopId} after its release succeeded`);
    }
  }

  /** I1, I2, I5 and the stops in force, between two observations of one step. */
  check(before: Observation, after: Observation): void {
    this.acceptStationStops(after);
    this.compareStops(after.snapshot);
    for (const [id, now] of after.tractors) {
      const was = before.tractors.get(id);
      if (!was) continue;
      const heldBefore = this.heldSince(id, before.atMs);
      const heldNow = this.heldSince(id, after.atMs);
      // I1: standing while held stays standing, where it stood. (A machine out of contact when
      // the stop came may be paused rather than stopped: it stands all the same.)
      if (heldBefore !== null && heldNow !== null && !moving(was.state)) {
        if (moving(now.state)) this.violate(`${id} held but ${now.state}`);
        else if (!samePosition(was.position, now.position)) this.violate(`${id} held but moved`);
      }
      if (heldNow !== null && after.atMs - heldNow >= HELD_STANDS_WITHIN_MS && moving(now.state))
        this.violate(`${id} held ${after.atMs - heldNow} ms and still ${now.state}`);
      // I2: a released machine is stopped again only by a new stop or its own watchdog.
      if (heldBefore === null && was.state !== 'stopped' && now.state === 'stopped') {
        const ownStop = now.ownStops > was.ownStops;
        if (!ownStop && !this.newStopCovers(id, before.atMs))
          this.violate(`${id} stopped again without a new stop`);
      }
    }
    this.checkStoppedItself(after);
  }

  /** I5: each "stopped itself" alert has a watchdog stop or fault of that machine behind it. */
  private checkStoppedItself(after: Observation): void {
    for (const t of after.snapshot.tractors) {
      const seen = this.stoppedItselfAlerts.get(t.id) ?? new Set<string>();
      for (const alert of after.snapshot.alerts)
        if (alert.source === t.id && alert.message === `${t.name} stopped itself`)
          seen.add(alert.id);
      this.stoppedItselfAlerts.set(t.id, seen);
      const ownStops = after.tractors.get(t.id)?.ownStops ?? 0;
      if (seen.size > ownStops)
        this.violate(`${seen.size} "stopped itself" alert(s) for ${t.id}, ${ownStops} own stop(s)`);
    }
  }

  /**
   * Stops the station issued by itself since the last step: a machine's own stop adopted (only
   * after its watchdog or fault fired) or a zone guard's stop. Anything else is a violation.
   */
  private acceptStationStops(after: Observation): void {
    for (const stop of after.snapshot.stops) {
      if (this.stops.has(stop.id)) continue;
      if (stop.issuedBy === 'an earlier stop') {
        // A fleet stop's one frame also stops machines the station did not know of yet; one of
        // them still held by it after the stop ended is shown held by it again.
        const earlier = this.ended.get(stop.id);
        if (earlier?.scope !== 'fleet' || earlier.released.has(stop.scope))
          this.violate(`${stop.scope} shown held by ${stop.id}, which it was released from`);
        this.ended.delete(stop.id);
        this.adopt(stop.id, after.snapshot, 'command');
        continue;
      }
      if (this.everStopIds.includes(stop.id)) continue;
      if (stop.issuedBy.endsWith('(safe stop)')) {
        const id = stop.scope;
        if ((after.tractors.get(id)?.ownStops ?? 0) === 0)
          this.violate(`station adopted a safe stop of ${id}, which never stopped itself`);
        this.adopt(stop.id, after.snapshot, 'safe stop');
      } else if (stop.issuedBy === 'zone guard') this.adopt(stop.id, after.snapshot, 'zone guard');
      else {
        this.violate(`unexpected stop ${stop.id} by ${stop.issuedBy}`);
        this.adopt(stop.id, after.snapshot, 'command');
      }
    }
  }

  /**
   * A stop that may stop the machine now: one that began to hold it since `sinceMs`, or a fleet
   * stop in force it was never released from (one broadcast frame stops every machine on the
   * bus; a machine out of reach when it was issued hears it when it is back).
   */
  private newStopCovers(tractorId: string, sinceMs: number): boolean {
    return [...this.stops.values()].some(
      (s) =>
        (s.scope === 'fleet' && !s.released.has(tractorId)) ||
        (s.heldSinceMs.get(tractorId) ?? -Infinity) >= sinceMs,
    );
  }

  /**
   * The station shows exactly the model's stops in force, each holding exactly its machines; a
   * fleet stop also holds a machine that joined after it, unless it was released from it.
   */
  private compareStops(snapshot: StationSnapshot): void {
    const shown = new Map(snapshot.stops.map((s) => [s.id, s.held.map((h) => h.tractorId).sort()]));
    const now = this.world.clock.now();
    for (const [id, stop] of this.stops) {
      if (stop.scope !== 'fleet') continue;
      for (const joined of shown.get(id) ?? [])
        if (!stop.holds.has(joined) && !stop.released.has(joined)) {
          stop.holds.add(joined);
          stop.heldSinceMs.set(joined, now);
        }
    }
    for (const [id, stop] of this.stops) {
      const held = shown.get(id);
      if (!held) this.violate(`stop ${id} in force is missing from the station`);
      else if (held.join() !== [...stop.holds].sort().join())
        this.violate(
          `stop ${id} holds ${held.join()} on the station, ${[...stop.holds].join()} in the model`,
        );
    }
    for (const id of shown.keys())
      if (!this.stops.has(id)) this.violate(`station shows stop ${id} the model released`);
  }

  private adopt(stopId: string, snapshot: StationSnapshot, origin: ModelStop['origin']): void {
    const shown = snapshot.stops.find((s) => s.id === stopId);
    const holds = new Set(shown?.held.map((h) => h.tractorId) ?? []);
    const now = this.world.clock.now();
    this.stops.set(stopId, {
      scope: shown?.scope ?? 'fleet',
      issuedAtMs: now,
      released: new Set(),
      holds,
      heldSinceMs: new Map([...holds].map((id) => [id, now])),
      origin,
    });
    if (!this.everStopIds.includes(stopId)) this.everStopIds.push(stopId);
  }

  /** Since when the machine has been held without a break, or null when no stop holds it. */
  private heldSince(tractorId: string, atMs: number): number | null {
    let since: number | null = null;
    for (const stop of this.stops.values()) {
      const from = stop.heldSinceMs.get(tractorId);
      if (from !== undefined && from <= atMs) since = since === null ? from : Math.min(since, from);
    }
    return since;
  }
}

type ExpectedRelease =
  | { kind: 'unknown-stop' }
  | { kind: 'refuse'; names: string[] }
  | { kind: 'release'; pairs: [string, string][] };

function expectedRelease(
  request: { stopId?: string; tractorIds?: string[] },
  before: StationSnapshot,
): ExpectedRelease {
  const only =
    request.stopId === undefined ? undefined : before.stops.find((s) => s.id === request.stopId);
  if (request.stopId !== undefined && !only) return { kind: 'unknown-stop' };
  const targets = [...new Set(request.tractorIds ?? only?.held.map((h) => h.tractorId) ?? [])];
  const nameOf = (id: string): string => before.tractors.find((t) => t.id === id)?.name ?? id;
  const names: string[] = [];
  const pairs: [string, string][] = [];
  for (const id of targets) {
    const holding = (only ? [only] : before.stops).filter((s) =>
      s.held.some((h) => h.tractorId === id),
    );
    const waiting = holding.some((s) => s.held.find((h) => h.tractorId === id)?.status === 'sent');
    if (holding.length === 0 || waiting) names.push(nameOf(id));
    else for (const s of holding) pairs.push([s.id, id]);
  }
  return names.length > 0 ? { kind: 'refuse', names } : { kind: 'release', pairs };
}

function holdsOf(snapshot: StationSnapshot): [string, string[]][] {
  return snapshot.stops.map((s) => [s.id, s.held.map((h) => h.tractorId).sort()]);
}

export function moving(state: TractorState): boolean {
  return state === 'working' || state === 'turning';
}

function samePosition(a: LonLat, b: LonLat): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
