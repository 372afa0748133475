/**
 * The job's JSON record (records/JobStore): what it holds of the station's state, and how a
 * saved record comes back. A job that was running comes back paused: nothing restarts by itself.
 */
import type { AlertSnapshot } from '../../shared/index.js';
import type { JobRecord, RefillStop } from '../records/index.js';
import type { FieldWork } from './field-work.js';
import type { ReleaseHistory } from './release-history.js';
import type { ActiveStop, StopCoordinator } from '../safety-core/index.js';

export type JobHeader = Omit<
  JobRecord,
  | 'assignments'
  | 'passes'
  | 'stops'
  | 'alerts'
  | 'locks'
  | 'releasedStops'
  | 'auditAnchor'
  | 'refillStops'
>;

export function jobRecordOf(
  job: JobHeader,
  work: FieldWork,
  stops: readonly ActiveStop[],
  alerts: AlertSnapshot[],
  releases: ReleaseHistory,
  refillStops: readonly RefillStop[] = [],
): JobRecord {
  return {
    ...job,
    assignments: work.assignments(),
    locks: work.locks(),
    // Kept even beside a shared document: the second copy a damaged coverage log is rebuilt from.
    passes: work.allPasses(),
    stops: stops.map((s) => ({
      id: s.id,
      scope: s.scope,
      issuedAtWallMs: s.issuedAtWallMs,
      issuedBy: s.issuedBy,
      tractorIds: [...s.tractors.keys()],
      releasedIds: [...s.released],
    })),
    alerts,
    releasedStops: releases.all(),
    refillStops: refillStops.map((s) => ({ ...s, position: [...s.position] })),
  };
}

/** Applies a saved record: the job header it resumes, with work and stops restored in place. */
export function resumeFromRecord(
  record: JobRecord,
  work: FieldWork,
  stops: StopCoordinator,
  releases: ReleaseHistory,
  nowMs: number,
): JobHeader {
  releases.restore(record.releasedStops ?? []);
  work.restorePasses(record.passes, record.assignments, record.locks ?? {});
  for (const stop of record.stops) {
    stops.restore(
      {
        id: stop.id,
        scope: stop.scope,
        issuedAtMs: nowMs,
        issuedAtWallMs: stop.issuedAtWallMs,
        issuedBy: stop.issuedBy,
      },
      stop.tractorIds,
      stop.releasedIds ?? [],
    );
  }
  return {
    version: 2,
    id: record.id,
    name: record.name,
    createdAtWallMs: record.createdAtWallMs,
    state: record.state === 'running' ? 'paused' : record.state,
    fieldName: record.fieldName,
  };
}
