/**
 * GET /api/export/<job-id>?format=… — a job of the data folder as one file (what the Jobs
 * tab's Export downloads).
 *
 * - **Who.** On a station that listens beyond loopback, an export needs a role token (the
 *   viewer's at least), as `Authorization: Bearer <token>` (the UI sends its page token) or
 *   `?token=`: anyone who reaches the port could otherwise download every job of the farm. On
 *   loopback the machine's own users are trusted, as for the UI itself (docs/roles.md).
 * - **How many.** One export renders at a time and at most four wait; more are answered 503 with
 *   Retry-After. Each export is a burst of synchronous work (tens to hundreds of ms on 8 h of
 *   20 tractors); ten at once ran back to back without yielding and held the event loop for
 *   760 ms, longer than the 400 ms after which a tractor stops itself on losing the station.
 *   Before each export the loop gets a turn (setImmediate), so timers — the heartbeat among
 *   them — run between exports.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodePathSegment, type RequestTarget } from '../sync/index.js';
import type { AccessTokens } from './access-tokens.js';
import { REFERRER_POLICY, errorText, sendJson } from './http-answers.js';

export interface ExportFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A job's export refused for a reason the client can act on (HTTP status and message). */
export class ExportRequestError extends Error {
  override readonly name = 'ExportRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const MAX_EXPORTS_RUNNING = 1;
export const MAX_EXPORTS_WAITING = 4;
/** What a refused client is told to wait, in seconds: about one export's time. */
const RETRY_AFTER_S = 2;

export interface ExportRouteOptions {
  exportJob: (jobId: string, format: string) => Promise<ExportFile>;
  tokens: AccessTokens;
  log(line: string): void;
  /** Counts the answer (route 'export', status). */
  count(status: number): void;
}

export class ExportRoute {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: ExportRouteOptions) {}

  async handle(
    rawJobId: string,
    target: RequestTarget,
    req: IncomingMessage,
    res: ServerResponse,
    needsToken: boolean,
  ): Promise<void> {
    if (needsToken && !this.authorized(req, target)) {
      this.answer(res, 401, { error: 'an export needs a role token on this station' });
      return;
    }
    const jobId = decodePathSegment(rawJobId);
    if (jobId === null) {
      this.answer(res, 400, { error: 'the job id is not valid percent-encoded UTF-8' });
      return;
    }
    if (this.running >= MAX_EXPORTS_RUNNING && this.waiting.length >= MAX_EXPORTS_WAITING) {
      this.answer(
        res,
        503,
        { error: 'the station is busy with other exports: try again shortly' },
        { 'retry-after': String(RETRY_AFTER_S) },
      );
      return;
    }
    await this.slot();
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (res.destroyed) return; // the client left while it waited
      const file = await this.options.exportJob(jobId, target.params.get('format') ?? '');
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'content-disposition': `attachment; filename="${file.fileName.replace(/"/g, '')}"`,
        ...REFERRER_POLICY,
      });
      res.end(file.bytes);
      this.options.count(200);
    } catch (error) {
      const status = error instanceof ExportRequestError ? error.status : 500;
      if (status === 500)
        this.options.log(`server: export of ${jobId} failed: ${errorText(error)}`);
      this.answer(res, status, { error: errorText(error) });
    } finally {
      this.release();
    }
  }

  /** Exports rendering now and waiting (for tests and /metrics). */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private authorized(req: IncomingMessage, target: RequestTarget): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? target.params.get('token') ?? '';
    return token !== '' && this.options.tokens.roleOf(token) !== null;
  }

  private slot(): Promise<void> {
    if (this.running < MAX_EXPORTS_RUNNING) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  private answer(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    sendJson(res, status, body, headers);
    this.options.count(status);
  }
}
