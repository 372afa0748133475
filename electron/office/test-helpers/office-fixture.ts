/** An office on a free loopback port with its own data folder, and clients to talk to it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { HocuspocusMirror, UpdateGate, type JobDoc } from '../../sync/index.js';
import { ManualClock } from '../../time/index.js';
import { startOffice, type Office, type OfficeOptions } from '../office-server.js';

export const NORTH_TOKEN = 'north-station-token';
export const SOUTH_TOKEN = 'south-station-token';
export const VIEWER_TOKEN = 'office-viewer-token';

const cleanups: (() => unknown)[] = [];

/** Runs every cleanup registered since the last call, newest first (call in afterEach). */
export async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

export function onCleanUp(fn: () => unknown): void {
  cleanups.push(fn);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'headland-office-'));
}

export async function testOffice(options: Partial<OfficeOptions> = {}): Promise<Office> {
  const office = await startOffice({
    port: 0,
    host: '127.0.0.1',
    dataDir: tempDir(),
    stations: [
      { stationId: 'north', token: NORTH_TOKEN },
      { stationId: 'south', token: SOUTH_TOKEN },
    ],
    viewerTokens: [VIEWER_TOKEN],
    log: () => undefined,
    ...options,
  });
  cleanups.push(() => office.close());
  return office;
}

export const urlOf = (office: Office): string => `ws://127.0.0.1:${office.port}`;

/** A station's job mirrored to the office, as `serve --upstream` mirrors it. */
export function mirrorJob(
  url: string | readonly string[],
  name: string,
  job: JobDoc,
  token: string,
): HocuspocusMirror {
  const mirror = new HocuspocusMirror({
    url,
    name,
    token,
    doc: job.doc,
    gate: new UpdateGate(job.doc, new ManualClock()),
  });
  cleanups.push(() => mirror.destroy());
  return mirror;
}

export interface Reader {
  readonly doc: Y.Doc;
  readonly provider: HocuspocusProvider;
  /** Resolves with the reason the office gave when it refused or closed this client. */
  readonly refused: Promise<string>;
}

/** A plain Hocuspocus client (a viewer's page, or a rogue) on one document. */
export function openDocument(url: string, name: string, token: string, doc = new Y.Doc()): Reader {
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  let refuse: (reason: string) => void = () => undefined;
  const refused = new Promise<string>((resolve) => (refuse = resolve));
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => refuse(reason),
    onClose: ({ event }) => {
      if (event.reason) refuse(event.reason);
    },
  });
  if (!provider.isAttached) provider.attach();
  cleanups.push(() => {
    provider.destroy();
    socket.destroy();
  });
  return { doc, provider, refused };
}

/** Resolves once `check` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
