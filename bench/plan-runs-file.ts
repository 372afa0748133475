/**
 * The executed-plan benchmark's runs file (`BENCH_PLAN_RUNS=FILE`): every finished run, plain or
 * with a refill point, is appended as one JSON line the moment it ends, with the revision of the
 * code that ran it (bench/code-revision.ts: a key over the code folders and the lock file, not the
 * commit, so a commit of documentation alone keeps it). A later session with the same code reads
 * those runs back instead of running them again, so the full table (about an hour of CPU) can be
 * gathered over several sessions that each commit, and a session killed part-way loses only the
 * run it was in.
 *
 * A line read back must name the same field, fleet size, kind and code (the key, and for
 * uncommitted edits the hash of their diff; the commit it was recorded at is kept for information
 * only); it then counts toward the figures exactly as the run did (a JSON number reads back as
 * the same double). A line that is not JSON, or not a whole run (a
 * write cut off by a kill, an edit), is reported with its line number and skipped; its run is
 * made again.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppendFile } from '../electron/storage/index.js';
import { sameRevision, revisionLabel, type CodeRevision } from './code-revision.js';
import type { ExecutedRun, RunKey, RunSource } from './plan-executed.js';

/**
 * Version of the line format; a line of another version is skipped as unreadable. Version 1 was
 * keyed by the commit alone, so its runs cannot be matched to a code key.
 */
const LINE_VERSION = 2;

const finite = z.number();
const nonNegative = z.number().nonnegative();

const runSchema = z.object({
  field: z.string().min(1),
  tractors: z.number().int().positive(),
  plannedS: nonNegative,
  lowerBoundS: nonNegative,
  executedS: nonNegative,
  capped: z.boolean(),
  fraction: nonNegative,
  idleShares: z.array(nonNegative),
  etaErrorPct: z.array(nonNegative),
  etaSignedPct: z.array(finite.nullable()),
  etaMissing: z.number().int().nonnegative(),
  refill: z
    .object({
      trips: z.number().int().nonnegative(),
      plannedQueueS: nonNegative,
      waitedS: nonNegative,
    })
    .optional(),
});

const lineSchema = z
  .object({
    v: z.literal(LINE_VERSION),
    kind: z.enum(['plain', 'refill']),
    code: z.string().regex(/^[0-9a-f]{16}$/),
    commit: z.string().regex(/^[0-9a-f]{40,64}$/),
    dirty: z.boolean(),
    diff: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    recordedAt: z.string(),
    /** Wall seconds the run took when it was made (for planning sessions; not a figure). */
    wallS: nonNegative,
    run: runSchema,
  })
  .refine((l) => (l.kind === 'refill') === (l.run.refill !== undefined), {
    message: "kind 'refill' goes with a run that has refill figures, 'plain' with one without",
  })
  .refine((l) => l.dirty === (l.diff !== undefined), {
    message: 'a dirty revision carries the hash of its diff, a clean one none',
  });

/** One line of the file, read back. */
export interface RecordedRun {
  kind: RunKey['kind'];
  revision: CodeRevision;
  recordedAt: string;
  wallS: number;
  run: ExecutedRun;
}

/** A line that could not be read. */
export interface BadLine {
  line: number;
  reason: string;
}

/** Every readable line of `text`, in order, and the lines that were not. */
export function parseRunsFile(text: string): { runs: RecordedRun[]; bad: BadLine[] } {
  const runs: RecordedRun[] = [];
  const bad: BadLine[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const cut = i === lines.length - 1 ? ' (the last line, cut off?)' : '';
      bad.push({ line: i + 1, reason: `not JSON${cut}: ${String(error)}` });
      return;
    }
    const parsed = lineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') ?? '';
      bad.push({
        line: i + 1,
        reason: `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`,
      });
      return;
    }
    const l = parsed.data;
    const { refill, ...rest } = l.run;
    runs.push({
      kind: l.kind,
      revision: {
        code: l.code,
        commit: l.commit,
        dirty: l.dirty,
        ...(l.diff === undefined ? {} : { diff: l.diff }),
      },
      recordedAt: l.recordedAt,
      wallS: l.wallS,
      run: refill ? { ...rest, refill } : rest,
    });
  });
  return { runs, bad };
}

