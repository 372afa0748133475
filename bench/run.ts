/**
 * `npm run bench -- [suite ...] [--quick] [--json out.json]`: runs benchmark suites on the real
 * clock. Prints {"results":[...],"run":{...}} on stdout (and to --json FILE), and a readable
 * table on stderr; "run" holds the mode, the whole run's wall and CPU time and each suite's.
 * --quick runs fewer trials (meant to run every suite in under 3 minutes on a quiet 2-core machine)
 * for a check before a commit; the full run is the reference.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuSeconds } from './cpu-time.js';
import { round, type BenchSuite } from './harness.js';
import { runSuites } from './run-suites.js';

const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'suites');

function suiteNames(): string[] {
  return readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

/** Imports only the suites asked for: loading all of them costs seconds of CPU. */
async function loadSuites(names: readonly string[]): Promise<BenchSuite[]> {
  const suites: BenchSuite[] = [];
  for (const name of names) {
    const file = `${name}.ts`;
    const module = (await import(pathToFileURL(join(SUITES_DIR, file)).href)) as {
      suite?: BenchSuite;
    };
    if (!module.suite) throw new Error(`bench/suites/${file} does not export 'suite'`);
    if (module.suite.name !== basename(file, '.ts'))
      throw new Error(`bench/suites/${file} names itself '${module.suite.name}'`);
    suites.push(module.suite);
  }
  return suites;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const names = suiteNames();
  const unknown = positionals.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    console.error(`bench: unknown suite(s) ${unknown.join(', ')}; available: ${names.join(', ')}`);
    return 2;
  }
  // The run's times include loading the suites' modules.
  const started = performance.now();
  const cpuStart = cpuSeconds();
  const selected = await loadSuites(
    positionals.length > 0 ? names.filter((n) => positionals.includes(n)) : names,
  );
  const { results, failures, timings } = await runSuites(selected, { quick: values.quick });
  const cpuEnd = cpuSeconds();
  const run = {
    mode: values.quick ? 'quick' : 'full',
    wall_s: round((performance.now() - started) / 1000, 1),
    ...(cpuStart === undefined || cpuEnd === undefined
      ? {}
      : { cpu_s: round(cpuEnd - cpuStart, 1) }),
    suites: timings,
  };
  const cpu = run.cpu_s === undefined ? '' : `, CPU ${run.cpu_s} s`;
  console.error(
    `bench: ${selected.length} suite(s) in ${run.wall_s} s${cpu}: ${timings.map((t) => `${t.suite} ${t.wall_s} s`).join(', ')}`,
  );
  const json = JSON.stringify({ results, run }, null, 2);
  if (values.json) writeFileSync(values.json, `${json}\n`);
  // Resolves once stdout has taken it all (a pipe is written asynchronously).
  await new Promise<void>((resolve) => process.stdout.write(`${json}\n`, () => resolve()));
  if (failures.length > 0)
    console.error(`bench: failed: ${failures.map((f) => f.suite).join(', ')}`);
  return failures.length > 0 ? 1 : 0;
}

// Exit once the output is written: a suite that failed may leave timers or sockets open, and
// the run must end either way.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
