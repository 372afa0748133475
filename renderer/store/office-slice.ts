import type { StateCreator } from 'zustand';
import type { OfficeJobSummary } from '../../shared/index.js';
import type { StationStore } from './store.js';

export interface OfficeJobRef {
  stationId: string;
  jobId: string;
}

/** The farm office's page (office mode): every station's jobs, and the one opened on the map. */
export interface OfficeSlice {
  /** The overview; null until the office first answered. */
  officeJobs: OfficeJobSummary[] | null;
  /** The office's clock at its last answer ("last update N min ago" is measured from it). */
  officeNowMs: number;
  /** Why the office could not be read, shown until it can again. */
  officeProblem: string | null;
  officeOpenJob: OfficeJobRef | null;
  setOfficeJobs: (jobs: OfficeJobSummary[], nowMs: number) => void;
  setOfficeProblem: (problem: string | null) => void;
  /** Opens a job on the map (null: back to the list); the map starts empty until it is read. */
  openOfficeJob: (job: OfficeJobRef | null) => void;
}

export const createOfficeSlice: StateCreator<StationStore, [], [], OfficeSlice> = (set) => ({
  officeJobs: null,
  officeNowMs: 0,
  officeProblem: null,
  officeOpenJob: null,
  setOfficeJobs(officeJobs, officeNowMs) {
    set({ officeJobs, officeNowMs, officeProblem: null });
  },
  setOfficeProblem(officeProblem) {
    set({ officeProblem });
  },
  openOfficeJob(officeOpenJob) {
    set({ officeOpenJob, snapshot: null });
  },
});
