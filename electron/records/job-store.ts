/**
 * Persists the running job as one JSON file in the data folder, written atomically (temp file,
 * fsync, rename) so a crash leaves either the old or the new record, never a torn one. A record
 * that fails validation is moved aside and reported, and the station starts a fresh job.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { alertSnapshotSchema, jobStateSchema } from '../../shared/index.js';

const passSchema = z.object({ tractorId: z.string(), fromM: z.number(), toM: z.number() });

export const jobRecordSchema = z.object({
  version: z.literal(2),
  id: z.string().min(1),
  name: z.string(),
  createdAtWallMs: z.number(),
  state: jobStateSchema,
  fieldName: z.string(),
  assignments: z.record(z.string(), z.string()),
  /** Sections the operator moved to a machine: the plan keeps them there after a restart. */
  locks: z.record(z.string(), z.string()).optional(),
  /** Passes driven per swath (`<section>.<k>`), metres along its centre line. */
  passes: z.record(z.string(), z.array(passSchema)),
  stops: z.array(
    z.object({
      id: z.string(),
      scope: z.string(),
      issuedAtWallMs: z.number(),
      issuedBy: z.string(),
      tractorIds: z.array(z.string()),
      /** Machines released from the stop while it holds others (it never holds them again). */
      releasedIds: z.array(z.string()).optional(),
    }),
  ),
  alerts: z.array(alertSnapshotSchema),
  /** Releases given not long ago: a machine that missed one is sent it again after a restart. */
  releasedStops: z.array(z.object({ id: z.string(), tractorIds: z.array(z.string()) })).optional(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

export type LoadResult =
  | { kind: 'empty' }
  | { kind: 'loaded'; record: JobRecord }
  | { kind: 'corrupt'; error: string; movedTo: string };

const JOB_FILE = 'job.json';

export class JobStore {
  private readonly file: string;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, JOB_FILE);
  }

  load(wallMs: number): LoadResult {
    if (!existsSync(this.file)) return { kind: 'empty' };
    let error: string;
    try {
      const parsed = jobRecordSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.success) return { kind: 'loaded', record: parsed.data };
      error = parsed.error.issues[0]?.message ?? 'invalid record';
    } catch (err) {
      error = err instanceof Error ? err.message : 'unreadable';
    }
    const movedTo = `${this.file}.corrupt-${wallMs}`;
    renameSync(this.file, movedTo);
    return { kind: 'corrupt', error, movedTo };
  }

  save(record: JobRecord): void {
    writeFileAtomically(this.file, JSON.stringify(record));
  }
}

/** Temp file, fsync, rename: a crash leaves the old content or the new, never a torn file. */
export function writeFileAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
