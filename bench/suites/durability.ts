/**
 * Durability benchmarks: what a station loses when it is killed, and what it does with a damaged
 * data folder. Figures:
 *  - durability.lost_work_s_max: kill -9 of a station working a job (3 simulated tractors,
 *    electron/runtime/test-helpers/crash-station-child.ts) at random moments, inside a compaction
 *    of sync.db and halfway through a recording chunk, then a restart on the same folder; the
 *    seconds of reported work the restart does not show (the restart shows the work as it was
 *    reported at some moment; everything reported after it is lost), worst case. Goal ≤ 1.0.
 *  - durability.stops_lost: stops the killed station had issued that were not in force after
 *    the restart. Goal 0.
 *  - durability.silent_losses: the corruption suite (every file of the data folder, after a
 *    clean close and after a kill, truncated, emptied and bit-flipped at random bytes, one at a
 *    time): cases where something was lost and no alert said so, or a stop was lifted. Goal 0.
 * The station's timers run on a simulated clock, as fast as the machine allows (so a kill lands
 * anywhere in the job's timeline); every write and fsync is real. These count losses, not time:
 * no peer. --quick runs 1 random kill (1–3 s after the start), one of each targeted kind (armed
 * 20–60 simulated s in, as the CI crash test), and one damage per file of the killed folder only
 * (truncate, empty and flip in turn; the CI test does all three).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashLoop, type CrashPoint } from '../../electron/runtime/test-helpers/crash-loop.js';
import {
  buildBaseline,
  oneDamageInTurn,
  runSuite,
  type CaseResult,
} from '../../electron/runtime/test-helpers/corruption-suite.js';
import { seededRandom } from '../../electron/time/index.js';
import { type BenchResult, type BenchSuite, percentile, round, startPhase } from '../harness.js';

interface DurabilitySizes {
  randomKills: number;
  compactionKills: number;
  chunkKills: number;
  /** Bit flips per file of the folder, at random bytes (truncation and emptying once each). */
  flipsPerFile: number;
  /** Folders damaged: closed cleanly, killed (the quick run keeps the harder, killed one). */
  baselines: readonly ('closed' | 'crashed')[];
  /** Every damage on every file, or one per file in turn. */
  damagesPerFile: 'all' | 'one in turn';
  /** A random kill comes this long after the station is ready (real ms, at the latest). */
  maxRunMs: number;
  /** A targeted kill's crash point is armed this long into the child's clock (ms, at the latest). */
  armMaxMs: number;
}

const FULL: DurabilitySizes = {
  randomKills: 40,
  compactionKills: 6,
  chunkKills: 6,
  flipsPerFile: 6,
  baselines: ['closed', 'crashed'],
  damagesPerFile: 'all',
  maxRunMs: 6_000,
  armMaxMs: 120_000,
};
const QUICK: DurabilitySizes = {
  randomKills: 1,
  compactionKills: 1,
  chunkKills: 1,
  flipsPerFile: 1,
  baselines: ['crashed'],
  damagesPerFile: 'one in turn',
  // The CI crash test's windows: a targeted kill waits for its arm time on the child's clock.
  maxRunMs: 3_000,
  armMaxMs: 60_000,
};

