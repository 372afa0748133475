/**
 * The farm office (`headland office`, docs/office.md): two nodes on one redis-server, each a
 * process of its own, and N simulated stations of 20 machines each writing their coverage as a
 * station does (bench/office-stations.ts), mirrored with HocuspocusMirror. Figures:
 *  - office.propagation_p99_ms: a station's write at node A until a viewer at node B has it.
 *    Goal ≤ 500 ms. Peer (office.propagation_vs_one_node): the same writes with the station and
 *    the viewer on one node without Redis, in alternating phases of the same run.
 *  - office.failover_catchup_ms: node A killed (SIGKILL) while the stations write on; the time
 *    until every station's mirror is synced with B and B's copy equals the station's document.
 *  - office.updates_lost: batches written from just before the kill, through the outage, that
 *    never reached the viewers at B. Goal 0.
 *  - office.rss_mb_per_station: (a node's VmRSS with N stations − idle) / N, the larger of A
 *    (the stations' connections) and B (the viewers'). Goal ≤ 20 MB. The idle node still holds
 *    the garbage of its start (V8 collects it only once work comes), so the difference can come
 *    out below zero; `upper_bound_mb_per_station` (the loaded node / N) bounds it either way.
 * --quick: 10 stations, 1 s of idle settle and 1 s of idle RSS samples, 1 s of warm-up per path,
 * 2 s phases, 2 s of outage writes.
 */
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  trials,
} from '../harness.js';
import { exited } from '../../electron/commands/test-helpers/cli-process.js';
import { FIX_HZ, MACHINES } from '../office-stations.js';
import { rssMb, sampleEvery } from '../office-nodes.js';
import {
  FULL_IDLE,
  type OfficePaths,
  type OfficeRig,
  QUICK_IDLE,
  RSS_SAMPLE_EVERY_MS,
  pidOf,
  sameState,
  startRig,
} from '../office-rig.js';
import { type Alternated, alternate, ratioResult } from '../peer.js';

/**
 * Writes to each path before the first phase: every machine's recorder has a segment under way
 * (segments close within 10 s) and each node has run its code paths.
 */
const WARMUP_MS = 5_500;
/** --quick: each machine has sent a few fixes, so its recorder has a segment under way. */
const QUICK_WARMUP_MS = 1_000;
const DRAIN_TIMEOUT_MS = 5_000;
const CATCHUP_TIMEOUT_MS = 30_000;
const POLL_MS = 10;
/** Writes after the failover before they stop, so the catch-up has an end to reach. */
const AFTER_CATCHUP_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Phase {
  latenciesMs: number[];
  written: number;
  lost: number;
}

/** Writes through `paths` for `ms`, then waits for what is in flight. */
async function phase(rig: OfficeRig, paths: OfficePaths, ms: number): Promise<Phase> {
  paths.arrivals.reset();
  const before = rig.stations.reduce((n, s) => n + s.segments, 0);
  rig.target(paths);
  await sleep(ms);
  rig.target(null);
  const written = rig.stations.reduce((n, s) => n + s.segments, 0) - before;
  const end = performance.now() + DRAIN_TIMEOUT_MS;
  while (paths.arrivals.outstanding > 0 && performance.now() < end) await sleep(POLL_MS);
  return {
    latenciesMs: [...paths.arrivals.latenciesMs],
    written,
    lost: paths.arrivals.outstanding,
  };
}

interface Failover {
  catchupMs: number[];
  lost: number;
  unequal: number;
}

/**
 * Kills node A while every station writes to it, writes on through the outage and until every
 * station is synced with B and equal there, then stops writing and counts what B never got.
 */
async function failover(rig: OfficeRig, outageMs: number): Promise<Failover> {
  const { jobs, arrivals } = rig.cluster;
  arrivals.reset();
  rig.target(rig.cluster);
  await sleep(1_000);
  const killedAt = performance.now();
  rig.a.child.kill('SIGKILL');
  await exited(rig.a.child);
  const catchup: (number | undefined)[] = jobs.map(() => undefined);
  const stopAt = performance.now() + outageMs;
  const giveUp = killedAt + CATCHUP_TIMEOUT_MS;
  while (performance.now() < giveUp) {
    const now = performance.now();
    jobs.forEach((j, i) => {
      if (catchup[i] !== undefined) return;
      const status = j.mirror.status();
      if (status.url === rig.b.url && status.synced && sameState(j.job.doc, j.viewer))
        catchup[i] = now - killedAt;
    });
    if (now >= stopAt && catchup.every((c) => c !== undefined)) break;
    await sleep(POLL_MS);
  }
  await sleep(AFTER_CATCHUP_MS);
  rig.target(null);
  const end = performance.now() + DRAIN_TIMEOUT_MS;
  while (arrivals.outstanding > 0 && performance.now() < end) await sleep(POLL_MS);
  return {
    catchupMs: catchup.map((c) => c ?? Number.POSITIVE_INFINITY),
    lost: arrivals.outstanding,
    unequal: jobs.filter((j) => !sameState(j.job.doc, j.viewer)).length,
  };
}

