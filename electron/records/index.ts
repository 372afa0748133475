export { JobStore, jobRecordSchema, type JobRecord, type LoadResult } from './job-store.js';
