/**
 * The station's face toward browsers and crowds: Host and Origin checks, exports behind a token
 * beyond loopback and one at a time, connection caps per address and role, idle connections
 * closed, and a client that asks without reading dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AccessTokens } from './access-tokens.js';
import type { ConnectionLimitsConfig } from './connection-limits.js';
import { MAX_EXPORTS_RUNNING, MAX_EXPORTS_WAITING, type ExportFile } from './export-route.js';
import { rawRequest, rawWebSocket, upgradeRequest } from './test-helpers/raw-http.js';
import { startServedStation, type ServedStation } from './test-helpers/served-station.js';

let served: ServedStation | null = null;
afterEach(async () => {
  await served?.close();
  served = null;
});

function get(port: number, path: string, headers: Record<string, string>): Promise<string> {
  const lines = [
    `GET ${path} HTTP/1.1`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return rawRequest(port, `${lines.join('\r\n')}\r\n\r\n`);
}

const status = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

/** Opens a bridge socket with `origin`; resolves to 'open' or the HTTP status it was refused with. */
function bridgeFrom(url: string, origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(String(res.statusCode));
      ws.terminate();
    });
    ws.once('error', () => resolve('error'));
  });
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
}

describe('Origin and Host', () => {
  it("accepts WebSockets from the station's own pages and programs, refuses other sites", async () => {
    served = await startServedStation({ tractors: { t1: 't1' } });
    const own = `http://127.0.0.1:${served.port}`;
    expect(await bridgeFrom(served.bridgeUrl, own)).toBe('open');
    expect(await bridgeFrom(served.bridgeUrl)).toBe('open');
    expect(await bridgeFrom(served.bridgeUrl, 'https://evil.example')).toBe('403');
    expect(await bridgeFrom(served.bridgeUrl, 'null')).toBe('403');
    // The same checks guard every upgrade route, the job document's included.
    const sync = await rawRequest(
      served.port,
      upgradeRequest('/sync/job', {
        Host: `127.0.0.1:${served.port}`,
        Origin: 'https://evil.example',
      }),
    );
    expect(status(sync)).toBe(403);
    expect(served.station.snapshot().stops).toEqual([]);
  });

  it('refuses a Host it does not serve (DNS rebinding), serves IP literals, localhost and configured names', async () => {
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: { allowedHosts: ['tractor-laptop.local'] },
    });
    const { port } = served;
    expect(status(await get(port, '/api/state', { Host: `evil.example:${port}` }))).toBe(421);
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `192.168.1.5:${port}`,
      `[::1]:${port}`,
      `tractor-laptop.local:${port}`,
    ])
      expect(status(await get(port, '/api/state', { Host: host }))).toBe(200);
    expect(
      status(
        await get(port, '/api/state', {
          Host: `127.0.0.1:${port}`,
          Origin: 'https://evil.example',
        }),
      ),
    ).toBe(403);
  });

  it('lets a configured origin use the station', async () => {
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: { allowedOrigins: ['https://office.example'] },
    });
    expect(await bridgeFrom(served.bridgeUrl, 'https://office.example')).toBe('open');
  });
});

const FILE: ExportFile = {
  fileName: 'j.csv',
  contentType: 'text/csv',
  bytes: new Uint8Array([65]),
};

describe('exports', () => {
  it('need a role token when the station listens beyond loopback, and none on loopback', async () => {
    const tokens = AccessTokens.generate();
    served = await startServedStation({
      tractors: { t1: 't1' },
      tokens,
      host: '0.0.0.0',
      server: { exportJob: () => Promise.resolve(FILE) },
    });
    const url = `${served.httpBase}/api/export/job-1?format=csv`;
    expect((await fetch(url)).status).toBe(401);
    expect(
      (await fetch(url, { headers: { authorization: 'Bearer not-a-token-at-all' } })).status,
    ).toBe(401);
    const viewer = { authorization: `Bearer ${tokens.tokenOf('viewer')}` };
    expect((await fetch(url, { headers: viewer })).status).toBe(200);
    expect((await fetch(`${url}&token=${tokens.tokenOf('operator')}`)).status).toBe(200);
    await served.close();
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: { exportJob: () => Promise.resolve(FILE) },
    });
    expect((await fetch(`${served.httpBase}/api/export/job-1?format=csv`)).status).toBe(200);
  });

  it('render one at a time: a few wait, the rest are told to retry', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const finishers: (() => void)[] = [];
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: {
        exportJob: () => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          return new Promise<ExportFile>((resolve) =>
            finishers.push(() => {
              inFlight--;
              resolve(FILE);
            }),
          );
        },
      },
    });
    const base = served.httpBase;
    const refused: number[] = [];
    const answers = Array.from({ length: 10 }, () =>
      fetch(`${base}/api/export/j?format=csv`).then((r) => {
        if (r.status === 503) refused.push(r.status);
        return r;
      }),
    );
    // Every request has arrived once the ones beyond the queue were refused; then the exports
    // are finished one by one as they start.
    const beyond = 10 - MAX_EXPORTS_RUNNING - MAX_EXPORTS_WAITING;
    expect(await eventually(() => refused.length === beyond)).toBe(true);
    for (let done = 0; done < MAX_EXPORTS_RUNNING + MAX_EXPORTS_WAITING; done++) {
      expect(await eventually(() => finishers.length > done)).toBe(true);
      finishers[done]?.();
    }
    const statuses = (await Promise.all(answers)).map((r) => r.status).sort();
    expect(mostInFlight).toBe(MAX_EXPORTS_RUNNING);
    expect(statuses.filter((s) => s === 200)).toHaveLength(
      MAX_EXPORTS_RUNNING + MAX_EXPORTS_WAITING,
    );
    expect(statuses.filter((s) => s === 503)).toHaveLength(
      10 - MAX_EXPORTS_RUNNING - MAX_EXPORTS_WAITING,
    );
  });
});

