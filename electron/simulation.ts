/**
 * A station with simulated tractors on one in-process fleet bus: the part of the composition
 * shared by `headland serve --sim N`, `headland sim --scenario` (on a manual clock) and tests.
 */
import type { Basemap } from '../shared/index.js';
import { SOFTWARE_VERSION } from './app-paths.js';
import type { PlanOptions, ValidField } from './fleet/index.js';
import { LocalFleetBus } from './link/index.js';
import type { JobStore } from './records/index.js';
import { SimFleet, runScenario, type Scenario } from './sim/index.js';
import { Station } from './station/index.js';
import type { Clock } from './time/index.js';

/** Working width of every simulated implement, and the swath width the field is planned for. */
export const SIM_IMPLEMENT_WIDTH_M = 12;
export const PLAN_OPTIONS: Partial<PlanOptions> = { swathWidthM: SIM_IMPLEMENT_WIDTH_M, headlandPasses: 1 };

export interface SimulatedStationOptions {
  clock: Clock;
  field: ValidField;
  simCount: number;
  name?: string;
  store?: JobStore;
  basemap?: Basemap | null;
  scenario?: Scenario;
  log?: (line: string) => void;
}

export interface SimulatedStation {
  station: Station;
  sim: SimFleet | null;
  bus: LocalFleetBus;
  close(): void;
}

export function createSimulatedStation(options: SimulatedStationOptions): SimulatedStation {
  const { clock, field } = options;
  const bus = new LocalFleetBus({ clock });
  const station = new Station({
    clock,
    port: bus.stationPort(),
    field,
    plan: PLAN_OPTIONS,
    name: options.name ?? 'Headland station',
    softwareVersion: SOFTWARE_VERSION,
    basemap: options.basemap ?? null,
    ...(options.store ? { store: options.store } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const sim =
    options.simCount > 0
      ? new SimFleet({ clock, bus, count: options.simCount, parking: field.geometry.boundary[0] ?? [[field.origin.lon, field.origin.lat]], implementWidthM: SIM_IMPLEMENT_WIDTH_M })
      : null;
  const cancelScenario = sim && options.scenario ? runScenario(options.scenario, sim, clock, (command) => station.command(command, 'scenario')) : null;
  return {
    station,
    sim,
    bus,
    close() {
      cancelScenario?.();
      sim?.close();
      station.close();
    },
  };
}
