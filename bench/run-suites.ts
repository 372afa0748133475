/**
 * Runs suites one after another and stamps every figure with how it was run: the mode (full or
 * quick) and the machine's load and cores at the suite's start and end. A suite run while the
 * load was above the core count gets a warning on stderr. A suite that throws is reported and
 * the run goes on with the next.
 */
import type { BenchOptions, BenchResult, BenchSuite } from './harness.js';
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
}

const defaultIo: RunIo = {
  log: (line) => process.stderr.write(`${line}\n`),
  sample: sampleMachine,
  nowMs: () => performance.now(),
};

function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.name, String(r.value), r.unit]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0), 6));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

export interface RunOutcome {
  results: BenchResult[];
  /** Suites that threw, with the error: the others' figures are still reported. */
  failures: { suite: string; error: string }[];
}

export async function runSuites(
  suites: readonly BenchSuite[],
  options: BenchOptions,
  io: RunIo = defaultIo,
): Promise<RunOutcome> {
  const results: BenchResult[] = [];
  const failures: RunOutcome['failures'] = [];
  const mode = options.quick ? 'quick' : 'full';
  for (const suite of suites) {
    io.log(`bench: ${suite.name} (${mode}) — ${suite.description}`);
    const start = io.sample();
    const started = io.nowMs();
    let suiteResults: BenchResult[];
    try {
      suiteResults = await suite.run(options);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ suite: suite.name, error });
      io.log(`bench: suite ${suite.name} failed; its figures are missing:\n${error}\n`);
      continue;
    }
    const seconds = (io.nowMs() - started) / 1000;
    const end = io.sample();
    const machine = machineConditions(start, end);
    const stamped = suiteResults.map((r) => ({
      ...r,
      conditions: { ...r.conditions, mode, ...machine },
    }));
    results.push(...stamped);
    io.log(
      `${table(stamped)}\n(${seconds.toFixed(1)} s, load ${machine.load_1m_start} → ${machine.load_1m_end} on ${machine.cores} cores)\n`,
    );
    const warning = loadWarning(`suite ${suite.name}`, start, end);
    if (warning) io.log(warning);
  }
  return { results, failures };
}
