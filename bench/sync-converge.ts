/**
 * sync.converge_ws_ms and its peers: 20 replicas of the job connected over WebSocket on
 * loopback, a partition (every replica offline, each writing an alert and an assignment, the
 * server's copy pausing the job), then the heal: the time from reconnecting every replica until
 * each replica's state vector equals the server's. Three servers, the same job, the same
 * replicas and the same heal:
 *  - ours: Headland's sync endpoint (y-websocket protocol, every write through the update gate),
 *    replicas on y-websocket's WebsocketProvider;
 *  - the stock y-websocket server (@y/websocket-server's setupWSConnection), the same provider;
 *  - a Hocuspocus server (@hocuspocus/server), replicas on HocuspocusProvider.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { Server as HocuspocusServer } from '@hocuspocus/server';
import { docs as yWebsocketDocs, getYDoc, setupWSConnection } from '@y/websocket-server/utils';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { JobDoc, createSyncEndpoint, hostJob } from '../electron/sync/index.js';
import type { SystemClock } from '../electron/time/index.js';

export const REPLICAS = 20;
const JOB_ID = 'bench-job';
const TOKENS = { write: 'bench-write', viewer: 'bench-view' };

export type ConvergeServerKind = 'headland' | 'y-websocket-server' | 'hocuspocus';

interface Replica {
  doc: Y.Doc;
  synced: Promise<void>;
  /** Closes the connection; resolves once it is closed. */
  disconnect(): Promise<void>;
  connect(): void;
  destroy(): void;
}

interface Hosted {
  /** The server's copy of the job. */
  doc: Y.Doc;
  replica(i: number): Replica;
  close(): Promise<void>;
}

const sv = (doc: Y.Doc): string => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closeHttp(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function yWebsocketReplica(url: string, room: string, params: Record<string, string>): Replica {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
  });
  return {
    doc,
    synced: new Promise((resolve) => provider.once('sync', () => resolve())),
    disconnect: () =>
      new Promise<void>((resolve) => {
        const onStatus = ({ status }: { status: string }): void => {
          if (status !== 'disconnected') return;
          provider.off('status', onStatus);
          resolve();
        };
        provider.on('status', onStatus);
        provider.disconnect();
      }),
    connect: () => provider.connect(),
    destroy: () => {
      provider.destroy();
      // The provider's Awareness keeps an interval until its doc is destroyed (y-protocols).
      doc.destroy();
    },
  };
}

async function hostHeadland(seed: Uint8Array, clock: SystemClock): Promise<Hosted> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, seed);
  const hosted = hostJob(JOB_ID, doc, clock);
  hosted.gate.onRejection((e) => {
    throw new Error(`bench peer rejected: ${e.reason} ${e.detail}`);
  });
  const endpoint = createSyncEndpoint({
    tokens: TOKENS,
    getJob: (id) => (id === JOB_ID ? hosted : undefined),
    clock,
  });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => {
    if (!endpoint.handleUpgrade(req, socket, head)) socket.destroy();
  });
  const port = await listen(server);
  return {
    doc,
    replica: () =>
      yWebsocketReplica(`ws://127.0.0.1:${port}/sync`, JOB_ID, { token: TOKENS.write }),
    close: async () => {
      await endpoint.close();
      hosted.destroy();
      await closeHttp(server);
      doc.destroy();
    },
  };
}

async function hostYWebsocketServer(seed: Uint8Array, run: number): Promise<Hosted> {
  // The stock server keeps its documents in a module-wide map by name: one name per run.
  const name = `${JOB_ID}-${run}`;
  const doc = getYDoc(name);
  Y.applyUpdate(doc, seed);
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (conn, req) => setupWSConnection(conn, req, { docName: name }));
  const server = createServer();
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
  const port = await listen(server);
  return {
    doc,
    replica: () => yWebsocketReplica(`ws://127.0.0.1:${port}`, name, {}),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeHttp(server);
      yWebsocketDocs.delete(name);
      doc.destroy();
    },
  };
}

async function hostHocuspocus(seed: Uint8Array): Promise<Hosted> {
  const server = new HocuspocusServer({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    onLoadDocument: () => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, seed);
      return Promise.resolve(doc);
    },
  });
  await server.listen();
  // A direct connection keeps the document loaded while every replica is away (Hocuspocus
  // unloads a document when its last connection closes).
  const direct = await server.hocuspocus.openDirectConnection(JOB_ID, {});
  const doc = direct.document;
  if (!doc) throw new Error('bench: Hocuspocus did not load the job');
  const url = `ws://127.0.0.1:${server.address.port}`;
  return {
    doc,
    replica: () => {
      const replicaDoc = new Y.Doc();
      const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
      const provider = new HocuspocusProvider({
        websocketProvider: socket,
        name: JOB_ID,
        document: replicaDoc,
      });
      if (!provider.isAttached) provider.attach();
      return {
        doc: replicaDoc,
        synced: new Promise((resolve) => provider.on('synced', () => resolve())),
        disconnect: () =>
          new Promise<void>((resolve) => {
            const onDisconnect = (): void => {
              socket.off('disconnect', onDisconnect);
              resolve();
            };
            socket.on('disconnect', onDisconnect);
            socket.disconnect();
          }),
        connect: () => void socket.connect(),
        destroy: () => {
          provider.destroy();
          socket.destroy();
          replicaDoc.destroy();
        },
      };
    },
    close: async () => {
      await direct.disconnect();
      await server.destroy();
    },
  };
}

/** One partition heal on `kind`; ms from reconnecting every replica to every one equal. */
export async function convergeOnce(
  kind: ConvergeServerKind,
  seed: Uint8Array,
  clock: SystemClock,
  run: number,
): Promise<number> {
  const hosted =
    kind === 'headland'
      ? await hostHeadland(seed, clock)
      : kind === 'y-websocket-server'
        ? await hostYWebsocketServer(seed, run)
        : await hostHocuspocus(seed);
  const replicas = Array.from({ length: REPLICAS }, (_, i) => hosted.replica(i));
  try {
    await Promise.all(replicas.map((r) => r.synced));
    // Partition: everyone goes offline and keeps working. Wait until each socket is really
    // closed, so connect() opens at once instead of backing off.
    await Promise.all(replicas.map((r) => r.disconnect()));
    const station = new JobDoc({ actor: { role: 'station', id: 'st1' }, clock, doc: hosted.doc });
    station.setJobMode('paused', 'partition');
    replicas.forEach((r, i) => {
      const job = new JobDoc({ actor: { role: 'station', id: `office${i}` }, clock, doc: r.doc });
      job.raiseAlert({
        id: `offline-${run}-${i}`,
        kind: 'link',
        severity: 'warning',
        message: 'working offline',
      });
      job.assign(`s${(i % 20) + 1}`, `t${((i + 1) % 20) + 1}`, 'offline rebalance');
    });
    const allEqual = (): boolean => {
      const target = sv(hosted.doc);
      return replicas.every((r) => sv(r.doc) === target);
    };
    const t0 = performance.now();
    const done = new Promise<void>((resolve) => {
      const check = (): void => {
        if (allEqual()) resolve();
      };
      for (const r of replicas) r.doc.on('update', check);
      hosted.doc.on('update', check);
    });
    for (const r of replicas) r.connect();
    await done;
    return performance.now() - t0;
  } finally {
    for (const r of replicas) r.destroy();
    await hosted.close();
  }
}
