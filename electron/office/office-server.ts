/**
 * The farm office: a Hocuspocus 3.4 server that holds every station's jobs (docs/office.md).
 * Its own HTTP server carries the WebSocket (Hocuspocus's engine, this folder's hooks) and the
 * overview route; documents persist in SQLite (`OfficeStore` under Hocuspocus's Database
 * extension) and, with Redis, are shared with other office nodes (Hocuspocus's Redis
 * extension: updates and awareness between nodes, a lock around each store).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Database as DatabaseExtension } from '@hocuspocus/extension-database';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import { WebSocketServer } from 'ws';
import type * as Y from 'yjs';
import { DEFAULT_PEER_LIMITS } from '../sync/index.js';
import { SystemClock, type Clock } from '../time/index.js';
import {
  officeDocumentName,
  parseOfficeDocumentName,
  type OfficeDocument,
} from './document-name.js';
import type { OfficeJobSummary, StationSnapshot } from '../../shared/index.js';
import { HOLD_IDLE_MS, HeldDocuments } from './held-documents.js';
import { handleOfficeRequest } from './jobs-route.js';
import { docFromState, summarizeJob } from './job-summary.js';
import { officeJobView } from './job-view.js';
import { OfficeAccess, type StationToken } from './office-access.js';
import { OfficeStore } from './office-store.js';
import { refusalReason, updateCheck, type RefusalEvent } from './update-check.js';

export interface OfficeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly stations: readonly StationToken[];
  readonly viewerTokens: readonly string[];
  /** Share documents and awareness with other office nodes through this Redis server. */
  readonly redis?: { readonly host: string; readonly port: number };
  /** Largest message a client may send: the station's own cap on a sync peer by default. */
  readonly maxMessageBytes?: number;
  /** The built renderer, whose office page is served at `/`; none without it. */
  readonly staticDir?: string;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

export interface Office {
  readonly port: number;
  readonly hocuspocus: Hocuspocus;
  /** Every refusal so far, newest last (the tests read them; the log has each one). */
  readonly refusals: readonly RefusalEvent[];
  jobs(): OfficeJobSummary[];
  /** One job as the office page's map shows it; null if the office holds no such job. */
  jobView(name: OfficeDocument): StationSnapshot | null;
  close(): Promise<void>;
}

/** Refusals kept for `Office.refusals`. */
const MAX_KEPT_REFUSALS = 100;

class AccessRefused extends Error {
  override readonly name = 'AccessRefused';
  /** Hocuspocus sends this to the client as the reason permission was denied. */
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The part of an ioredis client the start waits on. */
interface ReadyClient {
  readonly status: string;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

function isReadyClient(client: unknown): client is ReadyClient {
  return typeof client === 'object' && client !== null && 'status' in client && 'once' in client;
}

/** How long the office waits for Redis at start before it gives up. */
const REDIS_READY_TIMEOUT_MS = 10_000;

/**
 * Resolves once a Redis client is ready. The subscriber must be ready before the first
 * document subscribes: ioredis 5.11 sends its ready check (INFO) on a connection that has
 * meanwhile entered subscriber mode, fails it, and the node then hears nothing from the others
 * (redis/ioredis#2037).
 */
function untilReady(client: ReadyClient): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', ready);
      reject(new Error(`cannot reach Redis within ${REDIS_READY_TIMEOUT_MS / 1000} s`));
    }, REDIS_READY_TIMEOUT_MS);
    function ready(): void {
      clearTimeout(timer);
      resolve();
    }
    client.once('ready', ready);
  });
}

