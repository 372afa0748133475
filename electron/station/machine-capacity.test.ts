/**
 * What the station makes of a machine's tank or hopper and of the job's refill point: a hello
 * with a capacity it cannot trust is refused with one alert, an older hello joins with none, and
 * a refill point away from the field's edge stops the station being set up with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ImplementCapacity } from '../../shared/index.js';
import { RefillPointError, type LonLat } from '../fleet/index.js';
import { squareField } from '../fleet/test-helpers/fields.js';
import { LocalFleetBus } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { ManualClock } from '../time/index.js';
import { Station } from './station.js';

const SQUARE = squareField(0.004);

const stations: Station[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

function station(refillPoint?: LonLat): {
  station: Station;
  bus: LocalFleetBus;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const s = new Station({
    clock,
    port: bus.stationPort(),
    field: SQUARE,
    plan: { swathWidthM: 12 },
    name: 'capacity',
    softwareVersion: 'test',
    fleetKey: FleetKey.generate(),
    ...(refillPoint ? { refillPoint } : {}),
  });
  stations.push(s);
  return { station: s, bus, clock };
}

const hello = { kind: 'hello', name: 'Drill 1', implementWidthM: 12, workSpeedMps: 3 } as const;

describe('a machine announcing its capacity', () => {
  it('is refused, with one alert naming the figure, when the capacity is out of range', () => {
    const { station: s, bus, clock } = station();
    const bad: ImplementCapacity = { kind: 'hopper', amount: -5, ratePerHa: 150, fillPerMin: 400 };
    const port = bus.tractorPort('t1');
    port.send({ ...hello, capacity: bad });
    clock.advance(100);
    port.send({ ...hello, capacity: bad });
    clock.advance(300);
    const snapshot = s.snapshot();
    expect(snapshot.tractors).toEqual([]);
    const alerts = snapshot.alerts.filter((a) => a.message.includes('hello refused'));
    expect(alerts.map((a) => a.message)).toEqual([
      'Drill 1: hello refused: amount: capacity must be above 0',
    ]);
  });

  it('joins with nothing to refill when its hello has no capacity', () => {
    const { station: s, bus, clock } = station();
    bus.tractorPort('t1').send(hello);
    clock.advance(300);
    expect(s.snapshot().tractors.map((t) => t.id)).toEqual(['t1']);
  });
});

describe('the refill point a station is set up with', () => {
  it('must be near the field edge', () => {
    expect(() => station([0.002, 0.002])).toThrow(RefillPointError);
    expect(() => station([0.002, 0.0001])).not.toThrow();
  });
});
