/**
 * Runs suites one after another and stamps every figure with how it was run: the mode (full or
 * quick) and the machine's load and cores at the suite's start and end. Each suite's wall and
 * CPU time are kept for the run's summary. A suite run while the load was above the core count
 * gets a warning on stderr. A suite that throws is reported and the run goes on with the next.
 */
import { cpuSeconds } from './cpu-time.js';
import { round, type BenchOptions, type BenchResult, type BenchSuite } from './harness.js';
import {
  loadWarning,
  machineConditions,
  sampleMachine,
  type MachineSample,
} from './machine-load.js';

export interface RunIo {
  /** A line for the reader (stderr); stdout carries the JSON. */
  log(line: string): void;
  sample(): MachineSample;
  nowMs(): number;
  /** CPU seconds so far of this process and its ended children, where the system tells. */
  cpuS(): number | undefined;
}

const defaultIo: RunIo = {
  log: (line) => process.stderr.write(`${line}\n`),
  sample: sampleMachine,
  nowMs: () => performance.now(),
  cpuS: cpuSeconds,
};

function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.name, String(r.value), r.unit]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0), 6));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

/** How long one suite took, failed or not: what "every suite in under 3 minutes" is read from. */
export interface SuiteTiming {
  suite: string;
  wall_s: number;
  /** Absent where the system does not report it. */
  cpu_s?: number;
  load_1m_start: number;
  load_1m_end: number;
}

export interface RunOutcome {
  results: BenchResult[];
  /** Suites that threw, with the error: the others' figures are still reported. */
  failures: { suite: string; error: string }[];
  timings: SuiteTiming[];
}

async function runOne(
  suite: BenchSuite,
  options: BenchOptions,
): Promise<{ results: BenchResult[] } | { error: string }> {
  try {
    return { results: await suite.run(options) };
  } catch (err) {
    return { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

export async function runSuites(
  suites: readonly BenchSuite[],
  options: BenchOptions,
  io: RunIo = defaultIo,
): Promise<RunOutcome> {
  const results: BenchResult[] = [];
  const failures: RunOutcome['failures'] = [];
  const timings: SuiteTiming[] = [];
  const mode = options.quick ? 'quick' : 'full';
  for (const suite of suites) {
    io.log(`bench: ${suite.name} (${mode}) — ${suite.description}`);
    const start = io.sample();
    const started = io.nowMs();
    const cpuStart = io.cpuS();
    const outcome = await runOne(suite, options);
    const end = io.sample();
    const cpuEnd = io.cpuS();
    const timing: SuiteTiming = {
      suite: suite.name,
      wall_s: round((io.nowMs() - started) / 1000, 1),
      ...(cpuStart === undefined || cpuEnd === undefined
        ? {}
        : { cpu_s: round(cpuEnd - cpuStart, 1) }),
      load_1m_start: round(start.load[0], 2),
      load_1m_end: round(end.load[0], 2),
    };
    timings.push(timing);
    if ('error' in outcome) {
      failures.push({ suite: suite.name, error: outcome.error });
      io.log(`bench: suite ${suite.name} failed; its figures are missing:\n${outcome.error}\n`);
      continue;
    }
    const machine = machineConditions(start, end);
    const stamped = outcome.results.map((r) => ({
      ...r,
      conditions: { ...r.conditions, mode, ...machine },
    }));
    results.push(...stamped);
    const cpu = timing.cpu_s === undefined ? '' : `, CPU ${timing.cpu_s} s`;
    io.log(
      `${table(stamped)}\n(${timing.wall_s} s${cpu}, load ${machine.load_1m_start} → ${machine.load_1m_end} on ${machine.cores} cores)\n`,
    );
    const warning = loadWarning(`suite ${suite.name}`, start, end);
    if (warning) io.log(warning);
  }
  return { results, failures, timings };
}