async function run(options: BenchOptions): Promise<BenchResult[]> {
  const count = trials(options, 50, 10);
  const phaseMs = trials(options, 15_000, 2_000);
  const rounds = 2;
  const outageMs = trials(options, 5_000, 2_000);
  const warmupMs = trials(options, WARMUP_MS, QUICK_WARMUP_MS);
  const idleWindows = options.quick ? QUICK_IDLE : FULL_IDLE;
  const rig = await startRig(count, rssMb, idleWindows);
  try {
    for (const paths of [rig.cluster, rig.oneNode]) {
      rig.target(paths);
      await sleep(warmupMs);
    }
    rig.target(null);
    let loaded = rig.idle;
    const phases = await alternate(
      rounds,
      async () => {
        // Memory with every station writing: the median over the phase, the last one kept.
        const stopA = sampleEvery(() => rssMb(pidOf(rig.a)), RSS_SAMPLE_EVERY_MS);
        const stopB = sampleEvery(() => rssMb(pidOf(rig.b)), RSS_SAMPLE_EVERY_MS);
        const p = await phase(rig, rig.cluster, phaseMs);
        loaded = { a: stopA(), b: stopB() };
        return p;
      },
      () => phase(rig, rig.oneNode, phaseMs),
    );
    const fo = await failover(rig, outageMs);
    return figures(rig, {
      phases,
      loaded,
      failover: fo,
      phaseMs,
      rounds,
      outageMs,
      idleSampleMs: idleWindows.sampleMs,
    });
  } finally {
    await rig.close();
  }
}

interface Measured {
  phases: Alternated<Phase>;
  loaded: { a: number; b: number };
  failover: Failover;
  phaseMs: number;
  rounds: number;
  outageMs: number;
  idleSampleMs: number;
}

function figures(rig: OfficeRig, m: Measured): BenchResult[] {
  const count = rig.stations.length;
  const all = (ps: Phase[]): number[] => ps.flatMap((p) => p.latenciesMs);
  const sum = (ps: Phase[], k: 'written' | 'lost'): number => ps.reduce((n, p) => n + p[k], 0);
  const ours = all(m.phases.ours);
  const peer = all(m.phases.peer);
  const seconds = (m.phaseMs / 1000) * m.rounds;
  const setup = {
    stations: count,
    machines_per_station: MACHINES,
    fix_hz: FIX_HZ,
    segment_max_s: 10,
    nodes: 2,
    redis: rig.redisVersion,
    node_process: 'headland office via bin/headland.mjs',
  };
  const perStation = (node: 'a' | 'b'): number => (m.loaded[node] - rig.idle[node]) / count;
  return [
    {
      name: 'office.propagation_p99_ms',
      value: round(percentile(ours, 99), 1),
      unit: 'ms',
      conditions: {
        ...setup,
        path: 'station → node A → redis → node B → viewer',
        samples: ours.length,
        p50_ms: round(percentile(ours, 50), 1),
        max_ms: round(Math.max(...ours), 1),
        updates_per_s: round(sum(m.phases.ours, 'written') / seconds, 1),
        not_arrived: sum(m.phases.ours, 'lost'),
        phases: m.rounds,
        phase_s: m.phaseMs / 1000,
      },
    },
    ratioResult({
      name: 'office.propagation_vs_one_node',
      ours: percentile(ours, 99),
      peer: percentile(peer, 99),
      unit: 'ms (p99)',
      peerName: 'the same writes, station and viewer on one office node without Redis',
      better: 'lower',
      conditions: {
        stations: count,
        samples_ours: ours.length,
        samples_peer: peer.length,
        p50_ours_ms: round(percentile(ours, 50), 1),
        p50_peer_ms: round(percentile(peer, 50), 1),
        peer_not_arrived: sum(m.phases.peer, 'lost'),
        order: 'alternating phases (ABBA)',
        ...m.phases.machine,
      },
    }),
    {
      name: 'office.failover_catchup_ms',
      value: round(Math.max(...m.failover.catchupMs), 0),
      unit: 'ms',
      conditions: {
        ...setup,
        killed: 'node A, SIGKILL',
        until: "every station's mirror synced with B and B's copy equal to the station's",
        p50_ms: round(percentile(m.failover.catchupMs, 50), 0),
        stat: 'max over stations',
        writes_through_outage_s: m.outageMs / 1000,
      },
    },
    {
      name: 'office.updates_lost',
      value: m.failover.lost,
      unit: 'batches',
      conditions: {
        ...setup,
        window: 'from 1 s before the kill until writing stopped after the catch-up',
        copies_unequal_at_end: m.failover.unequal,
      },
    },
    {
      name: 'office.rss_mb_per_station',
      value: round(Math.max(perStation('a'), perStation('b')), 2),
      unit: 'MB',
      conditions: {
        ...setup,
        // The whole loaded node over N: a bound that holds whatever the idle baseline held.
        upper_bound_mb_per_station: round(Math.max(m.loaded.a, m.loaded.b) / count, 2),
        node_a_mb_per_station: round(perStation('a'), 2),
        node_b_mb_per_station: round(perStation('b'), 2),
        node_a_idle_mb: round(rig.idle.a, 1),
        idle_sampled_s: m.idleSampleMs / 1000,
        node_a_loaded_mb: round(m.loaded.a, 1),
        node_b_idle_mb: round(rig.idle.b, 1),
        node_b_loaded_mb: round(m.loaded.b, 1),
        node_a_holds: 'stations’ connections',
        node_b_holds: 'viewers’ connections',
      },
    },
  ];
}

export const suite: BenchSuite = {
  name: 'office',
  description:
    'Farm office: propagation across two nodes on Redis beside one node, failover catch-up and updates lost, memory per station',
  run,
};
