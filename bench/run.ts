/**
 * `npm run bench -- [suite ...] [--json out.json]`: runs benchmark suites on the real clock.
 * Prints {"results":[...]} on stdout (and to --json FILE), and a readable table on stderr.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchResult, BenchSuite } from './harness.js';

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

function table(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.name, String(r.value), r.unit]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0), 6));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'string' } },
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
  const results: BenchResult[] = [];
  for (const suite of selected) {
    console.error(`bench: ${suite.name} — ${suite.description}`);
    const started = performance.now();
    const suiteResults = await suite.run();
    results.push(...suiteResults);
    console.error(
      `${table(suiteResults)}\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
  const json = JSON.stringify({ results }, null, 2);
  if (values.json) writeFileSync(values.json, `${json}\n`);
  console.log(json);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
