import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../shared/index.js';
import { AccessTokens } from './access-tokens.js';
import { ExportRequestError } from './export-route.js';
import { rawRequest, upgradeRequest } from './test-helpers/raw-http.js';
import {
  bridgeClient,
  startServedStation,
  type ServedStation,
} from './test-helpers/served-station.js';

let served: ServedStation | null = null;
afterEach(async () => {
  await served?.close();
  served = null;
});

async function healthy(base: string): Promise<boolean> {
  const res = await fetch(`${base}/api/health`);
  return res.status === 200 && ((await res.json()) as { status: string }).status === 'ok';
}

describe('hostile requests end the request, never the station', () => {
  it('answers malformed request targets with 400, on plain requests and on upgrades', async () => {
    served = await startServedStation({ tractors: { t1: 't1' } });
    const { port } = served;
    const plain = (target: string): string =>
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    expect(await rawRequest(port, plain('http://[x/api/state'))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(port, upgradeRequest('http://[x/sync/a'))).toMatch(/^HTTP\/1\.1 400 /);
    expect(await rawRequest(port, upgradeRequest('/nowhere'))).toMatch(/^HTTP\/1\.1 404 /);
    expect(await healthy(served.httpBase)).toBe(true);
  });

  it('answers an upgrade whose route throws with 500 and logs it', async () => {
    const logged: string[] = [];
    served = await startServedStation({
      tractors: { t1: 't1' },
      log: (line) => logged.push(line),
      server: {
        upgradeRoutes: [
          () => {
            throw new Error('route exploded');
          },
        ],
      },
    });
    expect(await rawRequest(served.port, upgradeRequest('/sync/job'))).toMatch(/^HTTP\/1\.1 500 /);
    expect(logged.some((l) => l.includes('route exploded'))).toBe(true);
    expect(await healthy(served.httpBase)).toBe(true);
  });

  it('answers an export of a malformed job id with 400, not 500', async () => {
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: {
        exportJob: (jobId) => Promise.reject(new ExportRequestError(404, `no job ${jobId}`)),
      },
    });
    const bad = await fetch(`${served.httpBase}/api/export/%ZZ?format=csv`);
    expect(bad.status).toBe(400);
    expect((await fetch(`${served.httpBase}/api/export/nope?format=csv`)).status).toBe(404);
  });

  it('sends no referrer from any page or answer', async () => {
    served = await startServedStation({ tractors: { t1: 't1' } });
    for (const path of ['/', '/api/health', '/api/state', '/metrics', '/api/nope'])
      expect((await fetch(`${served.httpBase}${path}`)).headers.get('referrer-policy')).toBe(
        'no-referrer',
      );
  });

  it('answers a bridge command whose execution throws as failed, and keeps serving', async () => {
    const logged: string[] = [];
    const tokens = AccessTokens.generate();
    served = await startServedStation({
      tractors: { t1: 't1' },
      tokens,
      log: (line) => logged.push(line),
      // Fault injection: the station's disk fails while it carries out a pause.
      source: (station) => ({
        jobId: station.jobId,
        snapshot: () => station.snapshot(),
        subscribe: (listener) => station.subscribe(listener),
        tractorCount: () => station.tractorCount(),
        execute: (command: Command, actor?: string) =>
          command.type === 'pauseJob'
            ? Promise.reject(new Error('EMFILE: too many open files'))
            : station.execute(command, actor),
      }),
    });
    const { ws, next, opened } = bridgeClient(
      `${served.bridgeUrl}?token=${tokens.tokenOf('operator')}`,
      ['event', 'session'],
    );
    await opened;
    ws.send(JSON.stringify({ op: 'command', id: 1, command: { type: 'pauseJob' } }));
    expect(await next()).toMatchObject({
      op: 'result',
      id: 1,
      result: { ok: false, error: { code: 'unavailable' } },
    });
    expect(logged.some((l) => l.includes('EMFILE'))).toBe(true);
    ws.send(JSON.stringify({ op: 'command', id: 2, command: { type: 'fleetStop' } }));
    expect(await next()).toMatchObject({ op: 'result', id: 2, result: { ok: true } });
    ws.close();
  });

  it('builds one snapshot per tick, whatever the number of clients and requests', async () => {
    let built = 0;
    served = await startServedStation({
      tractors: { t1: 't1' },
      source: (station) => ({
        jobId: station.jobId,
        snapshot: () => {
          built++;
          return station.snapshot();
        },
        subscribe: (listener) => station.subscribe(listener),
        tractorCount: () => station.tractorCount(),
        execute: (command, actor) => station.execute(command, actor),
      }),
    });
    const clients = Array.from({ length: 20 }, () =>
      bridgeClient(served?.bridgeUrl ?? '', ['event', 'session']),
    );
    await Promise.all(clients.map((c) => c.opened));
    const started = Date.now();
    const replies = clients.flatMap((c, n) =>
      Array.from({ length: 10 }, (_, i) => {
        c.ws.send(JSON.stringify({ op: 'snapshot', id: n * 100 + i }));
        return c.next();
      }),
    );
    const states = Array.from({ length: 50 }, () => fetch(`${served?.httpBase ?? ''}/api/state`));
    await Promise.all([...replies, ...states]);
    const ticks = Math.ceil((Date.now() - started) / 200) + 1;
    // 20 connections, 200 snapshot requests and 50 GETs: at most one snapshot per 200 ms tick.
    expect(built).toBeLessThanOrEqual(ticks + 1);
    for (const c of clients) c.ws.close();
  });
});
