/**
 * `npm run bench -- hostile`: a station under hostile clients.
 *
 * - `hostile.health_p99_ms_under_flood` (goal ≤ 100 ms): /api/health while 1,000 bridge
 *   connections are attempted, one client sends 8,000 snapshot requests and never reads, and
 *   another asks 40 times a second and never reads; 20 simulated tractors working.
 * - `hostile.rss_growth_mb` (goal ≤ 50): the server's peak resident memory over the same flood
 *   against a station whose 20 tractors have joined but whose job is not started (a working
 *   job's memory grows with its coverage, flood or not), above its level before;
 *   `hostile.rss_after_flood_mb` (goal ≤ 20): what is left of it 30 s after the clients left.
 *   A station at work allocates and V8 gives memory back only after a major collection, so
 *   the RSS drift over the same span with no client at all, measured first, is reported beside
 *   it (`rss_drift_without_flood_mb`): when no major collection fell into the span, that drift,
 *   not the flood, is most of the figure.
 * - `hostile.crashes` (goal 0): exits of `headland serve --sim 0` over the whole hostile corpus
 *   (electron/commands/test-helpers/hostile-corpus.ts; its size is in the conditions).
 *
 * BENCH_HOSTILE=flood or =fuzz runs one half. --quick runs a short flood of 200 connections and a
 * tenth of the corpus (the sizes are in the conditions). The health probe's latency under
 * flood has its own peer built in: the same probe against the idle job (`idle_job_p99_ms`).
 */
import { loadavg } from 'node:os';
import {
  healthMs,
  sendInput,
  type ServeTarget,
} from '../../electron/commands/test-helpers/hostile-client.js';
import {
  hostileCorpus,
  type CorpusSizes,
} from '../../electron/commands/test-helpers/hostile-corpus.js';
import { type BenchResult, type BenchSuite, percentile, round, startPhase } from '../harness.js';
import { flood, heapUsedMb, rssMb } from '../hostile-flood.js';
import { startServe, type RunningServe } from '../serve-process.js';

const TRACTORS = 20;
interface HostileSizes {
  connections: number;
  floodMs: number;
  settleMs: number;
  warmupMs: number;
  greedyRequests: number;
  corpus: CorpusSizes;
}

const FULL: HostileSizes = {
  connections: 1_000,
  floodMs: 20_000,
  settleMs: 30_000,
  warmupMs: 10_000,
  greedyRequests: 8_000,
  corpus: { http: 1_200, upgrade: 900, sync: 1_200, field: 60, bridge: 1_200 },
};
const QUICK: HostileSizes = {
  connections: 200,
  floodMs: 1_000,
  settleMs: 1_000,
  warmupMs: 500,
  greedyRequests: 1_000,
  corpus: { http: 120, upgrade: 90, sync: 120, field: 6, bridge: 120 },
};
const STEADY_PER_S = 40;
const OPERATOR = 'bench-operator-token';
const VIEWER = 'bench-viewer-token1';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const load = (): number => round(loadavg()[0] ?? Number.NaN, 2);

interface FloodRun {
  result: Awaited<ReturnType<typeof flood>>;
  beforeMb: number;
  afterMb: number;
  /** RSS change over the same span as flood + settle, before the flood, with no client. */
  driftMb: number;
  conditions: Record<string, string | number | boolean>;
}

/** Starts serve, lets it settle, floods it, and reads its memory before, during and after. */
async function floodRun(working: boolean, z: HostileSizes): Promise<FloodRun> {
  const serve = await startServe(TRACTORS, working ? [] : ['--no-start']);
  try {
    const port = Number(new URL(serve.url).port);
    const pid = serve.child.pid ?? 0;
    await sleep(z.warmupMs);
    const snapshotBytes = (await (await fetch(`${serve.url}/api/state`)).arrayBuffer()).byteLength;
    // A station that works allocates, and V8 returns memory only after a major collection:
    // measured without any client, an idle 20-tractor station's RSS rises about 0.8 MB/s until
    // one comes. The same span without a flood, first, shows that drift.
    const controlStartMb = rssMb(pid);
    await sleep(z.floodMs + z.settleMs);
    const beforeMb = rssMb(pid);
    const driftMb = beforeMb - controlStartMb;
    const heapBeforeMb = await heapUsedMb(port);
    const loadBefore = load();
    const result = await flood({
      port,
      pid,
      connections: z.connections,
      durationMs: z.floodMs,
      greedyRequests: z.greedyRequests,
      steadyPerS: STEADY_PER_S,
      probeEveryMs: 25,
    });
    const loadDuring = load();
    await sleep(z.settleMs);
    const afterMb = rssMb(pid);
    const heapAfterMb = await heapUsedMb(port);
    return {
      result,
      beforeMb,
      afterMb,
      driftMb,
      conditions: {
        tractors: TRACTORS,
        job: working ? 'running' : 'planned (tractors joined, idle)',
        snapshot_bytes: snapshotBytes,
        connections_attempted: z.connections,
        connections_opened: result.opened,
        connections_refused: result.refused,
        greedy_requests: z.greedyRequests,
        steady_requests_per_s: STEADY_PER_S,
        flood_s: z.floodMs / 1000,
        warmup_s: z.warmupMs / 1000,
        health_samples: result.healthMs.length,
        health_failures: result.healthFailures,
        rss_before_mb: round(beforeMb, 1),
        rss_after_mb: round(afterMb, 1),
        rss_drift_without_flood_mb: round(driftMb, 1),
        heap_used_before_mb: round(heapBeforeMb, 1),
        heap_used_after_mb: round(heapAfterMb, 1),
        load_1min_before: loadBefore,
        load_1min_during: loadDuring,
      },
    };
  } finally {
    await serve.stop();
  }
}

