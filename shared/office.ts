/**
 * The farm office's HTTP contract (docs/office.md): the overview of every job it holds and one
 * job's view, both read with a viewer token as `Authorization: Bearer T`.
 */
import { z } from 'zod';

/** The overview: `{ jobs: OfficeJobSummary[] }`. */
export const OFFICE_JOBS_PATH = '/api/office/jobs';

/** One job's view, a `StationSnapshot` read from the office's copy of its document. */
export function officeJobPath(stationId: string, jobId: string): string {
  return `${OFFICE_JOBS_PATH}/${encodeURIComponent(stationId)}/${encodeURIComponent(jobId)}`;
}

/** What a machine last recorded of itself in the job document. */
export const officeMachineSchema = z.object({
  id: z.string(),
  /** The document's activity (`idle`, `working`, `paused`, `safe-stopped`, `offline`); null if never reported. */
  activity: z.string().nullable(),
});
export type OfficeMachine = z.infer<typeof officeMachineSchema>;

export const officeJobSummarySchema = z.object({
  stationId: z.string(),
  jobId: z.string(),
  /** The job's name (the station names a job after its field). */
  name: z.string(),
  /** `planned`, `running`, `paused` or `finished`; null before the station recorded one. */
  mode: z.string().nullable(),
  sections: z.number().int().nonnegative(),
  sectionsDone: z.number().int().nonnegative(),
  /** Swath area driven over the sections' area, 0..1 (overlap counted: see docs/office.md). */
  workedShare: z.number().min(0).max(1),
  /** Machines with sections assigned or a status reported. */
  tractors: z.number().int().nonnegative(),
  machines: z.array(officeMachineSchema),
  openAlerts: z.number().int().nonnegative(),
  activeStops: z.number().int().nonnegative(),
  /** Wall-clock ms of the last change this office node saw or stored; null if never. */
  lastUpdateMs: z.number().nullable(),
});
export type OfficeJobSummary = z.infer<typeof officeJobSummarySchema>;

export const officeJobsResponseSchema = z.object({
  jobs: z.array(officeJobSummarySchema),
  /** The office's wall clock when it answered: "last update N min ago" is measured from it. */
  nowMs: z.number(),
});
export type OfficeJobsResponse = z.infer<typeof officeJobsResponseSchema>;
