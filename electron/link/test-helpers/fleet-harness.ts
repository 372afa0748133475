import { VirtualBus } from '../../can/index.js';
import { ManualClock } from '../../time/index.js';
import type { StationToTractor, TractorToStation } from '../fleet-messages.js';
import type { FleetLinkConfig } from '../fleet-link-node.js';
import type { OutboxStore } from '../outbox-store.js';
import { VirtualFleet } from '../virtual-fleet.js';

export interface FleetHarness {
  clock: ManualClock;
  bus: VirtualBus;
  fleet: VirtualFleet;
  /** What each tractor's application received, in order. */
  atTractor: Map<string, StationToTractor[]>;
  /** What the station's application received, in order. */
  atStation: { from: string; message: TractorToStation }[];
  /** Advances simulated time in 1 ms steps, letting promise callbacks run between steps. */
  run(ms: number): Promise<void>;
}

export async function fleetHarness(options: {
  tractors: number;
  seed?: number;
  stationStore?: OutboxStore;
  config?: Partial<FleetLinkConfig>;
  clock?: ManualClock;
}): Promise<FleetHarness> {
  const clock = options.clock ?? new ManualClock();
  const bus = new VirtualBus({ clock, seed: options.seed ?? 1 });
  const ids = Array.from(
    { length: options.tractors },
    (_, i) => `sim-${String(i + 1).padStart(2, '0')}`,
  );
  const fleet = new VirtualFleet({
    clock,
    bus,
    tractorIds: ids,
    seed: options.seed ?? 1,
    ...(options.stationStore ? { stationStore: options.stationStore } : {}),
    ...(options.config ? { stationConfig: options.config, tractorConfig: options.config } : {}),
  });
  const atTractor = new Map<string, StationToTractor[]>();
  for (const id of ids) {
    const list: StationToTractor[] = [];
    atTractor.set(id, list);
    fleet.tractorPort(id).onMessage((m) => {
      if (m.kind !== 'heartbeat') list.push(m);
    });
  }
  const atStation: { from: string; message: TractorToStation }[] = [];
  fleet.stationPort().onMessage((from, message) => atStation.push({ from, message }));
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t++) {
      clock.advance(1);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  const h: FleetHarness = { clock, bus, fleet, atTractor, atStation, run };
  await run(700); // address claims: 250 ms + random delay + 250 ms (ISO 11783-5 §4.4.2)
  await fleet.ready();
  return h;
}

/** An assign message that names a counter (so order and identity can be checked). */
export function tagged(n: number): StationToTractor {
  return {
    kind: 'assign',
    sections: [{ id: `tag-${n}`, start: [10, 50], end: [10.001, 50.001], widthM: 12, done: [] }],
  };
}

export function tagOfMessage(m: StationToTractor): number | undefined {
  if (m.kind !== 'assign') return undefined;
  const id = m.sections[0]?.id ?? '';
  return id.startsWith('tag-') ? Number(id.slice(4)) : undefined;
}
