import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDemoField, planStrips } from '../../fleet/index.js';
import { LocalFleetBus } from '../../link/index.js';
import type { JobStore } from '../../records/index.js';
import { Station } from '../../station/index.js';
import { ManualClock } from '../../time/index.js';
import { SimFleet } from '../sim-fleet.js';

const DEMO_FIELD = join(import.meta.dirname, '..', '..', '..', 'assets', 'fields', 'demo-farm.geojson');

export interface DemoFleet {
  clock: ManualClock;
  bus: LocalFleetBus;
  station: Station;
  sim: SimFleet;
  /** Advances simulated time in 10 ms steps (so every timer fires in order). */
  run(ms: number): void;
  close(): void;
}

/** A station and `count` simulated tractors on the demo field, on a manual clock. */
export function demoFleet(count: number, store?: JobStore): DemoFleet {
  const clock = new ManualClock();
  const bus = new LocalFleetBus({ clock });
  const field = parseDemoField(JSON.parse(readFileSync(DEMO_FIELD, 'utf8')));
  const station = new Station({
    clock,
    port: bus.stationPort(),
    field,
    strips: planStrips(field, 12),
    name: 'test station',
    softwareVersion: 'test',
    ...(store ? { store } : {}),
  });
  const sim = new SimFleet({ clock, bus, count, parkedAt: field.boundary[0]!, implementWidthM: 12 });
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) clock.advance(10);
  };
  run(50);
  return {
    clock,
    bus,
    station,
    sim,
    run,
    close() {
      sim.close();
      station.close();
    },
  };
}
