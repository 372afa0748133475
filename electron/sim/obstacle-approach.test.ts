/**
 * A machine whose work starts beside an irregular obstacle: it drives round the obstacle's outline
 * to its pass, so the zone guard never holds it (driving straight across the obstacle's bounding
 * box, it was held short of the obstacle for good: a 12-machine run on the two-obstacles field
 * ended 98.9% done).
 */
import { describe, expect, it } from 'vitest';
import { TangentFrame, type XY } from '../fleet/index.js';
import { LocalFleetBus, type TractorToStation } from '../link/index.js';
import { DEFAULT_ZONE_GUARD, FleetKey, assessZones } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { SIM_STEP_MS, SimTractor } from './sim-tractor.js';
import { TWO_OBSTACLES_OBSTACLE_2 } from './test-helpers/two-obstacles.js';

const OBSTACLE: XY[] = [...TWO_OBSTACLES_OBSTACLE_2];
/** Where the machine stood, held, and the first piece of the headland pass round the obstacle. */
const HELD_AT: XY = [88.59, 28.79];
const PASS: [XY, XY] = [
  [113.69, 56.21],
  [121.69, 56.49],
];

/** The creep a slowed machine is limited to (electron/station/zone-supervisor.ts). */
const ZONE_SLOW_MPS = 1;

type Telemetry = Extract<TractorToStation, { kind: 'telemetry' }>;

describe('a machine whose work starts beside an obstacle', () => {
  it('drives round the obstacle to its pass without the zone guard holding it, and works it', () => {
    const clock = new ManualClock();
    const bus = new LocalFleetBus({ clock });
    const station = bus.stationPort();
    const frame = new TangentFrame({ lon: 2.355, lat: 49.403 });
    const ring = OBSTACLE.map((p) => frame.toLonLat(p));
    const tractor = new SimTractor({
      port: bus.tractorPort('sim-09'),
      name: 'Tractor 9',
      parkedAt: frame.toLonLat(HELD_AT),
      implementWidthM: 12,
      workSpeedMps: 4,
      turnSpeedMps: 2.5,
      transitSpeedMps: 5,
      clock,
      fleetKey: FleetKey.generate(),
      keepOut: () => [ring],
    });
    tractor.park();
    const heard: { last: Telemetry | null } = { last: null };
    station.onMessage((_from, message) => {
      if (message.kind === 'telemetry') heard.last = message;
    });
    const [start, end] = PASS;
    station.send('sim-09', {
      kind: 'assign',
      sections: [
        {
          id: 'H0207.1',
          start: frame.toLonLat(start),
          end: frame.toLonLat(end),
          widthM: 12,
          done: [],
        },
      ],
    });
    station.send('sim-09', { kind: 'start' });
    const guard = {
      ...DEFAULT_ZONE_GUARD,
      fence: null,
      zones: [{ id: 'hole-2', name: 'obstacle 2', ring: OBSTACLE }],
    };
    // The station's guard in the loop: slowed to 1 m/s, held, let go (docs/safety.md).
    const verdicts = new Set<string>();
    let limit: number | null = null;
    for (let t = 0; t < 120_000 && tractor.currentState !== 'done'; t += SIM_STEP_MS) {
      clock.advance(SIM_STEP_MS);
      tractor.step(SIM_STEP_MS / 1000);
      tractor.report();
      const seen = heard.last;
      if (!seen) continue;
      const [action] = assessZones(guard, [
        {
          id: 'sim-09',
          position: frame.toLocal(seen.position),
          headingDeg: seen.headingDeg,
          speedMps: seen.speedMps,
          ...(limit === null ? {} : { letGoSpeedMps: ZONE_SLOW_MPS }),
          radiusM: 2.5,
          moving: true,
        },
      ]);
      if (action) verdicts.add(`${seen.state}: ${action.action}`);
      const next = !action ? null : action.action === 'slow' ? ZONE_SLOW_MPS : 0;
      if (next !== limit) station.send('sim-09', { kind: 'speed-limit', maxMps: next });
      limit = next;
    }
    expect(tractor.currentState).toBe('done');
    // On its way it is never held; on the pass it may be slowed where the pass bends round the
    // obstacle (the guard predicts straight on), never held for good.
    expect([...verdicts].filter((v) => v.startsWith('turning') || v.endsWith('stop'))).toEqual([]);
    tractor.dispose();
  });
});
