/**
 * A station on a square test field with a few tractors, served by a StationHttpServer on
 * loopback, and a bridge client that hands out replies in order (the server tests share it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BRIDGE_PATH, bridgeResponseSchema, type BridgeResponse } from '../../../shared/index.js';
import { squareField } from '../../fleet/test-helpers/fields.js';
import { LocalFleetBus } from '../../link/index.js';
import { FleetKey } from '../../safety/index.js';
import { Station } from '../../station/index.js';
import { SystemClock } from '../../time/index.js';
import { AccessTokens } from '../access-tokens.js';
import { StationHttpServer, type HttpServerOptions } from '../http-server.js';
import type { StationSource } from '../station-source.js';
import { StationMetrics } from '../metrics.js';

const SQUARE = squareField(0.002);

export interface ServedStationOptions {
  /** Tractor ids and the names they say hello with. */
  tractors: Record<string, string>;
  tokens?: AccessTokens;
  log?: (line: string) => void;
  /** What the server serves instead of the station itself (e.g. a fault-injecting wrapper). */
  source?: (station: Station) => StationSource;
  /** Further server options (upgrade routes, exports, allowed hosts…). */
  server?: Partial<HttpServerOptions>;
  /** Listen address (loopback by default); the tests reach it at 127.0.0.1 either way. */
  host?: string;
}

export interface ServedStation {
  station: Station;
  server: StationHttpServer;
  /** http://127.0.0.1:PORT */
  httpBase: string;
  port: number;
  metrics: StationMetrics;
  /** ws://127.0.0.1:PORT/<bridge path> */
  bridgeUrl: string;
  close(): Promise<void>;
}

export async function startServedStation(options: ServedStationOptions): Promise<ServedStation> {
  const clock = new SystemClock();
  const bus = new LocalFleetBus({ clock });
  const station = new Station({
    clock,
    port: bus.stationPort(),
    field: SQUARE,
    plan: { swathWidthM: 20 },
    name: 'test',
    softwareVersion: '9.9.9',
    fleetKey: FleetKey.generate(),
  });
  const tractors = Object.entries(options.tractors);
  for (const [id, name] of tractors)
    bus.tractorPort(id).send({ kind: 'hello', name, implementWidthM: 20, workSpeedMps: 3 });
  await station.whenTractors(tractors.length);
  const staticDir = mkdtempSync(join(tmpdir(), 'headland-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const metrics = new StationMetrics({
    tractors: () => station.tractorCount(),
    stopsActive: () => 0,
    fleetMessages: () => bus.deliveredCount(),
  });
  const server = new StationHttpServer({
    station: options.source ? options.source(station) : station,
    metrics,
    clock,
    staticDir,
    softwareVersion: '9.9.9',
    tokens: options.tokens ?? AccessTokens.generate(),
    ...(options.log ? { log: options.log } : {}),
    ...options.server,
  });
  const port = await server.listen(0, options.host ?? '127.0.0.1');
  return {
    station,
    server,
    port,
    metrics,
    httpBase: `http://127.0.0.1:${port}`,
    bridgeUrl: `ws://127.0.0.1:${port}${BRIDGE_PATH}`,
    close: async () => {
      station.close();
      await server.close();
    },
  };
}

export interface BridgeClient {
  ws: WebSocket;
  /** The next reply that is not skipped. */
  next: () => Promise<BridgeResponse>;
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * Connects to the bridge; replies whose op is in `skip` (state pushes by default) are dropped,
 * and so are the bridge's alive messages.
 */
export function bridgeClient(
  url: string,
  skip: readonly BridgeResponse['op'][] = ['event'],
): BridgeClient {
  const ws = new WebSocket(url);
  const inbox: BridgeResponse[] = [];
  const waiters: ((r: BridgeResponse) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const response = bridgeResponseSchema.parse(JSON.parse(data.toString()));
    if (response.op === 'alive' || skip.includes(response.op)) return;
    const waiter = waiters.shift();
    if (waiter) waiter(response);
    else inbox.push(response);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  opened.catch(() => undefined); // a refused connection is what some tests wait for
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = (): Promise<BridgeResponse> => {
    const queued = inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
  };
  return { ws, next, opened, closed };
}
