/**
 * One set of role tokens opens the UI bridge and the job document alike (docs/roles.md): the
 * real composition, with stock y-websocket clients on /sync/<job-id>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { startStationRuntime, type StationRuntime } from './station.js';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';

const TOKENS = { admin: 'admin-secret-01', operator: 'operator-secret', viewer: 'viewer-secret-1' };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runtime(simCount = 0): Promise<StationRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-roles-'));
  const started = await startStationRuntime({
    simCount,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    basemapDir: null,
    tokens: TOKENS,
    syncEndpoint: true,
    log: () => undefined,
  });
  cleanups.push(async () => {
    await started.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return started;
}

function replica(rt: StationRuntime, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `ws://127.0.0.1:${rt.port ?? 0}/sync`,
    rt.station.jobId,
    doc,
    {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    },
  );
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  const closed = new Promise<number>((resolve) =>
    provider.once('connection-close', (event: { code: number } | null) =>
      resolve(event?.code ?? 0),
    ),
  );
  return { doc, synced, closed };
}

function writeAck(doc: Y.Doc, by: string): void {
  const job = new JobDoc({ actor: { role: 'station', id: by }, clock: new ManualClock(), doc });
  job.acknowledgeAlert(`alert-${by}`);
}

function stationAcks(rt: StationRuntime): number {
  return rt.station.jobDocument()?.doc.getMap('alertAcks').size ?? 0;
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('who gave a command', () => {
  it('the job document names the operator who moved a section or paused the job', async () => {
    const rt = await runtime(2);
    const ws = new WebSocket(
      `ws://127.0.0.1:${rt.port ?? 0}/api/ws?token=${TOKENS.operator}&name=Anna`,
    );
    await new Promise((resolve) => ws.once('open', resolve));
    const snapshot = rt.station.snapshot();
    const section = snapshot.sections.find((s) => s.tractorId === snapshot.tractors[0]?.id);
    const to = snapshot.tractors[1]?.id;
    if (!section || !to) throw new Error('the demo job has no section to move');
    const replied = new Promise<string>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"op":"result"')) resolve(text);
      }),
    );
    ws.send(
      JSON.stringify({
        op: 'command',
        id: 1,
        command: { type: 'assignSection', sectionId: section.id, tractorId: to },
      }),
    );
    expect(JSON.parse(await replied)).toMatchObject({ result: { ok: true } });
    const paused = new Promise<string>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.includes('"op":"result","id":2')) resolve(text);
      }),
    );
    ws.send(JSON.stringify({ op: 'command', id: 2, command: { type: 'pauseJob' } }));
    expect(JSON.parse(await paused)).toMatchObject({ result: { ok: true } });
    expect(rt.station.jobDocument()?.snapshot().jobMode).toMatchObject({
      mode: 'paused',
      reason: 'paused by Anna (operator)',
    });
    ws.close();
    const ops = rt.station.jobDocument()?.ops() ?? [];
    expect(
      ops.some((op) =>
        op.summary.includes(`${section.id} → ${to}: moved to ${to} by Anna (operator)`),
      ),
    ).toBe(true);
  }, 30_000);
});

describe('role tokens on the sync endpoint', () => {
  it('lets the admin and operator tokens write the job document', async () => {
    const rt = await runtime();
    for (const [n, token] of [TOKENS.operator, TOKENS.admin].entries()) {
      const peer = replica(rt, token);
      await peer.synced;
      writeAck(peer.doc, `peer${n}`);
      await eventually(() => stationAcks(rt) === n + 1);
    }
  });

  it('refuses a write from the viewer token with 4403 and keeps it out of the document', async () => {
    const rt = await runtime();
    const viewer = replica(rt, TOKENS.viewer);
    await viewer.synced;
    writeAck(viewer.doc, 'viewer');
    expect(await viewer.closed).toBe(4403);
    expect(stationAcks(rt)).toBe(0);
  });

  it('refuses a rotated token from the next connection on', async () => {
    const rt = await runtime();
    rt.tokens.rotate('operator');
    expect(await replica(rt, TOKENS.operator).closed).toBe(4401);
    await replica(rt, rt.tokens.tokenOf('operator')).synced;
  });

  it("refuses an operator's shift of the job's frame origin, logs it with the writer and counts it", async () => {
    const rt = await runtime();
    const peer = replica(rt, TOKENS.operator);
    await peer.synced;
    // 45 bytes that would move every logged pass a degree east after the next restart.
    peer.doc.getMap('meta').set('frameOrigin', [11, 52]);
    expect(await peer.closed).toBe(4403);
    const origin = rt.station.jobDocument()?.frameOrigin();
    expect(origin).not.toEqual([11, 52]);
    const metrics = await (await fetch(`http://127.0.0.1:${rt.port ?? 0}/metrics`)).text();
    expect(metrics).toMatch(/^headland_sync_updates_rejected_total\{reason="forbidden"\} 1$/m);
  });
});
