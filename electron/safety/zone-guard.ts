/**
 * Safety zones and separation (docs/safety.md, "Zones and separation"). Each machine's path is
 * predicted a few seconds ahead along its heading at its speed; a machine predicted to leave
 * the geofence, enter a keep-out zone or come closer than the minimum gap to another machine is
 * slowed, then held, before it happens, and one that already does is stopped. Pure function of
 * the positions it is given: the station calls it on every guard tick.
 */
import type { XY } from '../geometry/index.js';
import { clearanceFromZone, clearanceInsideFence } from './zone-geometry.js';

export interface GuardedMachine {
  id: string;
  position: XY;
  /** Degrees clockwise from grid north. */
  headingDeg: number;
  /** The speed it drives at now (0 while held). */
  speedMps: number;
  /**
   * The speed it would drive at if let go (a held machine's work speed): its own hold is judged
   * at this speed, while other machines see it as it is, standing. Defaults to `speedMps`.
   */
  letGoSpeedMps?: number;
  /** Radius of the disc the machine and its implement sweep. */
  radiusM: number;
  /** Driving under autonomy (working or turning); parked machines are obstacles only. */
  moving: boolean;
  /**
   * In a headland turn: its path curves back, so a straight line along its heading says little
   * about the boundary. The fence slows it, and holds it only at the widened boundary itself.
   */
  turning?: boolean;
}

export interface KeepOutZone {
  id: string;
  name: string;
  ring: XY[];
}

export interface ZoneGuardConfig {
  /** The field boundary as a geofence, or null for none. */
  fence: XY[] | null;
  /** How far beyond the boundary a machine's centre may go (turns on the headland). */
  fenceMarginM: number;
  zones: readonly KeepOutZone[];
  /** Minimum gap between two machines' discs: closer and closing, both stop. */
  minGapM: number;
  /** Added to the minimum gap for predicted conflicts, which slow or hold the machine giving way. */
  bufferM: number;
  /** How far ahead paths are predicted; a violation this close in time slows the machine. */
  horizonS: number;
  /** A violation this close in time holds the machine (speed 0). */
  holdWithinS: number;
}

export const DEFAULT_ZONE_GUARD: Omit<ZoneGuardConfig, 'fence' | 'zones'> = {
  fenceMarginM: 10,
  // Two 2.5 m bodies 3 m apart: centres 8 m apart, less than one swath of a 12 m implement.
  minGapM: 3,
  bufferM: 3.5,
  // At 5 m/s transit a machine covers 20 m in 4 s; a tractor brakes from 5 m/s in ~2 m.
  horizonS: 4,
  holdWithinS: 2,
};

const STEP_S = 0.25;
/**
 * How far ahead a machine's path is judged against another that drives on as if that one stopped
 * dead now: the guard's next pass (100 ms) and the limit's way to the machine (a safety-lane
 * message, tens of ms) with room to spare, so it is held before it could close on the other
 * inside the buffer, and stops (2 m from 5 m/s) well outside the minimum gap.
 */
const REACTION_S = 0.5;

export type GuardSeverity = 'slow' | 'hold' | 'stop';
export interface GuardAction {
  tractorId: string;
  action: GuardSeverity;
  cause: 'fence' | 'zone' | 'separation';
  /** Human-readable: which zone or machine, and when. */
  reason: string;
  /** The other machine of a separation conflict, or the zone id. */
  other: string | null;
}

const RANK: Record<GuardSeverity, number> = { slow: 1, hold: 2, stop: 3 };

function at(m: GuardedMachine, tS: number): XY {
  const rad = (m.headingDeg * Math.PI) / 180;
  const d = m.moving ? m.speedMps * tS : 0;
  return [m.position[0] + Math.sin(rad) * d, m.position[1] + Math.cos(rad) * d];
}

/** The machine as it would drive if let go (the same machine when it is not held). */
function letGo(m: GuardedMachine): GuardedMachine {
  const speedMps = Math.max(m.speedMps, m.letGoSpeedMps ?? m.speedMps);
  return speedMps === m.speedMps ? m : { ...m, speedMps };
}

/** The first predicted time at which `violates` holds, or null within the horizon. */
function firstViolation(horizonS: number, violates: (tS: number) => boolean): number | null {
  for (let t = 0; t <= horizonS + 1e-9; t += STEP_S) if (violates(t)) return t;
  return null;
}

function severityAt(tS: number, config: ZoneGuardConfig): GuardSeverity {
  if (tS === 0) return 'stop';
  return tS <= config.holdWithinS ? 'hold' : 'slow';
}

function when(tS: number): string {
  return tS === 0 ? 'now' : `in ${tS.toFixed(1)} s`;
}

