export { JobStore, jobRecordSchema, type JobRecord, type LoadResult } from './job-store.js';
export {
  JobHistory,
  DELETE_UNDO_MS,
  lastWorkedJobId,
  type JobHistoryEntry,
} from './job-history.js';
export { ExportError, type ExportProblem } from './export-error.js';
export { exportDownload, type ExportDownload } from './export-download.js';
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
export {
  mergeRefillStops,
  readRefillStops,
  type RefillStop,
  type RefillStopsRead,
} from './refill-stops.js';
export { readAuditAnchors, type AnchorsRead, type KeptAnchor } from './audit-anchors.js';
export { computeFigures, type JobFigures, type PassFigure, type Tally } from './job-figures.js';
export {
  JobRecorder,
  VIEW_PERIOD_MS,
  type JobRecorderOptions,
  type RecordableTractor,
  type StationRecorder,
} from './job-recorder.js';
export {
  RecordingWriter,
  CHUNK_SPAN_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_THIN_AFTER_BYTES,
  type RecordingLimits,
} from './recording-writer.js';
export {
  RecordingReader,
  RecordingReadError,
  type RecordedTractor,
  type TractorDeclaration,
} from './recording-reader.js';
export {
  RECORDINGS_DIR,
  RECORDING_EXTENSION,
  type CoverageDelta,
  type RecordedEvent,
  type RecordingHeader,
} from './recording-format.js';
export { ReplaySource, REPLAY_PUBLISH_MS, type ReplaySourceOptions } from './replay-source.js';
export { ExportThread } from './export-thread.js';
