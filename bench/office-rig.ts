/**
 * The office benchmark's rig (bench/suites/office.ts): a redis-server, two office nodes sharing
 * it (A, B) and a third on its own (the one-node peer), N stations each with one job mirrored to
 * A (then B) and one to the lone node, and a viewer per job on B and on the lone node.
 */
import { execFileSync } from 'node:child_process';
import * as Y from 'yjs';
import { killStartedClis } from '../electron/commands/test-helpers/cli-process.js';
import {
  VIEWER_TOKEN,
  cleanUp,
  eventually,
  mirrorJob,
  onCleanUp,
  openDocument,
  tempDir,
} from '../electron/office/test-helpers/office-fixture.js';
import { startRedis } from '../electron/office/test-helpers/redis-server.js';
import { type HocuspocusMirror, type JobDoc, readSnapshot } from '../electron/sync/index.js';
import { SystemClock } from '../electron/time/index.js';
import { Arrivals } from './office-arrivals.js';
import { type OfficeNode, sampleEvery, startOfficeNode } from './office-nodes.js';
import { BenchStation, MACHINES, type WriteTarget } from './office-stations.js';

const JOB_ID = 'job-1';
const READY_TIMEOUT_MS = 60_000;
/**
 * A node's idle memory is the median of its resident set over this long, from this long after
 * it is ready: at first it still holds what its start allocated.
 */
const IDLE_SETTLE_MS = 2_000;
const IDLE_SAMPLE_MS = 2_000;

/** How long the idle nodes settle, then have their RSS sampled, before any station connects. */
export interface IdleWindows {
  settleMs: number;
  sampleMs: number;
}
export const FULL_IDLE: IdleWindows = { settleMs: IDLE_SETTLE_MS, sampleMs: IDLE_SAMPLE_MS };
/** --quick: 10 samples of the idle RSS instead of 20. */
export const QUICK_IDLE: IdleWindows = { settleMs: 1_000, sampleMs: 1_000 };
export const RSS_SAMPLE_EVERY_MS = 100;

/** One station's job on one office path: the station's document, its mirror, the viewer's copy. */
export interface JobPath extends WriteTarget {
  readonly mirror: HocuspocusMirror;
  readonly viewer: Y.Doc;
}

export interface OfficePaths {
  readonly arrivals: Arrivals;
  readonly jobs: JobPath[];
}

export interface OfficeRig {
  readonly stations: BenchStation[];
  readonly a: OfficeNode;
  readonly b: OfficeNode;
  readonly single: OfficeNode;
  readonly redisVersion: string;
  /** Idle resident sets of A and B, MB (medians), before any station connected. */
  readonly idle: { a: number; b: number };
  /** Stations write to A (then B, when A is gone), viewers read at B. */
  readonly cluster: OfficePaths;
  /** Stations write to the lone node and viewers read there: no Redis between them. */
  readonly oneNode: OfficePaths;
  /** Sends every station's writes to `paths` (null: nowhere). */
  target(paths: OfficePaths | null): void;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const tokenOf = (stationId: string): string => `${stationId}-bench-station-token`;

export async function startRig(
  count: number,
  rss: (pid: number) => number,
  idleWindows: IdleWindows = FULL_IDLE,
  clock = new SystemClock(),
): Promise<OfficeRig> {
  // Every provider adds a process 'exit' listener: four per station are expected here.
  process.setMaxListeners(4 * count + 32);
  const stations = Array.from({ length: count }, (_, i) => new BenchStation(i, clock));
  const tokens = stations.map((s) => ({ stationId: s.stationId, token: tokenOf(s.stationId) }));
  const redis = await startRedis();
  onCleanUp(() => redis.stop());
  onCleanUp(killStartedClis);
  // Nodes on one machine share their data folder (docs/office.md, "Persistence and scale-out").
  const shared = tempDir();
  const node = (dataDir: string, redisPort?: number): Promise<OfficeNode> =>
    startOfficeNode({
      dataDir,
      stations: tokens,
      viewerToken: VIEWER_TOKEN,
      ...(redisPort === undefined ? {} : { redisPort }),
    });
  const [a, b, single] = await Promise.all([
    node(shared, redis.port),
    node(shared, redis.port),
    node(tempDir()),
  ]);
  await sleep(idleWindows.settleMs);
  const stopA = sampleEvery(() => rss(pidOf(a)), RSS_SAMPLE_EVERY_MS);
  const stopB = sampleEvery(() => rss(pidOf(b)), RSS_SAMPLE_EVERY_MS);
  await sleep(idleWindows.sampleMs);
  const idle = { a: stopA(), b: stopB() };

  const paths = async (writeTo: string[], readAt: string): Promise<OfficePaths> => {
    const arrivals = new Arrivals();
    const jobs = stations.map((s): Omit<JobPath, 'viewer'> & { name: string } => {
      const name = `${s.stationId}/${JOB_ID}`;
      const job: JobDoc = s.createJob();
      const mirror = mirrorJob(writeTo, name, job, tokenOf(s.stationId));
      return {
        name,
        job,
        mirror,
        written: (batch) => arrivals.written(name, batch, clock.now()),
      };
    });
    await Promise.all(jobs.map((j) => j.mirror.whenSynced()));
    const withViewers = jobs.map(({ name, ...rest }) => {
      const viewer = openDocument(readAt, name, VIEWER_TOKEN).doc;
      viewer.on('update', (update: Uint8Array) => arrivals.arrived(name, update, clock.now()));
      return { ...rest, viewer };
    });
    await eventually(
      () => withViewers.every((j) => readSnapshot(j.viewer).sections.length === MACHINES),
      READY_TIMEOUT_MS,
    );
    return { arrivals, jobs: withViewers };
  };
  const cluster = await paths([a.url, b.url], b.url);
  const oneNode = await paths([single.url], single.url);

  const timers = stations.map((s, i) => {
    let interval: NodeJS.Timeout | undefined;
    // Each station's second starts at its own offset, as independent stations' would.
    const start = setTimeout(
      () => {
        interval = setInterval(() => s.tick(), 1000);
        s.tick();
      },
      (1000 * i) / count,
    );
    return () => {
      clearTimeout(start);
      clearInterval(interval);
    };
  });

  return {
    stations,
    a,
    b,
    single,
    redisVersion: redisServerVersion(),
    idle,
    cluster,
    oneNode,
    target(p) {
      stations.forEach((s, i) => s.setTarget(p?.jobs[i] ?? null));
    },
    async close() {
      for (const stop of timers) stop();
      await cleanUp();
    },
  };
}

export function pidOf(node: OfficeNode): number {
  const pid = node.child.pid;
  if (pid === undefined) throw new Error('bench: an office node has no pid');
  return pid;
}

/** True when `copy` holds exactly what `own` holds (equal state vectors). */
export function sameState(own: Y.Doc, copy: Y.Doc): boolean {
  const want = Y.decodeStateVector(Y.encodeStateVector(own));
  const have = Y.decodeStateVector(Y.encodeStateVector(copy));
  return (
    want.size === have.size && [...want].every(([client, clock]) => have.get(client) === clock)
  );
}

function redisServerVersion(): string {
  const out = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(out)?.[1] ?? 'unknown';
}
