/**
 * Sync engine benchmarks, each timing beside its peer from the same run. Figures:
 *  - sync.doc_bytes_8h_20_tractors: encoded job after 8 simulated hours of 20 tractors working
 *    (positions at 1 Hz through the coverage recorder). Goal ≤ 4 MB.
 *  - sync.doc_load_ms: loading that encoded job into a fresh doc and reading it. Goal ≤ 100 ms.
 *    Peer (sync.doc_load_vs_plain_yjs): Y.applyUpdate of the same positions kept the naive way,
 *    as plain Y.Arrays of points, and reading them back.
 *  - sync.updates_per_s: validated (decoded + authorized) coverage updates applied per second
 *    on that job. Goal ≥ 50,000. Peer (sync.validated_vs_raw_apply): Y.applyUpdate of the same
 *    updates on a copy of the same job, without validation.
 *  - sync.converge_ws_ms: 20 replicas over WebSocket on loopback, after a partition heal,
 *    until every replica's state vector equals the server's. Goal ≤ 250 ms. Peers
 *    (sync.converge_vs_y_websocket, sync.converge_vs_hocuspocus): the stock y-websocket server
 *    and a Hocuspocus server, the same replicas and heal (bench/sync-converge.ts).
 *  - sync.rejoin_can_ms (+ _heartbeat_gap_p99_ms, _estop_confirm_ms): a tractor back from 10
 *    simulated minutes offline on the 250 kbit/s virtual CAN bus, 19 others working, until its
 *    replica equals the station's (bench/sync-rejoin-can.ts). Bus time, so no peer: the figure
 *    is what the bus allows, not what this CPU does. Goal ≤ 3 s, safety unaffected.
 *    BENCH_SYNC=rejoin runs only these.
 * --quick: a 2-hour job, 3 loads, 1 heal per server, 20 simulated seconds offline on the 21 ha
 * river-bend field: every replica first fetches the job over the bus in millisecond steps, ~45
 * simulated seconds there against ~98 on the 64 ha field (most of the suite's CPU).
 */
import { join } from 'node:path';
import * as Y from 'yjs';
import { PACKAGE_ROOT } from '../../electron/runtime/index.js';
import { JobDoc } from '../../electron/sync/index.js';
import { SystemClock } from '../../electron/time/index.js';
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  startPhase,
  trials,
} from '../harness.js';
import { alternate, ratioResult, rotate } from '../peer.js';
import { REPLICAS, convergeOnce, type ConvergeServerKind } from '../sync-converge.js';
import {
  JITTER_M,
  TRACTORS,
  type TractorUpdate,
  applyAll,
  createFleet,
  naiveDoc,
  readNaive,
  work,
} from '../sync-fleet.js';
import { rejoinOverCan, type RejoinOptions } from '../sync-rejoin-can.js';

const HOURS = 8;
/** --quick: a 2-hour job (the figure named for 8 h then holds 2 h: its conditions say so). */
const QUICK_HOURS = 2;
const START_MS = Date.UTC(2026, 5, 1, 6);
/** Extra work timed through the gate: five blocks of ten minutes on the full job. */
const EXTRA_BLOCKS = 5;
const BLOCK_S = 600;
const CONVERGE_KINDS: readonly ConvergeServerKind[] = [
  'headland',
  'y-websocket-server',
  'hocuspocus',
];

const QUICK_REJOIN_FIELD = {
  path: join(PACKAGE_ROOT, 'assets', 'fields', 'river-bend.geojson'),
  label: 'river-bend (21 ha)',
};

function rejoinOptions(options: BenchOptions): RejoinOptions {
  return options.quick ? { offlineMs: 20_000, warmupMs: 3_000, field: QUICK_REJOIN_FIELD } : {};
}

const median = (v: readonly number[]): number => percentile(v, 50);