export function assessZones(
  config: ZoneGuardConfig,
  machines: readonly GuardedMachine[],
): GuardAction[] {
  const actions: GuardAction[] = [];
  for (const machine of machines) {
    if (!machine.moving) continue;
    const m = letGo(machine);
    const fence = config.fence;
    // The fence keeps machines in; one still on its way into the field is not held back by it.
    if (fence && clearanceInsideFence(fence, m.position, 0, config.fenceMarginM) >= 0) {
      const t = firstViolation(
        config.horizonS,
        (s) => clearanceInsideFence(fence, at(m, s), 0, config.fenceMarginM) < 0,
      );
      if (t !== null)
        actions.push({
          tractorId: m.id,
          action: m.turning && t > STEP_S ? 'slow' : severityAt(t, config),
          cause: 'fence',
          reason: `leaves the field boundary ${when(t)}`,
          other: null,
        });
    }
    for (const zone of config.zones) {
      const t = firstViolation(
        config.horizonS,
        (s) => clearanceFromZone(zone.ring, at(m, s), m.radiusM) < 0,
      );
      if (t !== null)
        actions.push({
          tractorId: m.id,
          action: severityAt(t, config),
          cause: 'zone',
          reason: `enters keep-out zone ${zone.name} ${when(t)}`,
          other: zone.id,
        });
    }
  }
  actions.push(...separationActions(config, machines));
  return mostSevere(actions);
}

function gapAt(a: GuardedMachine, b: GuardedMachine, tS: number): number {
  const pa = at(a, tS);
  const pb = at(b, tS);
  return Math.hypot(pa[0] - pb[0], pa[1] - pb[1]) - a.radiusM - b.radiusM;
}

function separationActions(
  config: ZoneGuardConfig,
  machines: readonly GuardedMachine[],
): GuardAction[] {
  const actions: GuardAction[] = [];
  for (let i = 0; i < machines.length; i++) {
    for (let j = i + 1; j < machines.length; j++) {
      const a = machines[i];
      const b = machines[j];
      if (!a || !b || (!a.moving && !b.moving)) continue;
      // Too close already and closing as they drive now: stop both (a machine may always back off).
      if (gapAt(a, b, 0) < config.minGapM && gapAt(a, b, STEP_S) <= gapAt(a, b, 0)) {
        for (const [m, o] of [
          [a, b],
          [b, a],
        ] as const)
          actions.push({
            tractorId: m.id,
            action: 'stop',
            cause: 'separation',
            reason: `closer than ${config.minGapM} m to ${o.id}`,
            other: o.id,
          });
        continue;
      }
      for (const { yielder, other, tS } of yielding(a, b, config))
        actions.push({
          tractorId: yielder.id,
          action: tS === 0 ? 'hold' : severityAt(tS, config),
          cause: 'separation',
          reason: `would come within ${config.minGapM} m of ${other.id} ${when(tS)}`,
          other: other.id,
        });
    }
  }
  return actions;
}

interface Yield {
  yielder: GuardedMachine;
  other: GuardedMachine;
  tS: number;
}

/**
 * Who gives way. Predicted conflicts are judged with a buffer, so the machine that gives way is
 * held before the pair gets anywhere near the stop distance (paths curve; predictions don't).
 * First every machine whose own path, driven as if let go, meets the other where it will be
 * (`ownConflict`): if both do, both wait unless one has the right of way (`rightOfWay`) — neither
 * may creep closer. When only the two paths together conflict (crossing, or one catching up with
 * the other), one gives way (`giver`). A held machine stands: whether another is closing on it is
 * judged with it standing, never with it driving off at the speed it would have if let go.
 */
function yielding(a: GuardedMachine, b: GuardedMachine, config: ZoneGuardConfig): Yield[] {
  const together = conflictTime(letGo(a), letGo(b), config);
  const own = [
    { yielder: a, other: b },
    { yielder: b, other: a },
  ].flatMap(({ yielder, other }) => {
    const alone = ownConflict(yielder, other, config);
    if (alone === null) return [];
    return [{ yielder, other, tS: Math.min(alone, together ?? alone) }];
  });
  if (own.length === 2) {
    const goes = rightOfWay(a, b, config);
    return goes ? own.filter((y) => y.yielder !== goes) : own;
  }
  if (own.length > 0 || together === null) return own;
  return giver(a, b, config).map((yielder) => ({
    yielder,
    other: yielder === a ? b : a,
    tS: together,
  }));
}

