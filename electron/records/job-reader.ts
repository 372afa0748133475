/**
 * Reads a job back from the data folder `headland serve --data DIR` writes: `job.json` (the
 * station's record, JobStore) names the current job; `sync.db` (electron/sync UpdateStore)
 * holds every job's Yjs document — field, sections, assignments and coverage log. The store is
 * copied to a temporary folder first (SQLite online backup), so exporting never changes (or
 * quarantines) a running station's files and reads a consistent state while the station writes;
 * a damaged store is reported instead of being repaired behind its back.
 */
import { lastWorkedJobId } from './job-history.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LonLat } from '../fleet/index.js';
import { JobDoc, UpdateStore, type SwathSegment } from '../sync/index.js';
import { readCheckedJson } from '../storage/index.js';
import { ManualClock } from '../time/index.js';
import { ExportError, messageOf } from './export-error.js';
import { jobRecordSchema, type JobRecord } from './job-store.js';
import { mergeRefillStops, readRefillStops, type RefillStop } from './refill-stops.js';
import { recordedTractorNames } from './tractor-names.js';

export const JOB_FILE = 'job.json';
export const SYNC_FILE = 'sync.db';
/** The job reference that means "the station's current job" (also the default). */
export const LATEST_JOB = 'latest';

export interface JobSection {
  readonly id: string;
  readonly name: string;
  /** WGS84 rings, outer first. */
  readonly polygon: readonly (readonly LonLat[])[];
  readonly areaM2: number;
  readonly tractorId: string | null;
}

/** A job as plain data, everything the exporters need. */
export interface JobData {
  readonly jobId: string;
  readonly name: string;
  readonly createdAtMs: number;
  /** The station's job state when job.json describes this job, else the document's job mode. */
  readonly state: string;
  readonly fieldName: string;
  /** Origin of the local metric frame the coverage log is written in. */
  readonly frameOrigin: LonLat;
  /** The current field revision: outer ring first, then holes. */
  readonly field: readonly (readonly LonLat[])[];
  readonly sections: readonly JobSection[];
  /** Every tractor's coverage log (local metres), in log order. */
  readonly coverage: Readonly<Record<string, readonly SwathSegment[]>>;
  /** Tractor id → the name the operator screen showed (tractor-names.ts); may miss machines. */
  readonly tractorNames: ReadonlyMap<string, string>;
  /**
   * The stops machines made at the refill point, in time order: from the job record, so only the
   * job job.json describes has them (an older job's record gave way to the next job's).
   */
  readonly refillStops: readonly RefillStop[];
  /** What was read but left out, for the operator (a refill stop entry that did not check out). */
  readonly warnings: readonly string[];
}

/** A machine as people called it: its recorded name, else its id. */
export function tractorName(job: JobData, tractorId: string): string {
  return job.tractorNames.get(tractorId) ?? tractorId;
}

export function readRecord(dataDir: string): JobRecord | null {
  const file = join(dataDir, JOB_FILE);
  if (!existsSync(file)) return null;
  let checked: ReturnType<typeof readCheckedJson>;
  try {
    checked = readCheckedJson(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ExportError('corrupt', `${file} is not readable (${messageOf(err)})`);
  }
  if (!checked.ok) throw new ExportError('corrupt', `${file} is damaged (${checked.error})`);
  const parsed = jobRecordSchema.safeParse(checked.value);
  if (!parsed.success)
    throw new ExportError(
      'corrupt',
      `${file} is not a job record (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  return parsed.data;
}

/**
 * Copies the store aside with SQLite's online backup (a consistent snapshot even while a station
 * is writing it) and opens the copy; returns it and its cleanup.
 */
export async function openStoreCopy(
  dbPath: string,
): Promise<{ store: UpdateStore; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'headland-export-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  const damaged = (detail: string): ExportError =>
    new ExportError(
      'corrupt',
      `the job store ${dbPath} is damaged or unreadable (${detail}); start \`headland serve\` on this folder once to salvage it`,
    );
  try {
    const copy = join(dir, SYNC_FILE);
    try {
      const source = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        await source.backup(copy);
      } finally {
        source.close();
      }
    } catch (err) {
      throw damaged(messageOf(err));
    }
    const store = UpdateStore.open(copy);
    if (store.openReport.corrupt) {
      store.close();
      throw damaged(store.openReport.problems.join('; '));
    }
    return { store, dispose };
  } catch (err) {
    dispose();
    if (err instanceof ExportError) throw err;
    throw damaged(messageOf(err));
  }
}

