/**
 * Two machines at work that meet head-on on one line: a swath's last metres run onto the headland
 * pass another machine works the other way. The separation guard holds both (neither may pass the
 * other standing); one of them leaves its stretch, makes way, and both finish their work, never
 * closer than the guard's distance. Before, both stood for good with work left (Pond field × 5
 * capped at 96% done).
 */
import { describe, expect, it } from 'vitest';
import { TangentFrame, type XY } from '../fleet/index.js';
import { LocalFleetBus, type TractorToStation } from '../link/index.js';
import { DEFAULT_ZONE_GUARD, FleetKey, assessZones, type GuardedMachine } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { SIM_STEP_MS, SimTractor } from './sim-tractor.js';

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

const WORK_SPEED_MPS = 4;
/** The body disc the station's guard keeps apart (electron/station/zone-supervisor.ts). */
const RADIUS_M = 2.5;
/** The creep a slowed machine is limited to (electron/station/zone-supervisor.ts). */
const ZONE_SLOW_MPS = 1;
/** A limit is lifted once the guard has seen the machine clear this long (zone-supervisor.ts). */
const ZONE_CLEAR_MS = 1_000;

/** Each machine's stretch, in metres: one heads east along y = 0, the other west along y = 1. */
const PASSES: Record<string, [XY, XY]> = {
  'sim-04': [
    [0, 0],
    [100, 0],
  ],
  'sim-05': [
    [70, 1],
    [30, 1],
  ],
};

describe('two machines at work meeting head-on on one line', () => {
  it('one leaves its stretch and makes way; both finish, never within the separation distance', () => {
    const clock = new ManualClock();
    const bus = new LocalFleetBus({ clock });
    const station = bus.stationPort();
    const frame = new TangentFrame({ lon: -1.28, lat: 52.94 });
    const tractors: SimTractor[] = [];
    for (const [id, [start]] of Object.entries(PASSES)) {
      tractors.push(
        new SimTractor({
          port: bus.tractorPort(id),
          name: id,
          parkedAt: frame.toLonLat(start),
          implementWidthM: 12,
          workSpeedMps: WORK_SPEED_MPS,
          turnSpeedMps: 2.5,
          transitSpeedMps: 5,
          clock,
          fleetKey: FleetKey.generate(),
          others: () => tractors.map((t) => t.seen),
        }),
      );
    }
    const heard = new Map<string, Telemetry>();
    const worked = new Map<string, [number, number][]>();
    station.onMessage((from, message) => {
      if (message.kind !== 'telemetry') return;
      heard.set(from, message);
      if (message.coverage)
        worked.set(from, [
          ...(worked.get(from) ?? []),
          [message.coverage.fromM, message.coverage.toM],
        ]);
    });
    for (const t of tractors) {
      t.park();
      const [start, end] = PASSES[t.id] ?? [];
      if (!start || !end) throw new Error(t.id);
      const section = {
        id: `S-${t.id}`,
        start: frame.toLonLat(start),
        end: frame.toLonLat(end),
        widthM: 12,
        done: [],
      };
      station.send(t.id, { kind: 'assign', sections: [section] });
      station.send(t.id, { kind: 'start' });
    }
    // The station's separation guard in the loop, as zone-supervisor.ts runs it: a machine held
    // apart from another stays held (judged at its work speed) until the guard sees it clear.
    const limits = new Map<string, number | null>();
    const holds = new Set<string>();
    const clearSinceMs = new Map<string, number>();
    let closestM = Infinity;
    for (let t = 0; t < 120_000; t += SIM_STEP_MS) {
      clock.advance(SIM_STEP_MS);
      for (const tractor of tractors) {
        tractor.step(SIM_STEP_MS / 1000);
        tractor.report();
      }
      if (tractors.every((m) => m.currentState === 'done')) break;
      const machines = tractors.flatMap((m): GuardedMachine[] => {
        const seen = heard.get(m.id);
        if (!seen) return [];
        const limit = limits.get(m.id) ?? null;
        return [
          {
            id: m.id,
            position: frame.toLocal(seen.position),
            headingDeg: seen.headingDeg,
            speedMps: seen.speedMps,
            ...(limit === null ? {} : { letGoSpeedMps: limit === 0 ? WORK_SPEED_MPS : limit }),
            radiusM: RADIUS_M,
            moving: seen.state === 'working' || seen.state === 'turning',
            turning: seen.state === 'turning',
          },
        ];
      });
      const [a, b] = machines;
      if (a && b)
        closestM = Math.min(
          closestM,
          Math.hypot(a.position[0] - b.position[0], a.position[1] - b.position[1]) - 2 * RADIUS_M,
        );
      const actions = assessZones({ ...DEFAULT_ZONE_GUARD, fence: null, zones: [] }, machines);
      for (const m of tractors) {
        const action = actions.find((x) => x.tractorId === m.id);
        const current = limits.get(m.id) ?? null;
        if (action?.action === 'hold') holds.add(m.id);
        if (action) clearSinceMs.delete(m.id);
        else if (!clearSinceMs.has(m.id)) clearSinceMs.set(m.id, clock.now());
        const clearLong = clock.now() - (clearSinceMs.get(m.id) ?? Infinity) >= ZONE_CLEAR_MS;
        const next = !action
          ? clearLong
            ? null
            : current
          : action.action === 'slow' && current !== 0
            ? ZONE_SLOW_MPS
            : 0;
        if (next !== current) station.send(m.id, { kind: 'speed-limit', maxMps: next });
        limits.set(m.id, next);
      }
    }
    // The two met: the guard held them, and kept them apart throughout.
    expect([...holds].sort()).toEqual(['sim-04', 'sim-05']);
    expect(closestM).toBeGreaterThanOrEqual(DEFAULT_ZONE_GUARD.minGapM);
    expect(tractors.map((t) => t.currentState)).toEqual(['done', 'done']);
    // Each worked its whole stretch (the one that made way went back to where it stopped).
    for (const [id, [start, end]] of Object.entries(PASSES)) {
      const lengthM = Math.hypot(end[0] - start[0], end[1] - start[1]);
      const spans = [...(worked.get(id) ?? [])].sort((p, q) => p[0] - q[0]);
      let reach = 0;
      for (const [from, to] of spans) if (from <= reach + 0.5) reach = Math.max(reach, to);
      expect(reach).toBeGreaterThan(lengthM - 0.5);
    }
    for (const t of tractors) t.dispose();
  });
});