/**
 * When `m`'s own path, driven as if let go, meets `o`. Against a machine that stands (or is
 * held, or slowed) that is its path against `o` standing, over the whole horizon. Against one
 * that drives on, `o` may yet stop dead (its work ends, another machine holds it), so `m` must
 * never be nearer it than it could stop short of: its path against `o` standing is judged over
 * the reaction time only, and the rest of the horizon with both driving on (`together`, whose
 * conflicts one of the two gives way for). A machine following another, or crossing behind it,
 * then drives on while the other drives away, instead of standing until it is gone.
 */
function ownConflict(m: GuardedMachine, o: GuardedMachine, config: ZoneGuardConfig): number | null {
  const standing = { ...o, moving: false };
  if (!drivesOn(o)) return conflictTime(letGo(m), standing, config);
  return conflictTime(letGo(m), standing, { ...config, horizonS: REACTION_S });
}

/** Driving at its own speed: moving, under no limit of the guard's, not standing. */
function drivesOn(m: GuardedMachine): boolean {
  return m.moving && m.letGoSpeedMps === undefined && m.speedMps > 0;
}

/**
 * Of two machines whose paths conflict only together, the one that gives way: the other must be
 * able to drive on past it standing (else holding it is no answer, as for a machine catching up
 * with another, which must wait behind it, not stop it). If either may, a machine already held
 * stays the one that waits (no flapping), else the greater id gives way — the same answer on
 * every node. If neither may (face to face), both wait.
 */
function giver(a: GuardedMachine, b: GuardedMachine, config: ZoneGuardConfig): GuardedMachine[] {
  const passes = (m: GuardedMachine, o: GuardedMachine): boolean =>
    conflictTime(letGo(m), { ...o, moving: false }, config) === null;
  const aPasses = passes(a, b);
  const bPasses = passes(b, a);
  if (aPasses && !bPasses) return [b];
  if (bPasses && !aPasses) return [a];
  if (!aPasses && !bPasses) return [a, b];
  const aHeld = a.letGoSpeedMps !== undefined;
  const bHeld = b.letGoSpeedMps !== undefined;
  if (aHeld !== bHeld) return [aHeld ? a : b];
  return [a.id > b.id ? a : b];
}

/**
 * Of two machines that wait for each other, the one that may go: it drives a straight pass (not
 * a turn, whose path curves away from its prediction), the other stands, and its path driven on
 * as if let go passes the other no closer than the minimum gap (within the buffer, never within
 * the stop distance). If both may, the smaller id goes; once it drives, the other no longer
 * stands and so may not, and the right of way stays with it until the two are clear. If neither
 * may (face to face on one line), both wait.
 */
function rightOfWay(
  a: GuardedMachine,
  b: GuardedMachine,
  config: ZoneGuardConfig,
): GuardedMachine | null {
  const may = (m: GuardedMachine, o: GuardedMachine): boolean =>
    !m.turning && o.speedMps === 0 && closestGap(letGo(m), o) >= config.minGapM;
  const aMay = may(a, b);
  const bMay = may(b, a);
  if (aMay && bMay) return a.id < b.id ? a : b;
  return aMay ? a : bMay ? b : null;
}

/** The least gap between `m` driving on along its heading, however far, and `o` standing. */
function closestGap(m: GuardedMachine, o: GuardedMachine): number {
  const rad = (m.headingDeg * Math.PI) / 180;
  const v: XY = [Math.sin(rad) * m.speedMps, Math.cos(rad) * m.speedMps];
  const p: XY = [m.position[0] - o.position[0], m.position[1] - o.position[1]];
  const v2 = v[0] * v[0] + v[1] * v[1];
  const tS = v2 === 0 ? 0 : Math.max(0, -(p[0] * v[0] + p[1] * v[1]) / v2);
  return Math.hypot(p[0] + v[0] * tS, p[1] + v[1] * tS) - m.radiusM - o.radiusM;
}

/**
 * When `m` and `o` driving on as given first come within the buffered gap; null when they do
 * not within the horizon, or are within it already but parting.
 */
function conflictTime(
  m: GuardedMachine,
  o: GuardedMachine,
  config: ZoneGuardConfig,
): number | null {
  if (!m.moving) return null;
  const tS = firstViolation(
    config.horizonS,
    (s) => gapAt(m, o, s) < config.minGapM + config.bufferM,
  );
  if (tS === 0 && gapAt(m, o, STEP_S) > gapAt(m, o, 0)) return null;
  return tS;
}

function mostSevere(actions: readonly GuardAction[]): GuardAction[] {
  const best = new Map<string, GuardAction>();
  for (const action of actions) {
    const current = best.get(action.tractorId);
    if (!current || RANK[action.action] > RANK[current.action]) best.set(action.tractorId, action);
  }
  return [...best.values()];
}
