/**
 * Sync engine benchmarks. Figures:
 *  - sync.doc_bytes_8h_20_tractors: encoded job after 8 simulated hours of 20 tractors working
 *    (positions at 1 Hz through the coverage recorder). Goal ≤ 4 MB.
 *  - sync.doc_load_ms: loading that encoded job into a fresh doc. Goal ≤ 100 ms.
 *  - sync.updates_per_s: validated (decoded + authorized) coverage updates applied per second
 *    on that job. Goal ≥ 50,000.
 *  - sync.converge_ws_ms: 20 replicas over WebSocket on loopback, after a partition heal,
 *    until every replica's state vector equals the station's. Goal ≤ 250 ms.
 *  - sync.rejoin_can_ms (+ _heartbeat_gap_p99_ms, _estop_confirm_ms): a tractor back from 10
 *    simulated minutes offline on the 250 kbit/s virtual CAN bus, 19 others working, until its
 *    replica equals the station's (bench/sync-rejoin-can.ts). Goal ≤ 3 s, safety unaffected.
 *    BENCH_SYNC=rejoin runs only these.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  CoverageRecorder,
  JobDoc,
  type SwathSegment,
  UpdateGate,
  createSyncEndpoint,
  hostJob,
} from '../../electron/sync/index.js';
import { SystemClock, seededRandom } from '../../electron/time/index.js';
import { type BenchResult, type BenchSuite, percentile, round } from '../harness.js';
import { rejoinOverCan } from '../sync-rejoin-can.js';

const TRACTORS = 20;
const HOURS = 8;
const SPEED_MPS = 2.5;
const PASS_M = 400;
const TURN_S = 15;
const WIDTH_M = 6;
/** RTK fix noise, uniform ± this many metres. */
const JITTER_M = 0.02;

interface Fleet {
  station: JobDoc;
  gate: UpdateGate;
  tractors: JobDoc[];
  updates: number;
  segments: number;
}

function createFleet(clock: SystemClock): Fleet {
  const tractorIds = Array.from({ length: TRACTORS }, (_, i) => `t${i + 1}`);
  const sections = tractorIds.map((id, i) => ({
    id: `s${i + 1}`,
    name: `Strip ${i + 1}`,
    polygon: [
      [
        [10 + i * 0.002, 52],
        [10 + (i + 1) * 0.002, 52],
        [10 + (i + 1) * 0.002, 52.004],
        [10 + i * 0.002, 52.004],
      ] as [number, number][],
    ],
    areaM2: 54_000,
  }));
  const station = JobDoc.create(
    {
      jobId: 'bench-job',
      name: 'Bench field',
      boundary: [
        [
          [10, 52],
          [10.04, 52],
          [10.04, 52.004],
          [10, 52.004],
          [10, 52],
        ],
      ],
      frameOrigin: [10, 52],
      sections,
      assignments: Object.fromEntries(sections.map((s, i) => [s.id, tractorIds[i] ?? 't1'])),
    },
    { actor: { role: 'station', id: 'st1' }, clock },
  );
  const gate = new UpdateGate(station.doc, clock);
  const tractors = tractorIds.map((id) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(station.doc));
    return new JobDoc({ actor: { role: 'tractor', id }, clock, doc });
  });
  return { station, gate, tractors, updates: 0, segments: 0 };
}

