/**
 * `npm run bench -- [suite ...] [--quick] [--json out.json]`: runs benchmark suites on the real
 * clock. Prints {"results":[...]} on stdout (and to --json FILE), and a readable table on
 * stderr. --quick runs fewer trials (every suite together in under 3 minutes) for a check
 * before a commit; the full run is the reference.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchSuite } from './harness.js';
import { runSuites } from './run-suites.js';

const SUITES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'suites');

async function loadSuites(): Promise<BenchSuite[]> {
  const files = readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
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
  const suites = await loadSuites();
  const unknown = positionals.filter((name) => !suites.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown suite(s) ${unknown.join(', ')}; available: ${suites.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const selected =
    positionals.length > 0 ? suites.filter((s) => positionals.includes(s.name)) : suites;
  const started = performance.now();
  const { results, failures } = await runSuites(selected, { quick: values.quick });
  console.error(
    `bench: ${selected.length} suite(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const json = JSON.stringify({ results }, null, 2);
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
