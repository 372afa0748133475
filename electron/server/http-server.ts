/**
 * The headless station's HTTP face on 127.0.0.1: the built renderer, the JSON API
 * (/api/health, /api/state), Prometheus /metrics, and WebSocket upgrades (the UI bridge at
 * /api/ws; further endpoints such as /sync/<job> register an upgrade route).
 *
 * Hostile input ends the request, never the station: every request and upgrade is parsed
 * without throwing, checked for Host and Origin (request-guard.ts) and counted against its
 * address and role (connection-limits.ts) before any route runs, and whatever a route throws
 * is answered and logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BRIDGE_PATH } from '../../shared/index.js';
import { BRIDGE_TOKEN_PARAM, type Role } from '../../shared/index.js';
import { parseRequestTarget, refuseUpgrade } from '../sync/index.js';
import type { StationSource } from './station-source.js';
import type { Clock } from '../time/index.js';
import type { AccessTokens } from './access-tokens.js';
import { BridgeSocket, type BridgeLimits } from './bridge-socket.js';
import {
  ConnectionLimits,
  connectionBudget,
  type ConnectionLimitsConfig,
} from './connection-limits.js';
import { ExportRoute, type ExportFile } from './export-route.js';
import { REFERRER_POLICY, errorText, sendJson } from './http-answers.js';
import type { StationMetrics } from './metrics.js';
import { BASEMAP_URL_PATH } from './basemap-dir.js';
import { RequestGuard } from './request-guard.js';
import { SnapshotCache } from './snapshot-cache.js';
import { serveStatic, serveTile } from './static-files.js';

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
  /** Host names served besides IP literals and localhost (serve --allow-host). */
  allowedHosts?: readonly string[];
  /** Page origins allowed besides the station's own (serve --allow-origin). */
  allowedOrigins?: readonly string[];
  connectionLimits?: ConnectionLimitsConfig;
  /** What one bridge client may cost (bridge-socket.ts); the defaults there when absent. */
  bridgeLimits?: BridgeLimits;
}

/** Loopback listen addresses: only this machine's users reach the station. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export class StationHttpServer {
  private readonly server: Server;
  private readonly bridge: BridgeSocket;
  private readonly startedAtMs: number;
  private readonly guard: RequestGuard;
  private readonly limits: ConnectionLimits;
  private readonly snapshots: SnapshotCache;
  private readonly exports: ExportRoute | null;
  /** Set by listen(): a station reachable from other machines asks exports for a token. */
  private beyondLoopback = true;

  constructor(private readonly options: HttpServerOptions) {
    this.startedAtMs = options.clock.now();
    this.guard = new RequestGuard({
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    });
    this.limits = new ConnectionLimits(options.connectionLimits);
    this.snapshots = new SnapshotCache(options.station, options.clock);
    this.bridge = new BridgeSocket(
      options.station,
      options.metrics,
      options.tokens,
      options.log ?? (() => undefined),
      this.snapshots,
      options.clock,
      options.bridgeLimits,
    );
    this.exports = options.exportJob
      ? new ExportRoute({
          exportJob: options.exportJob,
          tokens: options.tokens,
          log: (line) => this.log(line),
          count: (status) =>
            options.metrics.httpRequests.inc({ route: 'export', status: String(status) }),
        })
      : null;
    this.server = createServer((req, res) => {
      // Silence while the station works on the answer is not the client's; once the answer is
      // handed over, a client that stops reading it times out like any silent one.
      this.limits.requestStarted(req.socket);
      this.route(req, res)
        .catch((err: unknown) => this.failed(res, err))
        .finally(() => this.limits.requestEnded(req.socket));
    });
    this.server.maxConnections = connectionBudget();
    this.server.on('connection', (socket) => {
      const refused = this.limits.accept(socket);
      if (!refused) return;
      options.metrics.refused.inc({ reason: refused });
      socket.destroy();
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
    this.beyondLoopback = !isLoopback(host);
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

  /** Open WebSockets per role. */
  upgradesByRole(): Record<Role, number> {
    return this.limits.upgradesByRole();
  }

  async close(): Promise<void> {
    this.snapshots.close();
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
    const verdict = this.guard.judge(req.headers);
    if (!verdict.ok) {
      this.options.metrics.refused.inc({ reason: verdict.reason });
      const status = verdict.status === 421 ? '421 Misdirected Request' : '403 Forbidden';
      return refuseUpgrade(socket, status, verdict.message);
    }
    // The role its token names (none or an unknown one counts as a viewer: it is refused right
    // after the upgrade anyway).
    const token = parsed.target.params.get(BRIDGE_TOKEN_PARAM) ?? '';
    const role = (token === '' ? null : this.options.tokens.roleOf(token)) ?? 'viewer';
    const refused = this.limits.admitUpgrade(socket, role);
    if (refused) {
      this.options.metrics.refused.inc({ reason: refused });
      return refuseUpgrade(socket, '429 Too Many Requests', 'too many connections');
    }
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
    const verdict = this.guard.judge(req.headers);
    if (!verdict.ok) {
      this.options.metrics.refused.inc({ reason: verdict.reason });
      this.json(res, verdict.status, { error: verdict.message }, 'refused');
      return;
    }
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
      // The snapshot of this tick, built once for every client (snapshot-cache.ts).
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...REFERRER_POLICY,
      });
      res.end(this.snapshots.json());
      this.options.metrics.httpRequests.inc({ route: 'state', status: '200' });
    } else if (path === '/metrics') {
      const text = await this.options.metrics.text();
      res.writeHead(200, {
        'content-type': this.options.metrics.registry.contentType,
        ...REFERRER_POLICY,
      });
      res.end(text);
      this.options.metrics.httpRequests.inc({ route: 'metrics', status: '200' });
    } else if (path.startsWith(BASEMAP_URL_PATH)) {
      await serveTile(
        this.options.basemapDir ?? null,
        path.slice(BASEMAP_URL_PATH.length - 1),
        res,
      );
      this.options.metrics.httpRequests.inc({ route: 'basemap', status: String(res.statusCode) });
    } else if (path.startsWith(EXPORT_PATH)) {
      if (this.exports)
        await this.exports.handle(
          path.slice(EXPORT_PATH.length),
          target,
          req,
          res,
          this.beyondLoopback,
        );
      else
        this.json(
          res,
          404,
          { error: 'this station keeps no data folder to export from' },
          'export',
        );
    } else if (path.startsWith('/api/')) {
      this.json(res, 404, { error: `no API route ${path}` }, 'other');
    } else {
      await serveStatic(this.options.staticDir, path, res);
      this.options.metrics.httpRequests.inc({ route: 'static', status: String(res.statusCode) });
    }
    this.options.metrics.httpLatency.observe(
      { route: routeLabel(path) },
      (this.options.clock.now() - started) / 1000,
    );
  }

  private json(res: ServerResponse, status: number, body: unknown, route: string): void {
    sendJson(res, status, body);
    this.options.metrics.httpRequests.inc({ route, status: String(status) });
  }
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