export async function startOffice(options: OfficeOptions): Promise<Office> {
  const clock = options.clock ?? new SystemClock();
  const log = options.log ?? ((line: string) => console.error(line));
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_PEER_LIMITS.maxMessageBytes;
  const access = new OfficeAccess(options.stations, options.viewerTokens);
  const store = new OfficeStore(options.dataDir);
  const lastUpdate = new Map<string, number>();
  const refusals: RefusalEvent[] = [];
  const unloadWaiters = new Set<() => void>();

  const officeHooks: Extension = {
    extensionName: 'headland-office',
    onAuthenticate({ token, documentName, connectionConfig }) {
      const granted = access.access(token, documentName);
      if (!granted.ok) {
        log(`office: refused to open ${documentName}: ${granted.reason}`);
        return Promise.reject(new AccessRefused(granted.reason));
      }
      connectionConfig.readOnly = granted.readOnly;
      return Promise.resolve({ principal: granted.principal });
    },
    onChange({ documentName }) {
      lastUpdate.set(documentName, clock.wallNow());
      return Promise.resolve();
    },
    afterUnloadDocument() {
      for (const wake of unloadWaiters) wake();
      return Promise.resolve();
    },
  };
  const check = updateCheck({
    maxMessageBytes,
    onRefused: (event) => {
      refusals.push(event);
      if (refusals.length > MAX_KEPT_REFUSALS) refusals.shift();
      const who = event.principal ? `${event.principal.role} ${event.principal.id}` : 'a client';
      log(`office: ${refusalReason(event)} (${who}, ${event.documentName}, ${event.bytes} bytes)`);
    },
  });
  const database = new DatabaseExtension({
    fetch: ({ documentName }) => Promise.resolve(store.fetch(documentName)),
    store: ({ documentName, state }) => {
      store.store(documentName, state, clock.wallNow());
      return Promise.resolve();
    },
  });
  const extensions: Extension[] = [officeHooks, check, database];
  if (options.redis) {
    const redis = new RedisExtension({
      host: options.redis.host,
      port: options.redis.port,
      prefix: 'headland-office',
    });
    extensions.push(redis);
    try {
      const clients = ([redis.pub, redis.sub] as unknown[]).filter(isReadyClient);
      // ioredis retries a lost Redis for ever and reports every try: log each problem once.
      const heard = new Set<string>();
      for (const client of clients)
        client.on('error', (err) => {
          if (heard.has(err.message)) return;
          heard.add(err.message);
          log(`office: redis: ${err.message}`);
        });
      await Promise.all(clients.map((client) => untilReady(client)));
    } catch (err) {
      store.close();
      await redis.onDestroy();
      throw err;
    }
  }
  const hocuspocus = new Hocuspocus({ name: 'headland-office', quiet: true, extensions });

  const held = new HeldDocuments({
    open: (name) => hocuspocus.openDirectConnection(name, { held: true }),
    clock,
    idleMs: HOLD_IDLE_MS,
    log,
  });

  /** Reads a document as it is now: the open copy, or the stored one. */
  const withDoc = <T>(name: string, read: (doc: Y.Doc) => T): T => {
    const live = hocuspocus.documents.get(name);
    const doc = live ?? docFromState(store.fetch(name) ?? new Uint8Array([0, 0]));
    try {
      return read(doc);
    } finally {
      if (!live) doc.destroy();
    }
  };

  const jobs = (): OfficeJobSummary[] => {
    const names = new Map(store.list().map((d) => [d.name, d.storedAtMs]));
    for (const name of hocuspocus.documents.keys()) if (!names.has(name)) names.set(name, 0);
    const out: OfficeJobSummary[] = [];
    for (const [name, storedAtMs] of names) {
      const parsed = parseOfficeDocumentName(name);
      if (!parsed) continue;
      const heard = lastUpdate.get(name) ?? (storedAtMs > 0 ? storedAtMs : null);
      const summary = withDoc(name, (doc) => summarizeJob(parsed, doc, heard));
      if (summary) out.push(summary);
    }
    return out;
  };

  const jobView = (name: OfficeDocument): StationSnapshot | null =>
    withDoc(officeDocumentName(name.stationId, name.jobId), (doc) => officeJobView(name, doc));

  const http: HttpServer = createServer((req, res) => {
    handleOfficeRequest(req, res, {
      isViewer: (t) => access.isViewer(t),
      staticDir: options.staticDir ?? null,
      // A page is looking: keep what it reads open here, so its next read is live.
      jobs: () => {
        const listed = jobs();
        for (const j of listed) held.hold(officeDocumentName(j.stationId, j.jobId));
        return { jobs: listed, nowMs: clock.wallNow() };
      },
      jobView: (name) => {
        const view = jobView(name);
        if (view) held.hold(officeDocumentName(name.stationId, name.jobId));
        return view;
      },
    }).catch((err: unknown) => {
      log(`office: request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  // A message past the cap is refused by the hook with its reason; ws drops one far past it
  // before it is held in memory whole.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 2 * maxMessageBytes });
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', (err) => log(`office: socket error: ${err.message}`));
      hocuspocus.handleConnection(ws, req);
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });

  return {
    port,
    hocuspocus,
    refusals,
    jobs,
    jobView,
    close: once(async () => {
      http.close();
      wss.close();
      await held.close();
      // Closing the connections unloads each document, storing it first.
      const unloaded = new Promise<void>((resolve) => {
        const settle = (): void => {
          if (hocuspocus.getDocumentsCount() > 0) return;
          unloadWaiters.delete(settle);
          resolve();
        };
        unloadWaiters.add(settle);
        settle();
      });
      hocuspocus.closeConnections();
      await unloaded;
      for (const ws of wss.clients) ws.terminate();
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus });
      store.close();
    }),
  };
}

/** `fn` run at most once; later calls get the first call's promise. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= fn());
}
