/**
 * The kill -9 loop: a station (crash-station-child.ts) on one data folder is started, killed at
 * a random moment or inside a chosen write, and started again, round after round; each restart
 * is compared with what the station had reported before the kill. Used by the CI crash test
 * (a few quick rounds on a simulated clock) and by `npm run bench -- durability` (many, on the
 * real clock).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../time/index.js';

const CHILD = fileURLToPath(new URL('./crash-station-child.ts', import.meta.url));
/** The fleet's work rate is taken over this much of a round's last reports. */
const RATE_WINDOW_MS = 10_000;

export type CrashPoint = 'random' | 'compaction' | 'chunk';

export interface CrashLoopOptions {
  dataDir: string;
  rounds: readonly CrashPoint[];
  clock: 'manual' | 'system';
  link: 'local' | 'can';
  seed: number;
  /** A random kill comes this long (real ms) after the station is ready, at the earliest… */
  minRunMs: number;
  /** …and at the latest. */
  maxRunMs: number;
  /** A crash point is armed this long (the child's clock) after it starts, at the earliest… */
  armMinMs: number;
  /** …and at the latest. */
  armMaxMs: number;
  /** A child that neither dies at its crash point nor is killed within this is an error. */
  roundTimeoutMs?: number;
}

export interface RoundResult {
  crashPoint: CrashPoint;
  /** What the station had reported when it died (m² worked, its simulated or real ms). */
  reportedM2: number;
  atMs: number;
  /** What the restarted station showed. */
  restoredM2: number;
  lostM2: number;
  /**
   * The fleet's work rate before the kill (m²/s), and the seconds of reported work lost: the
   * restart shows the work as reported at some moment, everything reported after it is lost.
   */
  rateM2PerS: number;
  lostS: number;
  /** Stops the killed station had issued, and those not in force after the restart. */
  stops: string[];
  stopsLost: string[];
  /** Whether the restart held every machine (a doubt at start). */
  heldAtStart: boolean;
  jobState: string;
}

interface ChildRun {
  ready: { workedM2: number; stops: string[]; state: string; held: boolean };
  reports: { atMs: number; workedM2: number }[];
  stops: string[];
}

function runChild(
  options: CrashLoopOptions,
  crashPoint: CrashPoint,
  seed: number,
  killAfterMs: number | null,
  armAfterMs: number,
): Promise<ChildRun> {
  const crashIn = crashPoint === 'random' ? 'none' : crashPoint;
  const args = [
    options.dataDir,
    String(seed),
    options.clock,
    options.link,
    crashIn,
    String(armAfterMs),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: ChildRun = {
    ready: { workedM2: 0, stops: [], state: '', held: false },
    reports: [],
    stops: [],
  };
  let buffer = '';
  let stderr = '';
  let gotReady = false;
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.roundTimeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, a, b, c, d2] = line.split(' ');
        if (kind === 'ready') {
          gotReady = true;
          run.ready = {
            workedM2: Number(a),
            stops: b && b !== '-' ? b.split(',') : [],
            state: c ?? '',
            held: d2 === '1',
          };
          if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        } else if (kind === 'reported') run.reports.push({ atMs: Number(a), workedM2: Number(b) });
        else if (kind === 'stop' && a) run.stops.push(a);
      }
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timeout);
      if (signal === 'SIGKILL' && gotReady) resolve(run);
      else
        reject(
          new Error(`station child exited (${signal ?? 'no signal'}) before its kill: ${stderr}`),
        );
    });
  });
}

/** Runs the rounds; each result compares a killed station with the next start. */
export async function crashLoop(options: CrashLoopOptions): Promise<RoundResult[]> {
  const random = seededRandom(options.seed);
  const results: RoundResult[] = [];
  let previous: { point: CrashPoint; run: ChildRun } | null = null;
  const span = options.maxRunMs - options.minRunMs;
  for (let i = 0; i <= options.rounds.length; i++) {
    const point = options.rounds[i] ?? 'random';
    const last = i === options.rounds.length;
    // The last start only reads back what the last kill left.
    const killAfter = last ? 0 : options.minRunMs + random.next() * span;
    const run = await runChild(
      options,
      last ? 'random' : point,
      options.seed * 1_000 + i,
      point === 'random' || last ? killAfter : null,
      // A crash point is armed at a random moment of the child's clock.
      point === 'random'
        ? 0
        : options.armMinMs + random.next() * (options.armMaxMs - options.armMinMs),
    );
    if (previous) results.push(compare(previous.point, previous.run, run));
    previous = { point, run };
  }
  return results;
}

/**
 * Worked ground the coverage log may differ by from the live count: its centimetre rounding
 * (a 12 m implement over 8 cm).
 */
const ROUNDING_M2 = 1;

function compare(point: CrashPoint, killed: ChildRun, next: ChildRun): RoundResult {
  const lastReport = killed.reports.at(-1) ?? { atMs: 0, workedM2: killed.ready.workedM2 };
  const windowStart =
    killed.reports.find((r) => r.atMs >= lastReport.atMs - RATE_WINDOW_MS) ?? lastReport;
  const spanS = (lastReport.atMs - windowStart.atMs) / 1_000;
  const rate = spanS > 0 ? (lastReport.workedM2 - windowStart.workedM2) / spanS : 0;
  const restored = next.ready.workedM2;
  const lostM2 = Math.max(0, lastReport.workedM2 - restored);
  // The restart shows the work as it was last reported at some moment: what was reported
  // after that moment is what was lost, in seconds of the fleet's work.
  const shownAt = [...killed.reports].reverse().find((r) => r.workedM2 <= restored + ROUNDING_M2);
  const lostS =
    lostM2 <= ROUNDING_M2 ? 0 : (lastReport.atMs - (shownAt?.atMs ?? -Infinity)) / 1_000;
  // Stops it issued (those it started with were released once confirmed, to work on).
  const stops = killed.stops;
  return {
    crashPoint: point,
    reportedM2: lastReport.workedM2,
    atMs: lastReport.atMs,
    restoredM2: restored,
    lostM2,
    rateM2PerS: rate,
    lostS,
    stops,
    stopsLost: stops.filter((id) => !next.ready.stops.includes(id)),
    heldAtStart: next.ready.held,
    jobState: next.ready.state,
  };
}