/** Boustrophedon work in each tractor's strip, sampled at 1 Hz; yields per-second segments. */
function* workSeconds(
  fleet: Fleet,
  fromS: number,
  toS: number,
  startMs: number,
): Generator<{ tractor: JobDoc; segment: SwathSegment }> {
  const random = seededRandom(fromS + 1);
  const passS = PASS_M / SPEED_MPS + TURN_S;
  const out: { tractor: JobDoc; segment: SwathSegment }[] = [];
  const recorders = fleet.tractors.map(
    (tractor) => new CoverageRecorder((segment) => out.push({ tractor, segment })),
  );
  for (let s = fromS; s < toS; s++) {
    fleet.tractors.forEach((_, i) => {
      const pass = Math.floor(s / passS);
      const inPass = s - pass * passS;
      const working = inPass < PASS_M / SPEED_MPS;
      const along = Math.min(PASS_M, inPass * SPEED_MPS);
      const x = pass % 2 === 0 ? along : PASS_M - along;
      const y = i * 140 + (pass % 23) * WIDTH_M;
      const jitter = (): number => (random.next() * 2 - 1) * JITTER_M;
      recorders[i]?.add({
        tMs: startMs + s * 1000,
        xM: x + jitter(),
        yM: y + jitter(),
        widthM: WIDTH_M,
        working,
      });
    });
    yield* out.splice(0);
  }
  for (const r of recorders) r.flush();
  yield* out.splice(0);
}

/** Appends each segment on its tractor and pushes the update through the station's gate. */
function work(fleet: Fleet, fromS: number, toS: number, startMs: number): TractorUpdate[] {
  const updates: TractorUpdate[] = [];
  for (const { tractor, segment } of workSeconds(fleet, fromS, toS, startMs)) {
    const before = Y.encodeStateVector(tractor.doc);
    tractor.appendCoverage(tractor.actor.id, [segment]);
    updates.push({
      tractorId: tractor.actor.id,
      update: Y.encodeStateAsUpdate(tractor.doc, before),
    });
    fleet.segments++;
  }
  return updates;
}

interface TractorUpdate {
  readonly tractorId: string;
  readonly update: Uint8Array;
}

function applyAll(fleet: Fleet, updates: readonly TractorUpdate[]): void {
  for (const { tractorId, update } of updates) {
    const r = fleet.gate.apply(update, { role: 'tractor', id: tractorId }, 'bench');
    if (!r.ok) throw new Error(`bench update rejected: ${r.rejection.detail}`);
    fleet.updates++;
  }
}

