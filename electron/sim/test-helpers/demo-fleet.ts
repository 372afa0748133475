import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  validateField,
  type FieldPlanner,
  type LonLat,
  type ValidField,
} from '../../fleet/index.js';
import { LocalFleetBus } from '../../link/index.js';
import type { JobHistory, JobStore, StationRecorder } from '../../records/index.js';
import { FleetKey, type AuditLog } from '../../safety/index.js';
import { Station } from '../../station/index.js';
import { ManualClock } from '../../time/index.js';
import { SimFleet } from '../sim-fleet.js';

const DEMO_FIELD = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'assets',
  'fields',
  'demo-farm.geojson',
);

/** A fixed key, so a restarted station in a test still pairs with the same tractors. */
const DEMO_FLEET_KEY = '5eed'.repeat(16);

export interface DemoFleet {
  clock: ManualClock;
  bus: LocalFleetBus;
  station: Station;
  sim: SimFleet;
  fleetKey: FleetKey;
  /** Advances simulated time in 10 ms steps (so every timer fires in order). */
  run(ms: number): void;
  close(): void;
}

/** A station and `count` simulated tractors on the demo field, on a manual clock. */
export function demoFleet(
  count: number,
  store?: JobStore,
  syncDir?: string,
  audit?: AuditLog,
  recorder?: (clock: ManualClock) => StationRecorder,
  history?: JobHistory,
  planner?: FieldPlanner,
): DemoFleet {
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const field = demoField();
  const fleetKey = FleetKey.fromHex(DEMO_FLEET_KEY);
  const station = new Station({
    clock,
    fleetKey,
    port: bus.stationPort(),
    field,
    plan: { swathWidthM: 12, headlandPasses: 1 },
    name: 'test station',
    softwareVersion: 'test',
    ...(store ? { store } : {}),
    ...(syncDir ? { syncDir } : {}),
    ...(audit ? { audit } : {}),
    ...(history ? { history } : {}),
    ...(planner ? { planner } : {}),
    ...(recorder ? { recorder: recorder(clock) } : {}),
  });
  const sim = new SimFleet({
    clock,
    bus,
    count,
    parking: field.geometry.boundary[0]!,
    implementWidthM: 12,
    fleetKey,
    keepOut: () => station.keepOutRings(),
  });
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) clock.advance(10);
  };
  run(50);
  return {
    clock,
    bus,
    station,
    sim,
    fleetKey,
    run,
    close() {
      sim.close();
      station.close();
    },
  };
}

/** The bundled demo field, validated (synchronously, for tests). */
export function demoField(): ValidField {
  const json = JSON.parse(readFileSync(DEMO_FIELD, 'utf8')) as {
    features: { properties: { name: string }; geometry: { coordinates: LonLat[][] } }[];
  };
  const feature = json.features[0]!;
  const valid = validateField({
    name: feature.properties.name,
    boundary: feature.geometry.coordinates,
  });
  if (!valid.ok) throw new Error(valid.error.message);
  return valid.value;
}