/** The key a run is found by: field, fleet size and kind. */
export function keyOf(kind: RunKey['kind'], run: Pick<ExecutedRun, 'field' | 'tractors'>): string {
  return JSON.stringify([run.field, run.tractors, kind]);
}

/** The file's contents, or '' when it does not exist yet. */
function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

export interface RunsFileOptions {
  /** Where reports go (stderr by default). */
  log?: (line: string) => void;
  /** Wall time, for each run's `wallS` and `recordedAt`. */
  nowMs?: () => number;
}

/**
 * A run source backed by the runs file: a run recorded for the same key and code is given
 * back; any other is run now and appended (one write and an fsync per line, through the data
 * folder's AppendFile) before it is given to the figures.
 */
export class PlanRunsFile implements RunSource {
  private readonly recorded = new Map<string, ExecutedRun>();
  private readonly log: (line: string) => void;
  private readonly nowMs: () => number;
  private out: AppendFile | null = null;
  /** The file does not end in a newline (a write cut off): the next line starts on a new one. */
  private needsNewline: boolean;
  /** Runs given back from the file, and runs made now, since it was opened. */
  reused = 0;
  made = 0;

  constructor(
    readonly file: string,
    readonly revision: CodeRevision,
    options: RunsFileOptions = {},
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.nowMs = options.nowMs ?? (() => Date.now());
    const text = readIfThere(file);
    this.needsNewline = text.length > 0 && !text.endsWith('\n');
    const { runs, bad } = parseRunsFile(text);
    for (const b of bad) this.log(`bench plan: ${file}:${b.line}: ${b.reason}; skipped`);
    let other = 0;
    for (const r of runs) {
      if (!sameRevision(r.revision, revision)) other++;
      else if (!this.recorded.has(keyOf(r.kind, r.run)))
        this.recorded.set(keyOf(r.kind, r.run), r.run);
    }
    this.log(
      `bench plan: ${file}: ${this.recorded.size} run(s) of ${revisionLabel(revision)} read back` +
        (other > 0 ? `, ${other} of other code left aside` : '') +
        (bad.length > 0 ? `, ${bad.length} bad line(s) skipped` : ''),
    );
  }

  get(key: RunKey, fresh: () => ExecutedRun): ExecutedRun {
    const id = keyOf(key.kind, key);
    const known = this.recorded.get(id);
    if (known) {
      this.reused++;
      return known;
    }
    const started = this.nowMs();
    const run = fresh();
    const wallS = Math.round(this.nowMs() - started) / 1000;
    this.made++;
    if (keyOf(key.kind, run) !== id)
      throw new Error(`bench plan: asked for ${id}, the run is ${keyOf(key.kind, run)}`);
    this.append(key.kind, run, wallS);
    this.recorded.set(id, run);
    return run;
  }

  private append(kind: RunKey['kind'], run: ExecutedRun, wallS: number): void {
    const { code, commit, dirty, diff } = this.revision;
    const line = JSON.stringify({
      v: LINE_VERSION,
      kind,
      code,
      commit,
      dirty,
      ...(diff === undefined ? {} : { diff }),
      recordedAt: new Date(this.nowMs()).toISOString(),
      wallS,
      run,
    });
    // A run that would not read back (a NaN written as null) is used now but not recorded, so a
    // later session makes it again rather than skipping over a bad line each time.
    const check = parseRunsFile(line).bad[0];
    if (check) {
      this.log(
        `bench plan: ${run.field} × ${run.tractors} (${kind}) not recorded: ${check.reason}`,
      );
      return;
    }
    if (!this.out) {
      mkdirSync(dirname(this.file), { recursive: true });
      this.out = new AppendFile(this.file, 'full');
    }
    this.out.append(`${this.needsNewline ? '\n' : ''}${line}\n`);
    this.needsNewline = false;
    this.log(`bench plan: ${run.field} × ${run.tractors} (${kind}) ${wallS} s, recorded`);
  }

  close(): void {
    this.out?.close();
    this.out = null;
  }
}
