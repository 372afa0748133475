/**
 * The station's side of the job history (electron/records/job-history.ts): the current job's
 * line, the list the snapshot carries, deleting or bringing back a job that is not open, and the
 * header of a job that begins (named apart from every job kept) or comes back from the history.
 */
import {
  commandFailed,
  commandOk,
  haFromM2,
  type CommandResult,
  type JobSummary,
} from '../../shared/index.js';
import type { JobHistory, JobHistoryEntry } from '../records/index.js';
import type { FieldWork } from './field-work.js';
import type { JobHeader } from './job-record-io.js';

const NO_HISTORY = 'this station keeps no job history';

/** The open job's line, as it stands now. */
export function historyLine(
  job: JobHeader,
  work: FieldWork,
  wallMs: number,
): Omit<JobHistoryEntry, 'deletedAtWallMs'> {
  const totalM2 = work.totalM2;
  return {
    id: job.id,
    name: job.name,
    fieldName: work.plan.fieldName,
    state: job.state,
    createdAtWallMs: job.createdAtWallMs,
    updatedAtWallMs: wallMs,
    workedHa: haFromM2(Math.min(totalM2, work.coverage().uniqueM2)),
    totalHa: haFromM2(totalM2),
  };
}

export function jobSummaries(history: JobHistory | undefined, openJobId: string): JobSummary[] {
  return (history?.list() ?? []).map((entry) => ({ ...entry, current: entry.id === openJobId }));
}

/** Soft delete: the open job cannot be deleted. */
export function deleteFromHistory(
  history: JobHistory | undefined,
  jobId: string,
  openJobId: string,
  wallMs: number,
): CommandResult {
  if (!history) return commandFailed('unavailable', NO_HISTORY);
  if (jobId === openJobId) return commandFailed('refused', 'the open job cannot be deleted');
  if (!history.delete(jobId, wallMs))
    return commandFailed('not-found', `no job ${jobId} to delete`);
  return commandOk();
}

export function undeleteFromHistory(
  history: JobHistory | undefined,
  jobId: string,
  wallMs: number,
): CommandResult {
  if (!history) return commandFailed('unavailable', NO_HISTORY);
  const result = history.undelete(jobId, wallMs);
  if (result === 'restored') return commandOk();
  if (result === 'too-late')
    return commandFailed('refused', `job ${jobId} was deleted more than 24 h ago`);
  return commandFailed(
    'not-found',
    result === 'not-deleted' ? `job ${jobId} is not deleted` : `no job ${jobId}`,
  );
}

/** A new job's header, named apart from every other job kept (`Pond field — job 2`). */
export function newJobHeader(
  fieldName: string,
  history: JobHistory | undefined,
  replacing: string | null,
  wallNow: () => number,
): JobHeader {
  const taken = new Set(
    (history?.list() ?? [])
      .filter((e) => e.deletedAtWallMs === null && e.id !== replacing)
      .map((e) => e.name),
  );
  const base = `${fieldName} — job`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base} ${n}`;
  return {
    version: 2,
    id: `job-${wallNow().toString(36)}`,
    name,
    createdAtWallMs: wallNow(),
    state: 'planned',
    fieldName,
  };
}

/** The header of a job reopened from the history: paused, never moving, whatever it was. */
export function reopenedJobHeader(entry: JobHistoryEntry): JobHeader {
  return {
    version: 2,
    id: entry.id,
    name: entry.name,
    createdAtWallMs: entry.createdAtWallMs,
    state: entry.state === 'running' || entry.state === 'stopped' ? 'paused' : entry.state,
    fieldName: entry.fieldName,
  };
}
