import { Server } from '@hocuspocus/server';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { HocuspocusMirror } from './hocuspocus-mirror.js';
import { JobDoc } from './job-doc.js';
import { readSnapshot } from './job-read.js';
import type { Principal } from './principal.js';
import { UpdateGate } from './update-gate.js';
import { createStationJob, station } from './test-helpers/builders.js';
import { until } from './test-helpers/net.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(): Promise<string> {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
  await server.listen();
  cleanups.push(() => server.destroy());
  return `ws://127.0.0.1:${server.address.port}`;
}

function mirror(
  url: string,
  job: JobDoc,
  gate = new UpdateGate(job.doc, new ManualClock()),
  principal?: Principal,
): HocuspocusMirror {
  const m = new HocuspocusMirror({
    url,
    name: 'job-1',
    doc: job.doc,
    gate,
    ...(principal ? { principal } : {}),
  });
  cleanups.push(() => m.destroy());
  return m;
}

describe('HocuspocusMirror', () => {
  it('shares a job between two stations through a real Hocuspocus server', async () => {
    const url = await startServer();
    const a = createStationJob(new ManualClock());
    const b = new JobDoc({ actor: station('st2'), clock: new ManualClock() });
    await mirror(url, a).whenSynced();
    // Station b takes the job from the server as a peer station would; the upstream of a station
    // that runs the job is only a remote operator (the next test, and update-gate-roles.test).
    const gateB = new UpdateGate(b.doc, new ManualClock());
    await mirror(url, b, gateB, { role: 'station', id: 'upstream:job-1' }).whenSynced();
    await until(b.doc, () => b.snapshot().jobId === 'job-1');
    expect(b.snapshot()).toEqual(a.snapshot());
    b.assign('s3', 't2', 'office rebalanced');
    await until(a.doc, () => a.snapshot().sections[2]?.tractorId === 't2');
  });

  it('holds upstream writes to a remote operator’s rules: a new frame origin never arrives', async () => {
    const url = await startServer();
    const a = createStationJob(new ManualClock());
    const gate = new UpdateGate(a.doc, new ManualClock());
    const m = mirror(url, a, gate);
    await m.whenSynced();
    const rejected = new Promise<string>((resolve) => gate.onRejection((e) => resolve(e.detail)));
    const rogueDoc = new Y.Doc();
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    const rogue = new HocuspocusProvider({
      websocketProvider: socket,
      name: 'job-1',
      document: rogueDoc,
    });
    if (!rogue.isAttached) rogue.attach();
    cleanups.push(() => {
      rogue.destroy();
      socket.destroy();
    });
    await until(rogueDoc, () => readSnapshot(rogueDoc).jobId === 'job-1');
    rogueDoc.getMap('meta').set('frameOrigin', [11, 52]);
    expect(await rejected).toContain('meta/frameOrigin');
    expect(a.frameOrigin()).toEqual([10, 52]);
  });

  it('holds upstream writes to the gate: an invalid one never reaches the local job', async () => {
    const url = await startServer();
    const a = createStationJob(new ManualClock());
    const gate = new UpdateGate(a.doc, new ManualClock());
    const m = mirror(url, a, gate);
    await m.whenSynced();
    const rejected = new Promise<string>((resolve) => gate.onRejection((e) => resolve(e.reason)));
    // A foreign client writes straight into the server's copy, past any Headland checks.
    const rogueDoc = new Y.Doc();
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    const rogue = new HocuspocusProvider({
      websocketProvider: socket,
      name: 'job-1',
      document: rogueDoc,
    });
    if (!rogue.isAttached) rogue.attach();
    cleanups.push(() => {
      rogue.destroy();
      socket.destroy();
    });
    await until(rogueDoc, () => readSnapshot(rogueDoc).jobId === 'job-1');
    const before = Y.encodeStateAsUpdate(a.doc);
    // Deleting an assignment claim is refused even from a station-level peer.
    const claimKey = [...rogueDoc.getMap('assignments').keys()][0]!;
    rogueDoc.transact(() => {
      rogueDoc.getMap('assignments').delete(claimKey);
      rogueDoc.getMap('evil').set('x', 1);
    });
    expect(await rejected).toBe('forbidden');
    expect(m.status().rejected).toBe(1);
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(before);
    expect(a.doc.share.has('evil')).toBe(false);
    expect(a.snapshot().sections[0]?.tractorId).toBe('t1');
  });
});
