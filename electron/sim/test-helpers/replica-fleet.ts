/**
 * A station job document and N tractor replicas syncing over the real fleet link: every machine
 * an ISOBUS node on one 250 kbit/s virtual CAN bus, on a manual clock. The station side is the
 * ReplicaHub over the station's link node; each tractor holds a TractorReplica on its own node.
 */
import { VirtualBus } from '../../can/index.js';
import { VirtualFleet } from '../../link/index.js';
import { ReplicaHub } from '../../station/index.js';
import { JobDoc, type SwathSegment } from '../../sync/index.js';
import { sampleJobInit } from '../../sync/test-helpers/builders.js';
import { ManualClock } from '../../time/index.js';
import { TractorReplica } from '../tractor-replica.js';

export interface ReplicaFleet {
  clock: ManualClock;
  bus: VirtualBus;
  fleet: VirtualFleet;
  station: JobDoc;
  hub: ReplicaHub;
  replicas: Map<string, TractorReplica>;
  ids: string[];
  /** Advances simulated time in 1 ms steps, letting promise callbacks run between steps. */
  run(ms: number): Promise<void>;
  /** Runs until `done()` holds or `limitMs` passes; returns the time taken. */
  runUntil(done: () => boolean, limitMs: number): Promise<number>;
  close(): void;
}

/**
 * `count` swath segments of about 10 s along y = `lane` metres from t = `t0Ms`, with RTK-like
 * noise of a few centimetres (deterministic), so they compress like real coverage.
 */
export function segments(count: number, lane: number, t0Ms = 0): SwathSegment[] {
  let state = (lane * 7919 + t0Ms + 1) >>> 0;
  const noise = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return Math.round((state / 0x1_0000_0000 - 0.5) * 4) / 100; // ±2 cm, whole centimetres
  };
  const cm = (m: number): number => Math.round(m * 100) / 100;
  return Array.from({ length: count }, (_, i) => ({
    tMs: t0Ms + i * 10_000 + Math.round((noise() + 0.02) * 1_000),
    durationMs: 10_000,
    x0M: cm(i * 40 + noise()),
    y0M: cm(lane + noise()),
    x1M: cm(i * 40 + 40 + noise()),
    y1M: cm(lane + noise()),
    widthM: 12,
  }));
}

export async function replicaFleet(count: number): Promise<ReplicaFleet> {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock, seed: 1 });
  const ids = Array.from({ length: count }, (_, i) => `sim-${String(i + 1).padStart(2, '0')}`);
  const fleet = new VirtualFleet({ clock, bus, tractorIds: ids, seed: 1 });
  const station = JobDoc.create(sampleJobInit(4, ids), {
    actor: { role: 'station', id: 'station' },
    clock,
  });
  const hub = new ReplicaHub({ link: fleet.station, job: () => station, clock });
  const replicas = new Map(
    ids.map((id) => {
      const link = fleet.tractor(id).link;
      return [id, new TractorReplica({ id, link, clock })];
    }),
  );
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t++) {
      clock.advance(1);
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
  };
  const runUntil = async (done: () => boolean, limitMs: number): Promise<number> => {
    const t0 = clock.now();
    while (!done() && clock.now() - t0 < limitMs) await run(1);
    return clock.now() - t0;
  };
  await run(700); // address claims (ISO 11783-5 §4.4.2)
  await fleet.ready();
  return {
    clock,
    bus,
    fleet,
    station,
    hub,
    replicas,
    ids,
    run,
    runUntil,
    close() {
      for (const r of replicas.values()) r.close();
      hub.close();
      fleet.close();
    },
  };
}
