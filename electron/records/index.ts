export { JobStore, jobRecordSchema, type JobRecord, type LoadResult } from './job-store.js';
export { ExportError, type ExportProblem } from './export-error.js';
export {
  EXPORT_FORMATS,
  exportJob,
  isExportFormat,
  renderExport,
  type ExportFormat,
  type ExportOptions,
  type ExportOutput,
  type ExportSummary,
} from './export-job.js';
export { readJob, LATEST_JOB, type JobData, type JobSection } from './job-reader.js';
export { computeFigures, type JobFigures, type PassFigure, type Tally } from './job-figures.js';
