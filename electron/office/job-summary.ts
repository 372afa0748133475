/**
 * One line per job for the office's overview (`GET /api/office/jobs`): whose job, its name, how
 * far it is, its machines and what each last recorded of itself, open alerts and active stops,
 * and when the office last heard of it. Read from the document with the station's own reader
 * (`readSnapshot`), so a value that fails its schema is left out, not trusted.
 */
import * as Y from 'yjs';
import type { OfficeJobSummary } from '../../shared/index.js';
import { readSnapshot, type JobSnapshot } from '../sync/index.js';
import type { OfficeDocument } from './document-name.js';
import { machineCoverage, workedShare } from './job-coverage.js';

/** The job's line; null for a document that holds no job (opened by a viewer, never written). */
export function summarizeJob(
  name: OfficeDocument,
  doc: Y.Doc,
  lastUpdateMs: number | null,
): OfficeJobSummary | null {
  const job = readSnapshot(doc);
  if (job.jobId === '') return null;
  const machines = machinesOf(job);
  let drivenM2 = 0;
  for (const id of machines) drivenM2 += machineCoverage(doc, id).drivenM2;
  return {
    stationId: name.stationId,
    jobId: name.jobId,
    name: job.name,
    mode: job.jobMode?.mode ?? null,
    sections: job.sections.length,
    sectionsDone: job.sections.filter((s) => s.state === 'done').length,
    workedShare: workedShare(drivenM2, sectionsAreaM2(job.sections)),
    tractors: machines.length,
    machines: machines.map((id) => ({ id, activity: job.tractors[id]?.activity ?? null })),
    openAlerts: job.alerts.filter((a) => a.ack === null).length,
    activeStops: job.estops.filter((e) => e.active).length,
    lastUpdateMs,
  };
}

/** The machines on the job: those with sections assigned and those that reported a status. */
export function machinesOf(job: JobSnapshot): string[] {
  const ids = new Set(Object.keys(job.tractors));
  for (const s of job.sections) if (s.tractorId !== null) ids.add(s.tractorId);
  return [...ids].sort();
}

export function sectionsAreaM2(sections: readonly JobSnapshot['sections'][number][]): number {
  return sections.reduce((sum, s) => sum + s.areaM2, 0);
}

/** A stored state read into a document of its own, for a job no client has open. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
