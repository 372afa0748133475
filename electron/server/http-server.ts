/**
 * The headless station's HTTP face on 127.0.0.1: the built renderer, the JSON API
 * (/api/health, /api/state), Prometheus /metrics, and WebSocket upgrades (the UI bridge at
 * /api/ws; further endpoints such as /sync/<job> register an upgrade route).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BRIDGE_PATH } from '../../shared/index.js';
import {
  decodePathSegment,
  parseRequestTarget,
  refuseUpgrade,
  type RequestTarget,
} from '../sync/index.js';
import type { StationSource } from './station-source.js';
import type { Clock } from '../time/index.js';
import type { AccessTokens } from './access-tokens.js';
import { BridgeSocket } from './bridge-socket.js';
import type { StationMetrics } from './metrics.js';
import { BASEMAP_URL_PATH } from './basemap-dir.js';
import { readStaticFile } from './static-files.js';

/** Content-Security-Policy for the UI (Electron security checklist item 7; same in the browser). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The UI is cross-origin isolated: no other origin's window can hold a reference to it, and it
 * loads nothing from other origins (everything, basemap tiles included, is served from here).
 * Isolation also gives the page fine-grained timers, which the UI benchmark's frame times use.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
} as const;

/**
 * No page of the station leaks its address to another site: the operator's link carries the
 * role token in its query until the page takes it out (OWASP Secure Headers, Referrer-Policy).
 */
export const REFERRER_POLICY = { 'referrer-policy': 'no-referrer' } as const;

/** Downloads of a job's export: /api/export/<job-id>?format=isoxml|shapefile|geojson|kml|csv. */
export const EXPORT_PATH = '/api/export/';

/** Handles an upgrade for its path; returns false to let another route try. */
export type UpgradeRoute = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export interface HttpServerOptions {
  station: StationSource;
  metrics: StationMetrics;
  /** Role tokens of the UI bridge (docs/roles.md). */
  tokens: AccessTokens;
  /** Log line sink (stderr in serve): admin actions are logged here. */
  log?: (line: string) => void;
  clock: Clock;
  staticDir: string;
  /** Folder of XYZ tiles served under /basemap/, if any. */
  basemapDir?: string | null;
  softwareVersion: string;
  upgradeRoutes?: UpgradeRoute[];
  /**
   * Renders a job of the data folder for download (GET /api/export/<job>?format=…); absent
   * when the station keeps no data folder.
   */
  exportJob?: (jobId: string, format: string) => Promise<ExportFile>;
}

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

export class StationHttpServer {
  private readonly server: Server;
  private readonly bridge: BridgeSocket;
  private readonly startedAtMs: number;

