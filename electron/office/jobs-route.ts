/**
 * The office's HTTP face. With a viewer token as `Authorization: Bearer T`:
 * `GET /api/office/jobs` answers the overview of every job the office holds (job-summary.ts)
 * and `GET /api/office/jobs/<station-id>/<job-id>` one job's view for the field map
 * (job-view.ts). Any other `/api/` path is 404; everything else is the office page, the
 * renderer's office entry served by the station's own static-file code. The documents
 * themselves are read over the WebSocket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import {
  OFFICE_JOBS_PATH,
  type OfficeJobsResponse,
  type StationSnapshot,
} from '../../shared/index.js';
import { serveStatic } from '../server/index.js';
import { parseRequestTarget } from '../sync/index.js';
import { parseOfficeDocumentName, type OfficeDocument } from './document-name.js';

export const JOBS_PATH = OFFICE_JOBS_PATH;

/** The renderer's office entry (renderer/office.html), served for every page path. */
export const OFFICE_PAGE = '/office.html';

export interface JobsRouteOptions {
  readonly isViewer: (token: string) => boolean;
  readonly jobs: () => OfficeJobsResponse;
  readonly jobView: (name: OfficeDocument) => StationSnapshot | null;
  /** The built renderer (dist/renderer); null serves no page. */
  readonly staticDir: string | null;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

export async function handleOfficeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: JobsRouteOptions,
): Promise<void> {
  const target = parseRequestTarget(req.url);
  if (!target.ok) return answer(res, 400, { error: target.problem });
  const path = target.target.path;
  if (!path.startsWith('/api/')) {
    if (options.staticDir === null) return answer(res, 404, { error: 'not found' });
    // Assets by their own path; any other path is the page, which routes itself.
    return serveStatic(options.staticDir, extname(path) === '' ? OFFICE_PAGE : path, res);
  }
  const jobName = path.startsWith(`${JOBS_PATH}/`)
    ? parseOfficeDocumentName(path.slice(JOBS_PATH.length + 1))
    : null;
  if (path !== JOBS_PATH && jobName === null) return answer(res, 404, { error: 'not found' });
  if (req.method !== 'GET') return answer(res, 405, { error: 'GET only' });
  const token = bearer(req);
  if (token === null || !options.isViewer(token))
    return answer(res, 401, { error: 'a viewer token is needed (Authorization: Bearer T)' });
  if (jobName === null) return answer(res, 200, options.jobs());
  const view = options.jobView(jobName);
  if (view === null) return answer(res, 404, { error: 'the office holds no such job' });
  answer(res, 200, view);
}