async function convergeOverWebSocket(
  stationDoc: Y.Doc,
  clock: SystemClock,
  run: number,
): Promise<{ ms: number; replicas: number }> {
  const hosted = hostJob('bench-job', stationDoc, clock);
  hosted.gate.onRejection((e) => {
    throw new Error(`bench peer rejected: ${e.reason} ${e.detail}`);
  });
  const tokens = { write: 'bench-write', viewer: 'bench-view' };
  const endpoint = createSyncEndpoint({
    tokens,
    getJob: (id) => (id === 'bench-job' ? hosted : undefined),
    clock,
  });
  const server: Server = createServer();
  server.on('upgrade', (req, socket, head) => {
    if (!endpoint.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const replicas = Array.from({ length: 20 }, (_, i) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, 'bench-job', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokens.write },
      disableBc: true,
    });
    return {
      doc,
      provider,
      job: new JobDoc({ actor: { role: 'station', id: `office${i}` }, clock, doc }),
    };
  });
  try {
    await Promise.all(
      replicas.map((r) => new Promise<void>((resolve) => r.provider.once('sync', () => resolve()))),
    );
    // Partition: everyone goes offline and keeps working.
    const offline = replicas.map(
      (r) =>
        new Promise<void>((resolve) => {
          const onStatus = ({ status }: { status: string }): void => {
            if (status !== 'disconnected') return;
            r.provider.off('status', onStatus);
            resolve();
          };
          r.provider.on('status', onStatus);
        }),
    );
    for (const r of replicas) r.provider.disconnect();
    // Wait until each socket is really closed, so connect() opens at once instead of backing off.
    await Promise.all(offline);
    const station = new JobDoc({ actor: { role: 'station', id: 'st1' }, clock, doc: stationDoc });
    station.setJobMode('paused', 'partition');
    replicas.forEach((r, i) => {
      r.job.raiseAlert({
        id: `offline-${run}-${i}`,
        kind: 'link',
        severity: 'warning',
        message: 'working offline',
      });
      r.job.assign(`s${(i % 20) + 1}`, `t${((i + 1) % 20) + 1}`, 'offline rebalance');
    });
    const target = (): string => Buffer.from(Y.encodeStateVector(stationDoc)).toString('base64');
    const allEqual = (): boolean => {
      const t = target();
      return replicas.every(
        (r) => Buffer.from(Y.encodeStateVector(r.doc)).toString('base64') === t,
      );
    };
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => {
      const check = (): void => {
        if (allEqual()) resolve();
      };
      for (const r of replicas) r.doc.on('update', check);
      stationDoc.on('update', check);
    });
    for (const r of replicas) r.provider.connect();
    await done;
    return { ms: performance.now() - t0, replicas: replicas.length };
  } finally {
    for (const r of replicas) {
      r.provider.destroy();
      // The provider's Awareness keeps an interval until its doc is destroyed (y-protocols).
      r.doc.destroy();
    }
    await endpoint.close();
    hosted.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export const suite: BenchSuite = {
  name: 'sync',
  description:
    'Job document size and load time, validated update rate, WebSocket convergence, rejoin over CAN',
  async run(): Promise<BenchResult[]> {
    // `BENCH_SYNC=rejoin npx tsx bench/run.ts sync`: only the rejoin over CAN (about a minute).
    if (process.env['BENCH_SYNC'] === 'rejoin') return rejoinOverCan();
    // Each y-websocket provider adds a process 'exit' listener; 20 replicas are expected here.
    process.setMaxListeners(64);
    const clock = new SystemClock();
    const fleet = createFleet(clock);
    const startMs = Date.UTC(2026, 5, 1, 6);
    const workS = HOURS * 3600;
    applyAll(fleet, work(fleet, 0, workS, startMs));
    const encoded = Y.encodeStateAsUpdate(fleet.station.doc);
    const conditions = {
      tractors: TRACTORS,
      hours: HOURS,
      sample_hz: 1,
      segments: fleet.segments,
      updates: fleet.updates,
      jitter_m: JITTER_M,
    };

    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, encoded);
      new JobDoc({ actor: { role: 'station', id: 'loader' }, clock, doc }).snapshot();
      loads.push(performance.now() - t0);
    }

    // Ten more minutes of work on the full job, applied through the gate and timed.
    const more = work(fleet, workS, workS + 600, startMs);
    const extra: TractorUpdate[] = [];
    for (let k = 0; k < 4; k++)
      extra.push(...work(fleet, workS + 600 * (k + 1), workS + 600 * (k + 2), startMs));
    const batch = [...more, ...extra];
    const t0 = performance.now();
    applyAll(fleet, batch);
    const updatesPerS = batch.length / ((performance.now() - t0) / 1000);

    const converge: number[] = [];
    for (let i = 0; i < 3; i++)
      converge.push((await convergeOverWebSocket(fleet.station.doc, clock, i)).ms);

    return [
      {
        name: 'sync.doc_bytes_8h_20_tractors',
        value: encoded.byteLength,
        unit: 'bytes',
        conditions,
      },
      {
        name: 'sync.doc_load_ms',
        value: round(percentile(loads, 50), 2),
        unit: 'ms',
        conditions: {
          ...conditions,
          runs: loads.length,
          stat: 'median',
          includes: 'applyUpdate + snapshot',
        },
      },
      {
        name: 'sync.updates_per_s',
        value: Math.round(updatesPerS),
        unit: 'updates/s',
        conditions: {
          ...conditions,
          measured_updates: batch.length,
          checks: 'decode+authorize+apply',
        },
      },
      {
        name: 'sync.converge_ws_ms',
        value: round(percentile(converge, 50), 1),
        unit: 'ms',
        conditions: {
          replicas: 20,
          runs: converge.length,
          stat: 'median',
          transport: 'y-websocket on 127.0.0.1',
          doc_bytes: encoded.byteLength,
        },
      },
      ...(await rejoinOverCan()),
    ];
  },
};
