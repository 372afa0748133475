/**
 * The y-websocket endpoint at `/sync/<job-id>?token=…` for the serve/station HTTP server.
 * `ws` runs in noServer mode: the foundation's HTTP server hands upgrade requests to
 * `handleUpgrade`, which returns false for paths that are not ours. A write token makes the
 * peer a remote operator (docs/sync-schema.md, "Who may write what"); the viewer token makes it
 * read-only. A bad token or unknown job is closed
 * with 4401/4404 after the upgrade rather than refused with HTTP 401, because stock providers
 * retry a failed upgrade forever but stop on a 4400–4499 close.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock } from '../time/index.js';
import type { HostedJob } from './hosted-job.js';
import { CLOSE_CODE, type MessageChannel } from './message-channel.js';
import type { PeerLimits } from './peer-limiter.js';
import type { Principal } from './principal.js';
import { decodePathSegment, parseRequestTarget, refuseUpgrade } from './request-target.js';
import { SyncSession } from './sync-session.js';

export const SYNC_PATH_PREFIX = '/sync/';
const JOB_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** RFC 6455 §7.4.1: the server met a condition that kept it from fulfilling the request. */
const CLOSE_CODE_INTERNAL = 1011;

/** Maps a token to the peer role it grants (null: refused), for callers with more roles. */
export type SyncAuthenticator = (token: string) => 'operator' | 'viewer' | null;

export interface SyncEndpointOptions {
  /** The write and viewer tokens, or a function that decides (the station's role tokens). */
  readonly tokens: { readonly write: string; readonly viewer: string } | SyncAuthenticator;
  readonly getJob: (jobId: string) => HostedJob | undefined;
  readonly clock: Clock;
  readonly limits?: PeerLimits;
  /** Unsent data a peer may hold before it is dropped (SYNC_MAX_QUEUED_BYTES). */
  readonly maxQueuedBytes?: number;
  /** Structured log line sink; `sync:` prefixed. */
  readonly log?: (line: string, fields: Record<string, unknown>) => void;
}

export interface SyncEndpointMetrics {
  readonly connections: number;
  readonly sessionsOpened: number;
  /** Peers dropped for leaving too much unsent. */
  readonly slowConsumersDropped: number;
  readonly closedByCode: Readonly<Record<string, number>>;
}

export interface SyncEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
  metrics(): SyncEndpointMetrics;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return expected.length > 0 && a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A peer whose unsent data would pass this is dropped (the `ws` backpressure pattern): it asks
 * (a step 1 costs it a few bytes and the station a whole-job step 2) and does not read. Twice
 * the largest message a peer may send.
 */
export const SYNC_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

function socketChannel(ws: WebSocket, maxQueuedBytes: number, dropped: () => void): MessageChannel {
  return {
    send: (bytes) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount + bytes.byteLength > maxQueuedBytes) {
        dropped();
        ws.terminate();
        return;
      }
      ws.send(bytes);
    },
    onMessage: (cb) => {
      const handler = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => {
        if (!isBinary) {
          ws.close(CLOSE_CODE.malformed, 'binary frames only');
          return;
        }
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        cb(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
      };
      ws.on('message', handler);
      return () => ws.off('message', handler);
    },
    close: (code, reason) => ws.close(code, reason),
  };
}

export function createSyncEndpoint(options: SyncEndpointOptions): SyncEndpoint {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.limits?.maxMessageBytes ?? 16 * 1024 * 1024,
  });
  const sessions = new Set<SyncSession>();
  const closedByCode: Record<string, number> = {};
  let opened = 0;
  let peerNo = 0;
  let slowDropped = 0;
  const log = options.log ?? (() => undefined);
  const { tokens } = options;
  const authenticate: SyncAuthenticator =
    typeof tokens === 'function'
      ? tokens
      : (token) =>
          tokenMatches(token, tokens.write)
            ? 'operator'
            : tokenMatches(token, tokens.viewer)
              ? 'viewer'
              : null;

  const onConnection = (ws: WebSocket, jobId: string, token: string, remote: string): void => {
    ws.on('close', (code) => (closedByCode[String(code)] = (closedByCode[String(code)] ?? 0) + 1));
    const role = authenticate(token);
    if (role === null) {
      log('sync: refused peer, bad token', { jobId, remote });
      ws.close(CLOSE_CODE.unauthorized, 'bad token');
      return;
    }
    const job = JOB_ID.test(jobId) ? options.getJob(jobId) : undefined;
    if (!job) {
      ws.close(CLOSE_CODE.unknownJob, 'unknown job');
      return;
    }
    // Writers are known by role and address: their volume budget (UpdateGate) is shared by
    // every connection from one address, so reconnecting does not renew it.
    const principal: Principal = { role, id: `ws-${role}@${remote}` };
    const peer = ++peerNo;
    const session = new SyncSession({
      doc: job.doc,
      gate: job.gate,
      awareness: job.awareness,
      principal,
      channel: socketChannel(ws, options.maxQueuedBytes ?? SYNC_MAX_QUEUED_BYTES, () => {
        slowDropped++;
        log('sync: peer dropped, too much unsent', { jobId, remote, peer });
      }),
      clock: options.clock,
      ...(options.limits ? { limits: options.limits } : {}),
      onClose: (s) => sessions.delete(s),
    });
    sessions.add(session);
    opened++;
    ws.on('close', () => session.destroy());
    ws.on('error', () => session.destroy());
    log('sync: peer joined', { jobId, remote, role, peer });
    session.start();
  };

  return {
    handleUpgrade(req, socket, head) {
      const parsed = parseRequestTarget(req.url);
      if (!parsed.ok || !parsed.target.path.startsWith(SYNC_PATH_PREFIX)) return false;
      const { path, params } = parsed.target;
      const remote = req.socket.remoteAddress ?? '';
      try {
        const jobId = decodePathSegment(path.slice(SYNC_PATH_PREFIX.length));
        if (jobId === null) {
          log('sync: refused upgrade, malformed job id', { remote });
          refuseUpgrade(socket, '400 Bad Request', 'the job id is not valid percent-encoded UTF-8');
          return true;
        }
        const token = params.get('token') ?? '';
        wss.handleUpgrade(req, socket, head, (ws) => {
          try {
            onConnection(ws, jobId, token, remote);
          } catch (err) {
            log('sync: session could not start', { jobId, remote, error: String(err) });
            ws.close(CLOSE_CODE_INTERNAL, 'internal error');
          }
        });
      } catch (err) {
        // Whatever goes wrong with one upgrade ends that upgrade, never the station.
        log('sync: upgrade failed', { remote, error: String(err) });
        socket.destroy();
      }
      return true;
    },
    async close() {
      for (const ws of wss.clients) ws.close(1001, 'station shutting down');
      for (const s of [...sessions]) s.destroy();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
    },
    metrics: () => ({
      connections: wss.clients.size,
      sessionsOpened: opened,
      slowConsumersDropped: slowDropped,
      closedByCode: { ...closedByCode },
    }),
  };
}