describe('connection caps', () => {
  const SMALL: ConnectionLimitsConfig = {
    perAddress: 4,
    upgradesPerAddress: 3,
    upgradesPerRole: { viewer: 2, operator: 2, admin: 1 },
    idleMs: 300,
  };

  it('refuses WebSockets beyond a role’s and an address’s share, and health still answers', async () => {
    const tokens = AccessTokens.generate();
    served = await startServedStation({
      tractors: { t1: 't1' },
      tokens,
      server: { connectionLimits: SMALL },
    });
    const open: WebSocket[] = [];
    const connect = (query = ''): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${served?.bridgeUrl ?? ''}${query}`);
        ws.once('open', () => {
          open.push(ws);
          resolve('open');
        });
        ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      });
    expect(await connect()).toBe('open');
    expect(await connect()).toBe('open');
    expect(await connect()).toBe('429'); // viewers: 2
    expect(await connect(`?token=${tokens.tokenOf('operator')}`)).toBe('open');
    expect(await connect(`?token=${tokens.tokenOf('operator')}`)).toBe('429'); // this address: 3
    expect(served.server.upgradesByRole()).toEqual({ viewer: 2, operator: 1, admin: 0 });
    expect((await fetch(`${served.httpBase}/api/health`)).status).toBe(200);
    open[0]?.close();
    expect(await eventually(() => served?.server.upgradesByRole().viewer === 1)).toBe(true);
    expect(await connect()).toBe('open');
    for (const ws of open) ws.close();
    const metrics = await (await fetch(`${served.httpBase}/metrics`)).text();
    expect(metrics).toMatch(/headland_http_refused_total\{reason="role-upgrades"\} 1/);
    expect(metrics).toMatch(/headland_http_refused_total\{reason="address-upgrades"\} 1/);
  });

  it('closes a connection that never sends a byte, and refuses one too many from an address', async () => {
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: { connectionLimits: SMALL },
    });
    const { port } = served;
    const idle = await Promise.all(
      Array.from({ length: SMALL.perAddress }, () => rawRequest(port, '', 5_000)),
    );
    // Each silent connection was closed by the station (well before the 5 s the client waits).
    expect(idle).toEqual(Array.from({ length: SMALL.perAddress }, () => ''));
    const held = Array.from({ length: SMALL.perAddress + 1 }, () => rawRequest(port, '', 5_000));
    const started = Date.now();
    // One of them is refused at once; the others are closed when idle.
    await Promise.race(held);
    expect(Date.now() - started).toBeLessThan(SMALL.idleMs);
    await Promise.all(held);
    expect((await fetch(`${served.httpBase}/api/health`)).status).toBe(200);
  });
  it('keeps a download that waits its turn open past the idle limit', async () => {
    const finishers: (() => void)[] = [];
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: {
        connectionLimits: SMALL,
        exportJob: () => new Promise<ExportFile>((resolve) => finishers.push(() => resolve(FILE))),
      },
    });
    const answer = fetch(`${served.httpBase}/api/export/j?format=csv`);
    expect(await eventually(() => finishers.length === 1)).toBe(true);
    // The station's export, not the client, is slow: three idle limits pass before it is done.
    await new Promise((r) => setTimeout(r, SMALL.idleMs * 3));
    finishers[0]?.();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('A');
    // A silent connection is still closed as before.
    expect(await rawRequest(served.port, '', 5_000)).toBe('');
  });
});

describe('a client that asks and never reads', () => {
  it('is dropped once its unsent data passes its cap, and counted', async () => {
    served = await startServedStation({
      tractors: { t1: 't1' },
      server: {
        bridgeLimits: {
          maxQueuedBytes: 64 * 1024,
          requests: { maxMessageBytes: 1_000_000, messagesPerS: 100_000, burst: 100_000 },
        },
      },
    });
    const client = await rawWebSocket(served.port, '/api/ws');
    client.socket.pause(); // never reads again
    for (let id = 0; id < 5_000; id++) client.sendText(JSON.stringify({ op: 'snapshot', id }));
    expect(await eventually(() => served?.server.bridgeClients() === 0, 10_000)).toBe(true);
    client.socket.destroy();
    const metrics = await (await fetch(`${served.httpBase}/metrics`)).text();
    expect(metrics).toMatch(/headland_bridge_dropped_total\{reason="slow-consumer"\} 1/);
  });

  it('is closed with 4429 when it floods requests, after a stop in the flood was carried out', async () => {
    served = await startServedStation({ tractors: { t1: 't1' } });
    const ws = new WebSocket(served.bridgeUrl);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    for (let id = 0; id < 200; id++) ws.send(JSON.stringify({ op: 'snapshot', id }));
    ws.send(JSON.stringify({ op: 'command', id: 999, command: { type: 'fleetStop' } }));
    expect(await closed).toBe(4429);
    expect(await eventually(() => (served?.station.snapshot().stops.length ?? 0) === 1)).toBe(true);
  });
});
