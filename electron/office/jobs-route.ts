/**
 * The office's HTTP face: `GET /api/office/jobs` (a viewer token as `Authorization: Bearer T`)
 * answers the overview of every job the office holds (job-summary.ts); anything else is 404.
 * The documents themselves are read over the WebSocket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequestTarget } from '../sync/index.js';
import type { OfficeJobSummary } from './job-summary.js';

export const JOBS_PATH = '/api/office/jobs';

export interface JobsRouteOptions {
  readonly isViewer: (token: string) => boolean;
  readonly jobs: () => OfficeJobSummary[];
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

export function handleOfficeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: JobsRouteOptions,
): void {
  const target = parseRequestTarget(req.url);
  if (!target.ok) return answer(res, 400, { error: target.problem });
  if (target.target.path !== JOBS_PATH) return answer(res, 404, { error: 'not found' });
  if (req.method !== 'GET') return answer(res, 405, { error: 'GET only' });
  const token = bearer(req);
  if (token === null || !options.isViewer(token))
    return answer(res, 401, { error: 'a viewer token is needed (Authorization: Bearer T)' });
  answer(res, 200, { jobs: options.jobs() });
}
