/**
 * electron/office — the farm office: one Hocuspocus server holding every station's jobs, each
 * station writing only its own, viewers reading all, every update held to the station's own
 * validation (docs/office.md).
 */
export {
  isOfficeId,
  officeDocumentName,
  parseOfficeDocumentName,
  type OfficeDocument,
} from './document-name.js';
export { AccessError, type StationToken } from './office-access.js';
export { startOffice, type Office, type OfficeOptions } from './office-server.js';
export { JOBS_PATH } from './jobs-route.js';