/**
 * Reads job `jobRef` (an id, or `latest`: the job that last worked ground, else the job job.json
 * names) from `dataDir`.
 * Throws ExportError: `not-found` for a missing folder, store or job; `corrupt` for damage.
 */
export async function readJob(dataDir: string, jobRef: string = LATEST_JOB): Promise<JobData> {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory())
    throw new ExportError('not-found', `no data folder at ${dataDir}`);
  const record = readRecord(dataDir);
  const jobId = jobRef === LATEST_JOB ? (lastWorkedJobId(dataDir) ?? record?.id) : jobRef;
  if (jobId === undefined)
    throw new ExportError('not-found', `${dataDir} has no ${JOB_FILE}, so there is no latest job`);
  const dbPath = join(dataDir, SYNC_FILE);
  if (!existsSync(dbPath))
    throw new ExportError('not-found', `${dataDir} holds no job store (${SYNC_FILE})`);
  const { store, dispose } = await openStoreCopy(dbPath);
  try {
    const jobs = store.jobs();
    if (!jobs.includes(jobId))
      throw new ExportError(
        'not-found',
        `no job '${jobId}' in ${dbPath} (jobs there: ${jobs.join(', ') || 'none'})`,
      );
    const { doc, report } = store.load(jobId);
    if (report.corruptRows > 0 || report.pendingAfterLoad)
      throw new ExportError(
        'corrupt',
        `job '${jobId}' in ${dbPath} is damaged: ${report.problems.join('; ')}`,
      );
    const job = new JobDoc({
      actor: { role: 'tractor', id: 'export' },
      clock: new ManualClock(),
      doc,
    });
    try {
      return {
        ...jobData(job, record?.id === jobId ? record : null),
        tractorNames: recordedTractorNames(dataDir, jobId),
      };
    } finally {
      job.destroy();
      doc.destroy();
    }
  } finally {
    store.close();
    dispose();
  }
}

function jobData(job: JobDoc, record: JobRecord | null): Omit<JobData, 'tractorNames'> {
  const snap = job.snapshot();
  // The record holds the stops of the job that was open last; the document, every job's own.
  const refills = readRefillStops(record?.refillStops);
  const refillStops = mergeRefillStops(refills.stops, job.refillStops());
  if (!snap.field)
    throw new ExportError('corrupt', `job '${snap.jobId}' has no field boundary in its document`);
  const coverage: Record<string, readonly SwathSegment[]> = {};
  for (const tractorId of Object.keys(snap.coverageSegmentCounts).sort())
    coverage[tractorId] = job.coverage(tractorId);
  return {
    jobId: snap.jobId,
    name: snap.name,
    createdAtMs: snap.createdAtMs,
    state: record?.state ?? snap.jobMode?.mode ?? 'planned',
    fieldName: record?.fieldName ?? snap.name,
    frameOrigin: [snap.frameOrigin[0], snap.frameOrigin[1]],
    field: snap.field.boundary,
    sections: [...snap.sections]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({
        id: s.id,
        name: s.name,
        polygon: s.polygon,
        areaM2: s.areaM2,
        tractorId: s.tractorId,
      })),
    coverage,
    refillStops,
    warnings: refills.refused.map((r) => `job.json: ${r}`),
  };
}