export const suite: BenchSuite = {
  name: 'durability',
  description: `kill -9 loop (${FULL.randomKills + FULL.compactionKills + FULL.chunkKills} kills): work and stops lost; corruption suite: silent losses`,
  async run(options): Promise<BenchResult[]> {
    const sizes = options.quick ? QUICK : FULL;
    const { randomKills, compactionKills, chunkKills, flipsPerFile, baselines, damagesPerFile } =
      sizes;
    const loadBefore = loadavg()[0] ?? 0;
    const rounds: CrashPoint[] = [];
    for (let i = 0; i < randomKills; i++) rounds.push('random');
    // Spread the targeted kills through the loop.
    for (let i = 0; i < compactionKills; i++) rounds.splice(3 + i * 7, 0, 'compaction');
    for (let i = 0; i < chunkKills; i++) rounds.splice(6 + i * 7, 0, 'chunk');
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-kill-'));
    const killPhase = startPhase('durability', 'kill loop');
    const kills = await crashLoop({
      dataDir,
      rounds,
      clock: 'manual',
      link: 'local',
      seed: 1_807,
      minRunMs: 1_000,
      maxRunMs: sizes.maxRunMs,
      armMinMs: 20_000,
      armMaxMs: sizes.armMaxMs,
    });
    const killWallS = killPhase();
    rmSync(dataDir, { recursive: true, force: true });
    const lost = kills.map((k) => k.lostS);
    const stops = kills.flatMap((k) => k.stops);
    const stopsLost = kills.flatMap((k) => k.stopsLost);
    const killConditions = {
      kills: kills.length,
      random: kills.filter((k) => k.crashPoint === 'random').length,
      in_compaction: kills.filter((k) => k.crashPoint === 'compaction').length,
      in_chunk_write: kills.filter((k) => k.crashPoint === 'chunk').length,
      tractors: 3,
      clock: 'simulated (timers), real writes and fsyncs',
      random_kill_after_ready_s: `1–${sizes.maxRunMs / 1000}`,
      targeted_armed_after_sim_s: `20–${sizes.armMaxMs / 1000}`,
      lost_s_p50: round(percentile(lost, 50), 3),
      lost_s_p90: round(percentile(lost, 90), 3),
      kills_losing_work: lost.filter((s) => s > 0).length,
      held_at_start_after_kill: kills.filter((k) => k.heldAtStart).length,
      worked_m2_at_end: round(kills.at(-1)?.reportedM2 ?? 0, 0),
      load_1m_before: round(loadBefore, 2),
      load_1m_after: round(loadavg()[0] ?? 0, 2),
      phase_wall_s: killWallS,
    };
    console.error(
      `durability: kill loop done: lost_s max ${Math.max(...lost)}, stops lost ${stopsLost.length} of ${stops.length}, ${JSON.stringify(killConditions)}`,
    );
    const results: BenchResult[] = [
      {
        name: 'durability.lost_work_s_max',
        value: round(Math.max(...lost), 3),
        unit: 's',
        conditions: killConditions,
      },
      {
        name: 'durability.stops_lost',
        value: stopsLost.length,
        unit: 'stops',
        conditions: { stops_issued_before_kills: stops.length, kills: kills.length },
      },
    ];
    const cases: CaseResult[] = [];
    const suiteLoad = loadavg()[0] ?? 0;
    const damagePhase = startPhase('durability', 'corruption suite');
    for (const kind of baselines) {
      const baselinePhase = startPhase('durability', `${kind} baseline`);
      const baseline = await buildBaseline(kind);
      baselinePhase();
      cases.push(
        ...(await runSuite(
          baseline,
          seededRandom(kind === 'closed' ? 11 : 12),
          flipsPerFile,
          () => true,
          damagesPerFile === 'all' ? undefined : oneDamageInTurn,
        )),
      );
      rmSync(baseline.dir, { recursive: true, force: true });
    }
    const damageWallS = damagePhase();
    const count = (outcome: CaseResult['outcome']): number =>
      cases.filter((c) => c.outcome === outcome).length;
    const silent = cases.filter((c) => c.outcome === 'silent-loss' || c.outcome === 'stop-lifted');
    results.push({
      name: 'durability.silent_losses',
      value: silent.length,
      unit: 'cases',
      conditions: {
        corpus: cases.length,
        files: [
          ...new Set(cases.map((c) => c.file.replace(/job-[a-z0-9]+\.hrec$/, '<job>.hrec'))),
        ].join(' '),
        damages:
          damagesPerFile === 'all'
            ? `truncated to half, emptied, ${flipsPerFile} single-bit flips per file`
            : 'one per file in turn: truncated to half, emptied or one single-bit flip',
        baselines: baselines
          .map((b) =>
            b === 'closed' ? 'closed cleanly' : 'killed (WAL, lock, write-ahead runs left)',
          )
          .join('; '),
        intact: count('intact'),
        recovered_with_alert: count('recovered'),
        refused_clearly: count('refused'),
        stops_lifted: count('stop-lifted'),
        silent:
          silent.map((c) => `${c.baseline}:${c.file}:${c.damage}: ${c.detail}`).join(' | ') ||
          'none',
        load_1m_before: round(suiteLoad, 2),
        load_1m_after: round(loadavg()[0] ?? 0, 2),
        phase_wall_s: damageWallS,
      },
    });
    return results;
  },
};
