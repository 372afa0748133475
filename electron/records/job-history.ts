/**
 * The station's job history (issue 10, "Jobs as sessions"): one small index of every job it
 * has run — name, field, state, dates, worked area — written atomically next to the job store
 * (`<data>/jobs.json`), so the operator can browse and reopen jobs after a restart or on
 * another day. The jobs' contents live in the shared documents of `sync.db`; this index only
 * lists them. Deleting is soft: a deleted job is hidden, can be brought back for
 * DELETE_UNDO_MS, and only then drops out of the index.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { jobSummarySchema } from '../../shared/index.js';
import { quarantine, readCheckedJson, stampJson, writeFileAtomically } from '../storage/index.js';

/** How long a deleted job can be brought back. */
export const DELETE_UNDO_MS = 24 * 3_600_000;
const HISTORY_FILE = 'jobs.json';

/** A line of the history: the contract's job summary, less what only a live station knows. */
const entrySchema = jobSummarySchema.omit({ current: true }).extend({ id: z.string().min(1) });
export type JobHistoryEntry = z.infer<typeof entrySchema>;
const historySchema = z.object({ version: z.literal(1), jobs: z.array(entrySchema) });

export class JobHistory {
  private readonly file: string;
  private entries: JobHistoryEntry[] = [];
  /** What was wrong with the file on open, if anything (it is moved aside and a new one begun). */
  readonly problem: string | null = null;

  constructor(dataDir: string, nowWallMs: number) {
    this.file = join(dataDir, HISTORY_FILE);
    if (!existsSync(this.file)) return;
    try {
      const checked = readCheckedJson(readFileSync(this.file, 'utf8'));
      if (!checked.ok) throw new Error(checked.error);
      const parsed = historySchema.parse(checked.value);
      this.entries = parsed.jobs.filter(
        (e) => e.deletedAtWallMs === null || nowWallMs - e.deletedAtWallMs < DELETE_UNDO_MS,
      );
    } catch (error) {
      const movedTo = quarantine(this.file, { wallMs: nowWallMs });
      this.problem = `job history unreadable (${error instanceof Error ? error.message : String(error)}); kept at ${movedTo}`;
    }
  }

  /** Every job, newest first, deleted ones included (they carry `deletedAtWallMs`). */
  list(): JobHistoryEntry[] {
    return [...this.entries].sort((a, b) => b.createdAtWallMs - a.createdAtWallMs);
  }

  get(jobId: string): JobHistoryEntry | undefined {
    return this.entries.find((e) => e.id === jobId);
  }

  /** Adds or updates a job's line (the station calls it whenever it writes the job). */
  record(entry: Omit<JobHistoryEntry, 'deletedAtWallMs'>): void {
    const existing = this.get(entry.id);
    if (existing) Object.assign(existing, entry);
    else this.entries.push({ ...entry, deletedAtWallMs: null });
    this.save();
  }

  delete(jobId: string, nowWallMs: number): boolean {
    const entry = this.get(jobId);
    if (!entry || entry.deletedAtWallMs !== null) return false;
    entry.deletedAtWallMs = nowWallMs;
    this.save();
    return true;
  }

  undelete(
    jobId: string,
    nowWallMs: number,
  ): 'restored' | 'not-deleted' | 'too-late' | 'not-found' {
    const entry = this.get(jobId);
    if (!entry) return 'not-found';
    if (entry.deletedAtWallMs === null) return 'not-deleted';
    if (nowWallMs - entry.deletedAtWallMs >= DELETE_UNDO_MS) return 'too-late';
    entry.deletedAtWallMs = null;
    this.save();
    return 'restored';
  }

  private save(): void {
    writeFileAtomically(this.file, stampJson({ version: 1, jobs: this.entries }));
  }
}
