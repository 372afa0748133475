import * as Y from 'yjs';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../time/index.js';
import { type HostedJob, hostJob } from './hosted-job.js';
import { JobDoc } from './job-doc.js';
import { readSnapshot } from './job-read.js';
import { createSyncEndpoint } from './ws-endpoint.js';
import { createStationJob, station } from './test-helpers/builders.js';
import { listenWithEndpoint, once, rawRequest, until } from './test-helpers/net.js';

const TOKENS = { write: 'w-secret', viewer: 'v-secret' };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serveJob(maxQueuedBytes?: number): Promise<{
  job: JobDoc;
  hosted: HostedJob;
  port: number;
  logged: string[];
  endpoint: ReturnType<typeof createSyncEndpoint>;
}> {
  const job = createStationJob(new ManualClock());
  const logged: string[] = [];
  const hosted = hostJob('job-1', job.doc, new SystemClock(), {
    log: (line, f) => logged.push(`${line} ${String(f['reason'])}`),
  });
  const endpoint = createSyncEndpoint({
    tokens: TOKENS,
    getJob: (id) => (id === 'job-1' ? hosted : undefined),
    clock: new SystemClock(),
    ...(maxQueuedBytes === undefined ? {} : { maxQueuedBytes }),
  });
  const { port, close } = await listenWithEndpoint(endpoint);
  cleanups.push(close, () => hosted.destroy());
  return { job, hosted, port, logged, endpoint };
}

function provider(
  port: number,
  token: string,
  room = 'job-1',
): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const p = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  cleanups.push(() => {
    p.destroy();
    doc.destroy(); // ends the provider's awareness interval
  });
  return { doc, provider: p };
}

describe('sync WebSocket endpoint', () => {
  it('lets a stock y-websocket provider sync a job and exchange live updates', async () => {
    const { job, port } = await serveJob();
    const client = provider(port, TOKENS.write);
    await once<boolean>((cb) => client.provider.once('sync', cb));
    expect(readSnapshot(client.doc)).toEqual(job.snapshot());
    job.setJobMode('running', 'go');
    await until(client.doc, () => readSnapshot(client.doc).jobMode?.mode === 'running');
    const remote = new JobDoc({
      actor: station('office'),
      clock: new ManualClock(),
      doc: client.doc,
    });
    remote.assign('s1', 't2', 'from the office');
    await until(job.doc, () => job.snapshot().sections[0]?.tractorId === 't2');
  });

  it('gives viewers read access and ends their session with 4403 when they write', async () => {
    const { job, hosted, port, logged } = await serveJob();
    const viewer = provider(port, TOKENS.viewer);
    await once<boolean>((cb) => viewer.provider.once('sync', cb));
    expect(readSnapshot(viewer.doc).jobId).toBe('job-1');
    const closed = once<{ code: number }>((cb) => viewer.provider.once('closed', cb));
    viewer.doc.getMap('alertAcks').set('a1', { by: 'viewer', atMs: 1 });
    expect((await closed).code).toBe(4403);
    expect(job.doc.getMap('alertAcks').size).toBe(0);
    expect(hosted.gate.stats.byReason.forbidden).toBe(1);
    expect(logged).toEqual(['sync: rejected update forbidden']);
  });

  it('closes with 4401 on a bad token and 4404 on an unknown job', async () => {
    const { port } = await serveJob();
    const bad = provider(port, 'nope');
    expect((await once<{ code: number }>((cb) => bad.provider.once('closed', cb))).code).toBe(4401);
    const lost = provider(port, TOKENS.write, 'job-404');
    expect((await once<{ code: number }>((cb) => lost.provider.once('closed', cb))).code).toBe(
      4404,
    );
  });

  it('ends a session that sends a malformed update with 4400 and keeps the doc intact', async () => {
    const { job, port } = await serveJob();
    const before = Y.encodeStateAsUpdate(job.doc);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/job-1?token=${TOKENS.write}`);
    cleanups.push(() => ws.terminate());
    await once<undefined>((cb) => ws.once('open', () => cb(undefined)));
    const closed = once<number>((cb) => ws.once('close', (code: number) => cb(code)));
    ws.send(new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5]));
    expect(await closed).toBe(4400);
    expect(Y.encodeStateAsUpdate(job.doc)).toEqual(before);
  });

  it('answers a malformed upgrade target with 400 or leaves it, and keeps serving', async () => {
    const { job, port } = await serveJob();
    const upgrade = (target: string): string =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    expect(await rawRequest(port, upgrade('/sync/%ZZ'))).toMatch(/^HTTP\/1\.1 400 /);
    // An absolute form that is no URL is not a sync path: the HTTP server decides (here: closed).
    expect(await rawRequest(port, upgrade('http://[x/sync/a'))).not.toMatch(/101 Switching/);
    const client = provider(port, TOKENS.viewer);
    await once<boolean>((cb) => client.provider.once('sync', cb));
    expect(readSnapshot(client.doc).jobId).toBe(job.snapshot().jobId);
  });

  it('drops a peer that asks for the whole job again and again and never reads', async () => {
    const { job, port, endpoint } = await serveJob(256 * 1024);
    // A job of some size: each answer to a step 1 is then about 200 KB.
    for (let i = 0; i < 2_000; i++)
      job.raiseAlert({ id: `a${i}`, kind: 'k', severity: 'info', message: 'm'.repeat(60) });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/job-1?token=${TOKENS.viewer}`);
    cleanups.push(() => ws.terminate());
    await once<undefined>((cb) => ws.once('open', () => cb(undefined)));
    // Stop reading: the station's answers pile up on its side.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const step1 = new Uint8Array([0, 0, 1, 0]); // sync, step 1, an empty state vector
    for (let i = 0; i < 300; i++) ws.send(step1);
    const dropped = (): boolean => endpoint.metrics().slowConsumersDropped === 1;
    for (let waited = 0; !dropped() && waited < 10_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(dropped()).toBe(true);
    expect(endpoint.metrics().connections).toBe(0);
  });

  it('leaves other upgrade paths to the HTTP server', () => {
    const endpoint = createSyncEndpoint({
      tokens: TOKENS,
      getJob: () => undefined,
      clock: new SystemClock(),
    });
    cleanups.push(() => endpoint.close());
    const req = { url: '/bridge', socket: {} } as unknown as Parameters<
      typeof endpoint.handleUpgrade
    >[0];
    expect(endpoint.handleUpgrade(req, null as never, Buffer.alloc(0))).toBe(false);
  });
});