  constructor(private readonly options: HttpServerOptions) {
    this.startedAtMs = options.clock.now();
    this.bridge = new BridgeSocket(
      options.station,
      options.metrics,
      options.tokens,
      options.log ?? (() => undefined),
    );
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => this.failed(res, err));
    });
    this.server.on('upgrade', (req, socket, head) => {
      // Node leaves an upgraded socket without an error listener: a reset would be uncaught.
      socket.on('error', () => socket.destroy());
      try {
        this.upgrade(req, socket, head);
      } catch (err) {
        this.log(`server: upgrade ${describeTarget(req)} failed: ${errorText(err)}`);
        refuseUpgrade(socket, '500 Internal Server Error');
      }
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
  }

  /** Starts listening; resolves to the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  bridgeClients(): number {
    return this.bridge.clientCount();
  }

  async close(): Promise<void> {
    this.bridge.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private log(line: string): void {
    (this.options.log ?? (() => undefined))(line);
  }

  /** A request whose handling threw: it is answered (or cut), logged, and nothing else happens. */
  private failed(res: ServerResponse, err: unknown): void {
    this.log(`server: request failed: ${errorText(err)}`);
    if (res.headersSent) res.destroy();
    else this.json(res, 500, { error: 'internal error' }, 'error');
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) return refuseUpgrade(socket, '400 Bad Request');
    if (parsed.target.path === BRIDGE_PATH)
      return this.bridge.handleUpgrade(req, socket, head, parsed.target);
    for (const route of this.options.upgradeRoutes ?? []) if (route(req, socket, head)) return;
    refuseUpgrade(socket, '404 Not Found');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.options.clock.now();
    const parsed = parseRequestTarget(req.url);
    if (!parsed.ok) {
      this.json(res, 400, { error: parsed.problem }, 'other');
      return;
    }
    const target = parsed.target;
    const path = target.path;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.json(res, 405, { error: `method ${req.method ?? ''} not allowed` }, 'other');
      return;
    }
    if (path === '/api/health') {
      this.json(
        res,
        200,
        {
          status: 'ok',
          version: this.options.softwareVersion,
          tractors: this.options.station.tractorCount(),
          uptimeS: (this.options.clock.now() - this.startedAtMs) / 1000,
          jobId: this.options.station.jobId,
        },
        'health',
      );
    } else if (path === '/api/state') {
      this.json(res, 200, this.options.station.snapshot(), 'state');
    } else if (path === '/metrics') {
      const text = await this.options.metrics.text();
      res.writeHead(200, {
        'content-type': this.options.metrics.registry.contentType,
        ...REFERRER_POLICY,
      });
      res.end(text);
      this.options.metrics.httpRequests.inc({ route: 'metrics', status: '200' });
    } else if (path.startsWith(BASEMAP_URL_PATH)) {
      await this.serveTile(path.slice(BASEMAP_URL_PATH.length - 1), res);
    } else if (path.startsWith(EXPORT_PATH)) {
      await this.serveExport(path.slice(EXPORT_PATH.length), target, res);
    } else if (path.startsWith('/api/')) {
      this.json(res, 404, { error: `no API route ${path}` }, 'other');
    } else {
      await this.serveStatic(path, res);
    }
    this.options.metrics.httpLatency.observe(
      { route: routeLabel(path) },
      (this.options.clock.now() - started) / 1000,
    );
  }

  private async serveTile(path: string, res: ServerResponse): Promise<void> {
    const file =
      this.options.basemapDir && /^\/\d+\/\d+\/\d+\.(png|jpg|webp)$/.test(path)
        ? await readStaticFile(this.options.basemapDir, path)
        : null;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...REFERRER_POLICY });
      res.end('no such tile\n');
      this.options.metrics.httpRequests.inc({ route: 'basemap', status: '404' });
      return;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'cache-control': 'max-age=86400',
      ...REFERRER_POLICY,
    });
    res.end(file.body);
    this.options.metrics.httpRequests.inc({ route: 'basemap', status: '200' });
  }

  private async serveStatic(path: string, res: ServerResponse): Promise<void> {
    const file =
      (await readStaticFile(this.options.staticDir, path)) ??
      (await readStaticFile(this.options.staticDir, '/index.html'));
    if (!file) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...REFERRER_POLICY });
      res.end('The renderer is not built: run `npm run build` (npm run serve does it for you).\n');
      this.options.metrics.httpRequests.inc({ route: 'static', status: '503' });
      return;
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      ...CROSS_ORIGIN_ISOLATION,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
      ...REFERRER_POLICY,
    });
    res.end(file.body);
    this.options.metrics.httpRequests.inc({ route: 'static', status: '200' });
  }

  private async serveExport(
    rawJobId: string,
    target: RequestTarget,
    res: ServerResponse,
  ): Promise<void> {
    const exportJob = this.options.exportJob;
    const format = target.params.get('format') ?? '';
    if (!exportJob) {
      this.json(res, 404, { error: 'this station keeps no data folder to export from' }, 'export');
      return;
    }
    const jobId = decodePathSegment(rawJobId);
    if (jobId === null) {
      this.json(res, 400, { error: 'the job id is not valid percent-encoded UTF-8' }, 'export');
      return;
    }
    try {
      const file = await exportJob(jobId, format);
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.bytes.length),
        'content-disposition': `attachment; filename="${file.fileName.replace(/"/g, '')}"`,
        ...REFERRER_POLICY,
      });
      res.end(file.bytes);
      this.options.metrics.httpRequests.inc({ route: 'export', status: '200' });
    } catch (error) {
      const status = error instanceof ExportRequestError ? error.status : 500;
      if (status === 500) this.log(`server: export of ${jobId} failed: ${errorText(error)}`);
      this.json(res, status, { error: errorText(error) }, 'export');
    }
  }

  private json(res: ServerResponse, status: number, body: unknown, route: string): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...REFERRER_POLICY,
    });
    res.end(JSON.stringify(body));
    this.options.metrics.httpRequests.inc({ route, status: String(status) });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The request line for a log: method and target, cut short and without control characters. */
function describeTarget(req: IncomingMessage): string {
  return `${req.method ?? '?'} ${(req.url ?? '').slice(0, 120)}`.replace(/[^\x20-\x7e]/g, '?');
}

function routeLabel(path: string): string {
  if (path === '/api/health') return 'health';
  if (path === '/api/state') return 'state';
  if (path === '/metrics') return 'metrics';
  return path.startsWith('/api/') ? 'other' : 'static';
}
