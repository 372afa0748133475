/**
 * One line per job for the office's overview (`GET /api/office/jobs`): whose job, its name, how
 * far it is, its machines, open alerts and active stops, and when the office last heard of it.
 * Read from the document with the station's own reader (`readSnapshot`), so a value that fails
 * its schema is left out, not trusted.
 */
import * as Y from 'yjs';
import { readSnapshot, type JobSnapshot } from '../sync/index.js';
import type { OfficeDocument } from './document-name.js';

export interface OfficeJobSummary {
  readonly stationId: string;
  readonly jobId: string;
  readonly name: string;
  readonly sections: number;
  readonly sectionsDone: number;
  /** Machines with sections assigned or a status reported. */
  readonly tractors: number;
  readonly openAlerts: number;
  readonly activeStops: number;
  /** Wall-clock ms of the last change this office node saw or stored; null if never. */
  readonly lastUpdateMs: number | null;
}

/** The job's line; null for a document that holds no job (opened by a viewer, never written). */
export function summarizeJob(
  name: OfficeDocument,
  doc: Y.Doc,
  lastUpdateMs: number | null,
): OfficeJobSummary | null {
  const job = readSnapshot(doc);
  if (job.jobId === '') return null;
  return {
    stationId: name.stationId,
    jobId: name.jobId,
    name: job.name,
    sections: job.sections.length,
    sectionsDone: job.sections.filter((s) => s.state === 'done').length,
    tractors: machinesOf(job).length,
    openAlerts: job.alerts.filter((a) => a.ack === null).length,
    activeStops: job.estops.filter((e) => e.active).length,
    lastUpdateMs,
  };
}

/** The machines on the job: those with sections assigned and those that reported a status. */
function machinesOf(job: JobSnapshot): string[] {
  const ids = new Set(Object.keys(job.tractors));
  for (const s of job.sections) if (s.tractorId !== null) ids.add(s.tractorId);
  return [...ids];
}

/** A stored state read into a document of its own, for a job no client has open. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
