/**
 * The office's document names: `<stationId>/<jobId>`. The station's identity is part of the
 * name, so one office holds the jobs of many stations without a clash of job ids, and the office
 * can tell from the name alone whose job a document is (a station token opens only its own).
 */

/** Station and job ids: letters, digits, `.`, `_`, `-`; 1–64 characters. */
const ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface OfficeDocument {
  readonly stationId: string;
  readonly jobId: string;
}

export function isOfficeId(raw: string): boolean {
  return ID.test(raw) && raw !== '.' && raw !== '..';
}

export function officeDocumentName(stationId: string, jobId: string): string {
  return `${stationId}/${jobId}`;
}

/** The station and job a document name names; null for any other name. */
export function parseOfficeDocumentName(name: string): OfficeDocument | null {
  const slash = name.indexOf('/');
  if (slash < 0) return null;
  const stationId = name.slice(0, slash);
  const jobId = name.slice(slash + 1);
  return isOfficeId(stationId) && isOfficeId(jobId) ? { stationId, jobId } : null;
}
