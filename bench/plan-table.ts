/**
 * `npx tsx bench/plan-table.ts RUNS.jsonl [--code KEY | --all]`: the executed-plan runs recorded
 * in a runs file (BENCH_PLAN_RUNS, bench/plan-runs-file.ts) as Markdown tables, one row per field
 * and fleet size, plain runs and refill runs apart, then the benchmark's figures over the runs
 * there and the runs of the full benchmark not yet made. By default the runs of the code checked
 * out now (the ones a resumed benchmark would count); `--code` picks another code key
 * (bench/code-revision.ts; a prefix will do), `--all` every code key in the file. Each heading
 * also names the commits its runs were recorded at.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { codeRevision, revisionLabel, sameRevision, type CodeRevision } from './code-revision.js';
import type { BenchResult } from './harness.js';
import { executedJobs, executedResults, type ExecutedRun, type RunKey } from './plan-executed.js';
import { loadBenchFields } from './plan-fields.js';
import { refillJobs, refillResults } from './plan-refill.js';
import { keyOf, parseRunsFile, type RecordedRun } from './plan-runs-file.js';

const MINUS = '\u2212';

/** `+4.0` / `−1.6`, as the docs write signed errors. */
function signed(v: number | null): string {
  if (v === null) return '—';
  const s = Math.abs(v).toFixed(1);
  return v < 0 && s !== '0.0' ? `${MINUS}${s}` : `+${s}`;
}

function markdown(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function runRow(r: ExecutedRun): string[] {
  return [
    r.field,
    String(r.tractors),
    r.plannedS.toFixed(1),
    r.executedS.toFixed(1),
    (r.executedS / r.plannedS).toFixed(3),
    (r.executedS / r.lowerBoundS).toFixed(3),
    (Math.max(...r.idleShares) * 100).toFixed(1),
    r.etaSignedPct.map(signed).join('/'),
    r.capped ? `yes (${(r.fraction * 100).toFixed(1)}% done)` : 'no',
  ];
}

const RUN_HEADER = [
  'field',
  'tractors',
  'planned s',
  'executed s',
  'executed / planned',
  'executed / lower bound',
  'idle max %',
  'ETA error 25/50/75 %',
  'capped',
];

/** The heading over one code's runs: its key and the commits the runs were recorded at. */
export function codeHeading(code: CodeRevision, runs: readonly RecordedRun[]): string {
  const commits = [...new Set(runs.map((r) => r.revision.commit.slice(0, 7)))];
  const at = commits.length > 0 ? ` (recorded at ${commits.join(', ')})` : '';
  return `## Executed-plan runs of ${revisionLabel(code)}${at}`;
}

function figureLine(f: BenchResult): string {
  const worst = f.conditions['worst'];
  return `- \`${f.name}\` ${f.value} ${f.unit}${typeof worst === 'string' ? ` (worst ${worst})` : ''}`;
}

/** The jobs of the full benchmark, for the order of the rows and the runs not yet made. */
export interface FullBenchmark {
  plain: readonly Omit<RunKey, 'kind'>[];
  refill: readonly Omit<RunKey, 'kind'>[];
}

/**
 * Tables, figures and the runs left, for the runs of one code key; where a key was recorded twice
 * (two sessions at once) the first line counts, as in the benchmark.
 */
export function planTable(runs: readonly RecordedRun[], full: FullBenchmark): string {
  const out: string[] = [];
  for (const kind of ['plain', 'refill'] as const) {
    const byKey = new Map<string, ExecutedRun>();
    for (const r of runs)
      if (r.kind === kind && !byKey.has(keyOf(kind, r.run))) byKey.set(keyOf(kind, r.run), r.run);
    const jobs = full[kind].map((j) => keyOf(kind, j));
    // Rows in the benchmark's own order (so the figures below are the ones it would give), then
    // any run outside it (a test's field).
    const ordered = [
      ...jobs.flatMap((k) => byKey.get(k) ?? []),
      ...[...byKey].filter(([k]) => !jobs.includes(k)).map(([, r]) => r),
    ];
    const missing = full[kind].filter((j) => !byKey.has(keyOf(kind, j)));
    out.push(kind === 'plain' ? '### Executed plans' : '### With a refill point');
    out.push('');
    if (ordered.length === 0) out.push('No runs recorded.');
    else if (kind === 'plain') out.push(markdown(RUN_HEADER, ordered.map(runRow)));
    else
      out.push(
        markdown(
          [...RUN_HEADER, 'trips', 'planned queue s', 'waited s'],
          ordered.map((r) => [
            ...runRow(r),
            String(r.refill?.trips ?? 0),
            (r.refill?.plannedQueueS ?? 0).toFixed(1),
            (r.refill?.waitedS ?? 0).toFixed(1),
          ]),
        ),
      );
    out.push('');
    if (ordered.length > 0) {
      const figures = kind === 'plain' ? executedResults(ordered) : refillResults(ordered);
      const partial =
        missing.length > 0 ? `, ${missing.length} of the full run's not yet made` : '';
      out.push(`Figures over these ${ordered.length} runs${partial}:`, '');
      out.push(...figures.map(figureLine), '');
    }
    if (missing.length > 0)
      out.push(`Not yet run: ${missing.map((j) => `${j.field} × ${j.tractors}`).join(', ')}.`, '');
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { code: { type: 'string' }, all: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    process.stderr.write('usage: npx tsx bench/plan-table.ts RUNS.jsonl [--code KEY | --all]\n');
    return 2;
  }
  if (!existsSync(file)) {
    process.stderr.write(`plan-table: ${file}: no such file\n`);
    return 2;
  }
  const { runs, bad } = parseRunsFile(readFileSync(file, 'utf8'));
  for (const b of bad)
    process.stderr.write(`plan-table: ${file}:${b.line}: ${b.reason}; skipped\n`);
  const fields = await loadBenchFields();
  const full: FullBenchmark = {
    plain: executedJobs(fields, { quick: false }).map((j) => ({
      field: j.field.geometry.name,
      tractors: j.tractors,
    })),
    refill: refillJobs(fields, { quick: false }).map((j) => ({
      field: j.field.geometry.name,
      tractors: j.tractors,
    })),
  };
  const revisions: CodeRevision[] = [];
  for (const r of runs)
    if (!revisions.some((v) => sameRevision(v, r.revision))) revisions.push(r.revision);
  const current =
    values.code === undefined && !values.all
      ? codeRevision(join(import.meta.dirname, '..'))
      : undefined;
  const chosen = revisions.filter((v) =>
    values.all ? true : current ? sameRevision(v, current) : v.code.startsWith(values.code ?? ''),
  );
  if (chosen.length === 0)
    process.stdout.write(
      `No runs of ${current ? `the code checked out (${revisionLabel(current)})` : values.all ? 'any code' : `code ${values.code}`} in ${file}.\n\n`,
    );
  for (const v of chosen) {
    const own = runs.filter((r) => sameRevision(r.revision, v));
    process.stdout.write(`${codeHeading(v, own)}\n\n`);
    process.stdout.write(`${planTable(own, full)}\n`);
  }
  const others = revisions.filter((v) => !chosen.includes(v));
  if (others.length > 0)
    process.stdout.write(
      `Other code keys in the file: ${others.map((v) => `${revisionLabel(v)} (${runs.filter((r) => sameRevision(r.revision, v)).length} runs)`).join(', ')}.\n`,
    );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
