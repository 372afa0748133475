import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stationSnapshotSchema } from '../../shared/index.js';
import type { Station } from '../station/index.js';
import { SystemClock } from '../time/index.js';
import { AccessTokens } from './access-tokens.js';
import { StationHttpServer } from './http-server.js';
import { StationMetrics } from './metrics.js';
import {
  bridgeClient,
  startServedStation,
  type ServedStation,
} from './test-helpers/served-station.js';

let served: ServedStation;
let station: Station;
let base: string;

beforeEach(async () => {
  served = await startServedStation({ tractors: { t1: 'Tractor 1' } });
  station = served.station;
  base = served.httpBase;
});

afterEach(() => served.close());

/** A bridge connection, open; state pushes and the session greeting are skipped. */
async function openBridge(): Promise<ReturnType<typeof bridgeClient>> {
  const client = bridgeClient(served.bridgeUrl, ['event', 'session']);
  await client.opened;
  return client;
}

describe('station HTTP server', () => {
  it('reports health with version and tractor count', async () => {
    const health = (await (await fetch(`${base}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', version: '9.9.9', tractors: 1 });
    expect(typeof health.uptimeS).toBe('number');
  });

  it('serves a snapshot that satisfies the contract', async () => {
    const state = stationSnapshotSchema.parse(await (await fetch(`${base}/api/state`)).json());
    expect(state.tractors.map((t) => t.id)).toEqual(['t1']);
    expect(state.job.id).toBe(station.jobId);
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/^headland_tractors 1$/m);
  });

  it('serves the UI with a Content-Security-Policy, cross-origin isolated, and refuses paths outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const traversal = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).toContain('<title>t</title>');
    expect((await fetch(`${base}/api/nope`)).status).toBe(404);
    expect((await fetch(`${base}/api/state`, { method: 'POST' })).status).toBe(405);
  });

  it('answers bad bridge messages with an error and keeps the connection', async () => {
    const { ws, next } = await openBridge();
    ws.send('not json');
    expect(await next()).toMatchObject({ op: 'error', id: null });
    ws.send(JSON.stringify({ op: 'command', id: 7, command: { type: 'launchMissiles' } }));
    expect(await next()).toMatchObject({ op: 'error', id: 7 });
    ws.send(
      JSON.stringify({ op: 'command', id: 8, command: { type: 'tractorStop', tractorId: 't1' } }),
    );
    const reply = await next();
    expect(reply).toMatchObject({ op: 'result', id: 8, result: { ok: true } });
    expect(station.snapshot().stops).toHaveLength(1);
    ws.close();
  });
});

describe('basemap tiles', () => {
  it('serves tiles from the basemap folder and nothing else under /basemap/', async () => {
    const tiles = mkdtempSync(join(tmpdir(), 'headland-tiles-'));
    mkdirSync(join(tiles, '15', '3'), { recursive: true });
    writeFileSync(join(tiles, '15', '3', '7.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const clock = new SystemClock();
    const metrics = new StationMetrics({
      tractors: () => 0,
      stopsActive: () => 0,
      fleetMessages: () => 0,
    });
    const withTiles = new StationHttpServer({
      station,
      metrics,
      clock,
      staticDir: tiles,
      basemapDir: tiles,
      softwareVersion: 't',
      tokens: AccessTokens.generate(),
    });
    const url = `http://127.0.0.1:${await withTiles.listen(0, '127.0.0.1')}`;
    const tile = await fetch(`${url}/basemap/15/3/7.png`);
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${url}/basemap/15/3/8.png`)).status).toBe(404);
    expect((await fetch(`${url}/basemap/tiles.json`)).status).toBe(404);
    await withTiles.close();
  });
});
