/**
 * Persists the running job as one JSON file in the data folder, written durably (temp file,
 * fsync, rename, fsync of the folder) so a crash leaves either the old or the new record, never
 * a torn one, and carrying its checksum so a flipped bit is found. A record that fails the
 * checksum or validation is moved aside and reported; what the station does then (carry the job
 * on from its other records, hold every machine) is the station's decision, never a new job
 * started by itself.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { alertSnapshotSchema, jobStateSchema } from '../../shared/index.js';
import {
  quarantine,
  quarantineCopy,
  readCheckedJson,
  stampJson,
  writeFileAtomically,
} from '../storage/index.js';

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
  releasedStops: z
    .array(
      z.object({
        id: z.string(),
        tractorIds: z.array(z.string()),
        fleetEnded: z.boolean().optional(),
      }),
    )
    .optional(),
  /**
   * Every stop a machine made at the refill point (refill-stops.ts). Each entry is checked when it
   * is read, not here: one damaged entry is refused on its own instead of the whole record being
   * set aside (which would hold the fleet). Absent in records written before stops were kept.
   */
  refillStops: z.array(z.unknown()).optional(),
  /** The safety audit log's anchor (entries, last hash) when the record was written. */
  auditAnchor: z
    .object({ count: z.number().int().nonnegative(), lastHash: z.string().regex(/^[0-9a-f]{64}$/) })
    .optional(),
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
      const checked = readCheckedJson(readFileSync(this.file, 'utf8'));
      if (checked.ok) {
        const parsed = jobRecordSchema.safeParse(checked.value);
        if (parsed.success) return { kind: 'loaded', record: parsed.data };
        error = parsed.error.issues[0]?.message ?? 'invalid record';
      } else error = checked.error;
    } catch (err) {
      error = err instanceof Error ? err.message : 'unreadable';
    }
    const movedTo = quarantine(this.file, { wallMs });
    return { kind: 'corrupt', error, movedTo };
  }

  save(record: JobRecord): void {
    writeFileAtomically(this.file, stampJson(record));
  }

  /**
   * Keeps a copy of the record as it is aside (`job.json.corrupt-<ms>`), before a record that
   * loaded but had an entry refused is written again without it; returns where the copy is.
   */
  keepCopy(wallMs: number): string {
    return quarantineCopy(this.file, { wallMs });
  }
}