async function floodFigures(z: HostileSizes): Promise<BenchResult[]> {
  const workingPhase = startPhase('hostile', 'flood of the working station');
  const working = await floodRun(true, z);
  workingPhase();
  const idlePhase = startPhase('hostile', 'flood of the idle station');
  const idle = await floodRun(false, z);
  idlePhase();
  return [
    {
      name: 'hostile.health_p99_ms_under_flood',
      value: round(percentile(working.result.healthMs, 99), 2),
      unit: 'ms',
      conditions: {
        ...working.conditions,
        p50_ms: round(percentile(working.result.healthMs, 50), 2),
        idle_job_p99_ms: round(percentile(idle.result.healthMs, 99), 2),
      },
    },
    {
      name: 'hostile.rss_growth_mb',
      value: round(idle.result.peakRssMb - idle.beforeMb, 1),
      unit: 'MB',
      conditions: {
        ...idle.conditions,
        working_job_growth_mb: round(working.result.peakRssMb - working.beforeMb, 1),
      },
    },
    {
      name: 'hostile.rss_after_flood_mb',
      value: round(idle.afterMb - idle.beforeMb, 1),
      unit: 'MB',
      conditions: {
        ...idle.conditions,
        settle_s: z.settleMs / 1000,
        working_job_after_mb: round(working.afterMb - working.beforeMb, 1),
      },
    },
  ];
}

async function fuzzTarget(): Promise<{ serve: RunningServe; target: ServeTarget }> {
  const serve = await startServe(0, [
    '--no-start',
    '--basemap',
    'none',
    '--operator-token',
    OPERATOR,
    '--viewer-token',
    VIEWER,
  ]);
  const state = (await (await fetch(`${serve.url}/api/health`)).json()) as { jobId: string };
  return {
    serve,
    target: {
      port: Number(new URL(serve.url).port),
      jobId: state.jobId,
      operatorToken: OPERATOR,
      viewerToken: VIEWER,
    },
  };
}

async function crashFigures(z: HostileSizes): Promise<BenchResult[]> {
  const corpus = hostileCorpus(z.corpus, 2026);
  let crashes = 0;
  let unanswered = 0;
  const latencies: number[] = [];
  const corpusPhase = startPhase('hostile', 'corpus');
  let running = await fuzzTarget();
  const started = performance.now();
  try {
    for (const input of corpus) {
      await sendInput(running.target, input);
      const ms = await healthMs(running.target.port, 5_000);
      if (running.serve.child.exitCode !== null || running.serve.child.signalCode !== null) {
        crashes++;
        console.error(`bench: serve exited after a ${input.kind} input; restarting`);
        running = await fuzzTarget();
        continue;
      }
      if (Number.isFinite(ms)) latencies.push(ms);
      else unanswered++;
    }
  } finally {
    await running.serve.stop().catch(() => undefined);
    corpusPhase();
  }
  return [
    {
      name: 'hostile.crashes',
      value: crashes,
      unit: 'count',
      conditions: {
        corpus_size: corpus.length,
        ...Object.fromEntries(Object.entries(z.corpus).map(([k, v]) => [`corpus_${k}`, v])),
        health_unanswered: unanswered,
        health_p99_ms_after_input: round(percentile(latencies, 99), 2),
        run_s: round((performance.now() - started) / 1000, 1),
        load_1min: load(),
      },
    },
  ];
}

export const suite: BenchSuite = {
  name: 'hostile',
  description: `health under a flood (${FULL.connections} bridge connections, non-reading clients, ${TRACTORS} tractors), memory, and crashes over the hostile corpus`,
  async run(options) {
    const z = options.quick ? QUICK : FULL;
    const part = process.env['BENCH_HOSTILE'];
    return [
      ...(part === 'fuzz' ? [] : await floodFigures(z)),
      ...(part === 'flood' ? [] : await crashFigures(z)),
    ];
  },
};