async function run(options: BenchOptions): Promise<BenchResult[]> {
  // `BENCH_SYNC=rejoin npx tsx bench/run.ts sync`: only the rejoin over CAN (about a minute).
  if (process.env['BENCH_SYNC'] === 'rejoin') return rejoinOverCan(rejoinOptions(options));
  // Each replica's provider adds a process 'exit' listener; 3 × 20 replicas are expected here.
  process.setMaxListeners(128);
  const clock = new SystemClock();
  const built = startPhase('sync', 'job built');
  const fleet = createFleet(clock);
  const hours = trials(options, HOURS, QUICK_HOURS);
  const workS = hours * 3600;
  applyAll(fleet, work(fleet, 0, workS, START_MS));
  const encoded = Y.encodeStateAsUpdate(fleet.station.doc);
  const naive = naiveDoc(0, workS, START_MS);
  const naiveEncoded = Y.encodeStateAsUpdate(naive);
  const naivePoints = readNaive(naive);
  naive.destroy();
  const conditions = {
    tractors: TRACTORS,
    hours,
    sample_hz: 1,
    segments: fleet.segments,
    updates: fleet.updates,
    jitter_m: JITTER_M,
  };

  built();
  const loadRuns = trials(options, 7, 3);
  const loadPhase = startPhase('sync', 'loads');
  const loads = await alternate(
    loadRuns,
    () => {
      const t0 = performance.now();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, encoded);
      new JobDoc({ actor: { role: 'station', id: 'loader' }, clock, doc }).snapshot();
      const ms = performance.now() - t0;
      doc.destroy();
      return ms;
    },
    () => {
      const t0 = performance.now();
      const doc = new Y.Doc();
      Y.applyUpdate(doc, naiveEncoded);
      if (readNaive(doc) !== naivePoints) throw new Error('bench: the naive document lost points');
      const ms = performance.now() - t0;
      doc.destroy();
      return ms;
    },
  );

  loadPhase();
  const updatesPhase = startPhase('sync', 'gated updates');
  // Fifty more minutes of work on the full job, in ten-minute blocks. Each block goes through
  // the station's gate and, as raw Y.applyUpdate, into a copy of the same job, alternately.
  const raw = new Y.Doc();
  Y.applyUpdate(raw, Y.encodeStateAsUpdate(fleet.station.doc));
  const blocks: TractorUpdate[][] = [];
  for (let k = 0; k < EXTRA_BLOCKS; k++)
    blocks.push(work(fleet, workS + BLOCK_S * k, workS + BLOCK_S * (k + 1), START_MS));
  const gate = fleet.gate;
  const applied = await alternate(
    EXTRA_BLOCKS,
    (k) => {
      const t0 = performance.now();
      applyAll(fleet, blocks[k] ?? [], gate);
      return performance.now() - t0;
    },
    (k) => {
      const t0 = performance.now();
      for (const { update } of blocks[k] ?? []) Y.applyUpdate(raw, update);
      return performance.now() - t0;
    },
  );
  const measured = blocks.reduce((n, b) => n + b.length, 0);
  const sum = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0);
  const validatedPerS = measured / (sum(applied.ours) / 1000);
  const rawPerS = measured / (sum(applied.peer) / 1000);
  if (Buffer.compare(Y.encodeStateVector(raw), Y.encodeStateVector(fleet.station.doc)) !== 0)
    throw new Error('bench: the raw copy and the gated job differ');
  raw.destroy();
  updatesPhase();

  // Every heal starts from the same job (the 8 h document with its extra work).
  const seed = Y.encodeStateAsUpdate(fleet.station.doc);
  const convergeRounds = trials(options, 3, 1);
  const convergePhase = startPhase('sync', 'heals');
  const converge = await rotate(
    convergeRounds,
    CONVERGE_KINDS.map((kind) => (r: number) => convergeOnce(kind, seed, clock, r)),
  );
  convergePhase();
  const [ours = [], yWebsocket = [], hocuspocus = []] = converge.samples;
  const convergeConditions = {
    replicas: REPLICAS,
    runs: convergeRounds,
    stat: 'median',
    doc_bytes: seed.byteLength,
    order: 'rotating (ABCCBA)',
    ...converge.machine,
  };

  return [
    {
      name: 'sync.doc_bytes_8h_20_tractors',
      value: encoded.byteLength,
      unit: 'bytes',
      conditions: { ...conditions, plain_yjs_bytes: naiveEncoded.byteLength },
    },
    {
      name: 'sync.doc_load_ms',
      value: round(median(loads.ours), 2),
      unit: 'ms',
      conditions: {
        ...conditions,
        runs: loadRuns,
        stat: 'median',
        includes: 'applyUpdate + snapshot',
      },
    },
    ratioResult({
      name: 'sync.doc_load_vs_plain_yjs',
      ours: median(loads.ours),
      peer: median(loads.peer),
      unit: 'ms',
      peerName: `Y.applyUpdate + toArray of the same ${naivePoints} fixes as plain Y.Arrays of points, one per tractor`,
      better: 'lower',
      cpu: { oursMs: loads.oursCpuMs, peerMs: loads.peerCpuMs },
      conditions: {
        runs: loadRuns,
        stat: 'median each',
        ours_bytes: encoded.byteLength,
        peer_bytes: naiveEncoded.byteLength,
        order: 'alternating (ABBA)',
        ...loads.machine,
      },
    }),
    {
      name: 'sync.updates_per_s',
      value: Math.round(validatedPerS),
      unit: 'updates/s',
      conditions: {
        ...conditions,
        measured_updates: measured,
        checks: 'decode+authorize+apply',
      },
    },
    ratioResult({
      name: 'sync.validated_vs_raw_apply',
      ours: validatedPerS,
      peer: rawPerS,
      unit: 'updates/s',
      peerName: 'Y.applyUpdate of the same updates on a copy of the same job, unvalidated',
      better: 'higher',
      cpu: { oursMs: applied.oursCpuMs, peerMs: applied.peerCpuMs },
      conditions: {
        measured_updates: measured,
        blocks: EXTRA_BLOCKS,
        order: 'alternating (ABBA) by ten-minute block',
        ...applied.machine,
      },
    }),
    {
      name: 'sync.converge_ws_ms',
      value: round(median(ours), 1),
      unit: 'ms',
      conditions: {
        replicas: REPLICAS,
        runs: convergeRounds,
        stat: 'median',
        transport: 'y-websocket on 127.0.0.1',
        doc_bytes: seed.byteLength,
      },
    },
    ratioResult({
      name: 'sync.converge_vs_y_websocket',
      ours: median(ours),
      peer: median(yWebsocket),
      unit: 'ms',
      peerName: '@y/websocket-server setupWSConnection, y-websocket providers, no validation',
      better: 'lower',
      conditions: convergeConditions,
    }),
    ratioResult({
      name: 'sync.converge_vs_hocuspocus',
      ours: median(ours),
      peer: median(hocuspocus),
      unit: 'ms',
      peerName: '@hocuspocus/server 3.4.3, HocuspocusProvider replicas, no extensions',
      better: 'lower',
      conditions: convergeConditions,
    }),
    ...(await timedRejoin(options)),
  ];
}

async function timedRejoin(options: BenchOptions): Promise<BenchResult[]> {
  const phase = startPhase('sync', 'rejoin over CAN');
  const results = await rejoinOverCan(rejoinOptions(options));
  phase();
  return results;
}

export const suite: BenchSuite = {
  name: 'sync',
  description:
    'Job document size and load time, validated update rate and WebSocket convergence beside plain Yjs, y-websocket and Hocuspocus; rejoin over CAN',
  run,
};
