/**
 * Benchmark contract. Every suite in bench/suites/<name>.ts exports `suite: BenchSuite`;
 * `npm run bench -- [suite ...] [--quick] [--json out.json]` runs them on the real clock and
 * writes {"results":[{"name","value","unit","conditions"}]}.
 */
export interface BenchResult {
  /** Stable figure name, e.g. "startup.ready_ms": dashboards and the docs table key on it. */
  name: string;
  value: number;
  unit: string;
  conditions: Record<string, string | number | boolean>;
}

/** How a suite is asked to run; the runner passes the same object to every suite. */
export interface BenchOptions {
  /**
   * A check before a commit: fewer trials and smaller workloads, so every suite together takes
   * under 3 minutes. The full run stays the reference; each figure names its trial counts in
   * its conditions either way.
   */
  readonly quick: boolean;
}

export interface BenchSuite {
  /** The suite name used on the command line, e.g. "can". */
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

/** `full` in the reference run, `quick` under --quick. */
export function trials(options: BenchOptions, full: number, quick: number): number {
  return options.quick ? quick : full;
}

/** The p-th percentile (0–100) of `values` by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `fn`'s value and how long it took on the real clock, ms. */
export function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

/** Where a phase's time and its line come from; the real clock and stderr unless a test says. */
interface PhaseIo {
  nowMs(): number;
  log(line: string): void;
}

const realPhaseIo: PhaseIo = {
  nowMs: () => performance.now(),
  log: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Times one phase of a suite: the returned function ends it, prints `bench <suite>: <phase> <s> s`
 * and returns the wall seconds (one decimal) for the figure's `phase_wall_s`, so a run shows
 * where a suite's time goes.
 */
export function startPhase(suite: string, phase: string, io = realPhaseIo): () => number {
  const started = io.nowMs();
  return () => {
    const seconds = round((io.nowMs() - started) / 1000, 1);
    io.log(`bench ${suite}: ${phase} ${seconds} s`);
    return seconds;
  };
}
