import type { LonLat } from '../../../shared/index.js';
import type { VirtualBus } from '../../can/index.js';
import type { VirtualFleet } from '../../link/index.js';
import type { JobStore } from '../../records/index.js';
import type { Station } from '../../station/index.js';
import { ManualClock } from '../../time/index.js';
import { createSimulatedStation, type SimulatedStation } from '../simulation.js';
import { SimFleet } from '../../sim/index.js';
import { demoField } from '../../sim/test-helpers/demo-fleet.js';

/** The station and simulated tractors on the real fleet link (a 250 kbit/s virtual CAN bus). */
export interface CanFleet {
  clock: ManualClock;
  sim: SimulatedStation;
  station: Station;
  tractors: SimFleet;
  fleet: VirtualFleet;
  bus: VirtualBus;
  /** Advances simulated time in `stepMs` steps, letting promise callbacks run between them. */
  run(ms: number, stepMs?: number): Promise<void>;
  /** Runs until `check` holds (true) or `limitMs` has passed (false). */
  runUntil(check: () => boolean, limitMs: number, stepMs?: number): Promise<boolean>;
  /** Starts `count` more tractors on the same bus (they join as new machines). */
  join(count: number, idPrefix: string): SimFleet;
  close(): void;
}

export async function canFleet(
  count: number,
  options: { store?: JobStore } = {},
): Promise<CanFleet> {
  const clock = new ManualClock();
  const field = demoField();
  const sim = createSimulatedStation({
    clock,
    field,
    simCount: count,
    link: 'can',
    ...(options.store ? { store: options.store } : {}),
  });
  const { fleet, canBus: bus, sim: tractors } = sim;
  if (!fleet || !bus || !tractors) throw new Error('canFleet: no CAN fleet');
  const extra: SimFleet[] = [];
  const run = async (ms: number, stepMs = 1): Promise<void> => {
    for (let t = 0; t < ms; t += stepMs) {
      clock.advance(stepMs);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  const runUntil = async (check: () => boolean, limitMs: number, stepMs = 1): Promise<boolean> => {
    for (let t = 0; t < limitMs; t += stepMs) {
      if (check()) return true;
      await run(stepMs, stepMs);
    }
    return check();
  };
  await run(800); // address claims (ISO 11783-5 §4.4.2)
  await fleet.ready();
  await runUntil(() => sim.station.tractorCount() >= count, 2_000, 5);
  return {
    clock,
    sim,
    station: sim.station,
    tractors,
    fleet,
    bus,
    run,
    runUntil,
    join(n, idPrefix) {
      const parking: LonLat[] = field.geometry.boundary[0] ?? [];
      const late = new SimFleet({
        clock,
        bus: fleet,
        count: n,
        parking,
        implementWidthM: 12,
        fleetKey: sim.fleetKey,
        idPrefix,
        namePrefix: `${idPrefix} tractor`,
      });
      extra.push(late);
      return late;
    },
    close() {
      for (const late of extra) late.close();
      sim.close();
    },
  };
}

/** Every tractor of the fleets that is moving (working or turning). */
export function movingIds(...fleets: SimFleet[]): string[] {
  return fleets
    .flatMap((f) => f.tractors)
    .filter((t) => t.currentState === 'working' || t.currentState === 'turning')
    .map((t) => t.id);
}
