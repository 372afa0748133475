import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  BRIDGE_PATH,
  bridgeResponseSchema,
  type BridgeResponse,
  type Command,
} from '../../shared/index.js';
import { validateField } from '../fleet/index.js';
import { LocalFleetBus } from '../link/index.js';
import { FleetKey } from '../safety/index.js';
import { Station } from '../station/index.js';
import { SystemClock } from '../time/index.js';
import { AccessTokens } from './access-tokens.js';
import { StationHttpServer } from './http-server.js';
import { StationMetrics } from './metrics.js';

const SQUARE = validateField({
  name: 'Square',
  boundary: [
    [
      [0, 0],
      [0.002, 0],
      [0.002, 0.002],
      [0, 0.002],
      [0, 0],
    ],
  ],
});
const TOKENS = {
  admin: 'admin-token-0001',
  operator: 'operator-token-01',
  viewer: 'viewer-token-001',
};

let station: Station;
let server: StationHttpServer;
let tokens: AccessTokens;
let wsBase: string;
let logged: string[];

beforeEach(async () => {
  const clock = new SystemClock();
  const bus = new LocalFleetBus({ clock });
  if (!SQUARE.ok) throw new Error('test field is invalid');
  station = new Station({
    clock,
    port: bus.stationPort(),
    field: SQUARE.value,
    plan: { swathWidthM: 20 },
    name: 'test',
    softwareVersion: '9.9.9',
    fleetKey: FleetKey.generate(),
  });
  for (const id of ['t1', 't2'])
    bus.tractorPort(id).send({ kind: 'hello', name: id, implementWidthM: 20, workSpeedMps: 3 });
  await station.whenTractors(2);
  const staticDir = mkdtempSync(join(tmpdir(), 'headland-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const metrics = new StationMetrics({
    tractors: () => station.tractorCount(),
    stopsActive: () => 0,
    fleetMessages: () => bus.deliveredCount(),
  });
  tokens = new AccessTokens(TOKENS);
  logged = [];
  server = new StationHttpServer({
    station,
    metrics,
    clock,
    staticDir,
    softwareVersion: 't',
    tokens,
    log: (line) => logged.push(line),
  });
  wsBase = `ws://127.0.0.1:${await server.listen(0, '127.0.0.1')}${BRIDGE_PATH}`;
});

afterEach(async () => {
  station.close();
  await server.close();
});

interface Client {
  ws: WebSocket;
  /** The next reply that is not a pushed state event. */
  next: () => Promise<BridgeResponse>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(query = ''): Client {
  const ws = new WebSocket(`${wsBase}${query}`);
  const inbox: BridgeResponse[] = [];
  const waiters: ((r: BridgeResponse) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const response = bridgeResponseSchema.parse(JSON.parse(data.toString()));
    if (response.op === 'event') return;
    const waiter = waiters.shift();
    if (waiter) waiter(response);
    else inbox.push(response);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const next = (): Promise<BridgeResponse> => {
    const queued = inbox.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
  };
  return { ws, next, closed };
}

async function send(client: Client, id: number, command: Command): Promise<BridgeResponse> {
  client.ws.send(JSON.stringify({ op: 'command', id, command }));
  return client.next();
}

describe('bridge roles', () => {
  it('tells each connection its role first: a token names it, none makes a viewer', async () => {
    const anonymous = connect();
    expect(await anonymous.next()).toEqual({
      op: 'session',
      session: { name: 'viewer', role: 'viewer' },
    });
    const anna = connect(`?token=${TOKENS.operator}&name=${encodeURIComponent('Anna <b>')}`);
    expect(await anna.next()).toEqual({
      op: 'session',
      session: { name: 'Anna b', role: 'operator' },
    });
    anonymous.ws.close();
    anna.ws.close();
  });

  it('refuses an operator command from a viewer with forbidden and changes nothing', async () => {
    const viewer = connect(`?token=${TOKENS.viewer}`);
    await viewer.next();
    const holderBefore = station.snapshot().sections.map((s) => s.tractorId);
    const modesBefore = station.snapshot().tractors.map((t) => t.mode);
    const refusals: Command[] = [
      { type: 'assignSection', sectionId: station.snapshot().sections[0]!.id, tractorId: 't2' },
      { type: 'setMode', mode: 'manual' },
      { type: 'pauseJob' },
    ];
    for (const [i, command] of refusals.entries()) {
      const reply = await send(viewer, i + 1, command);
      expect(reply).toMatchObject({ op: 'result', id: i + 1, result: { ok: false } });
      if (reply.op !== 'result' || reply.result.ok) throw new Error('expected a refusal');
      expect(reply.result.error.code).toBe('forbidden');
      expect(reply.result.error.message).toContain('operator role');
    }
    expect(station.snapshot().sections.map((s) => s.tractorId)).toEqual(holderBefore);
    expect(station.snapshot().tractors.map((t) => t.mode)).toEqual(modesBefore);
    viewer.ws.close();
  });

  it('accepts a fleet stop from a viewer and names the viewer as who gave it', async () => {
    const viewer = connect(`?token=${TOKENS.viewer}&name=Yard`);
    await viewer.next();
    expect(await send(viewer, 1, { type: 'fleetStop' })).toMatchObject({
      op: 'result',
      result: { ok: true },
    });
    expect(station.snapshot().stops).toMatchObject([{ scope: 'fleet', issuedBy: 'Yard (viewer)' }]);
    // Releasing is an operator's decision.
    const stopId = station.snapshot().stops[0]!.id;
    const release = await send(viewer, 2, { type: 'release', stopId });
    expect(release).toMatchObject({ result: { ok: false, error: { code: 'forbidden' } } });
    viewer.ws.close();
  });

  it('passes an operator command to the station with the operator as actor', async () => {
    const operator = connect(`?token=${TOKENS.operator}&name=Anna`);
    await operator.next();
    expect(await send(operator, 1, { type: 'tractorStop', tractorId: 't1' })).toMatchObject({
      result: { ok: true },
    });
    expect(station.snapshot().stops[0]?.issuedBy).toBe('Anna (operator)');
    operator.ws.close();
  });

  it('closes a connection whose token it does not know with 4401', async () => {
    const stranger = connect('?token=not-a-token-at-all');
    const closed = await stranger.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toContain('unknown token');
  });

  it('lets only an admin rotate a token; the old token stops working at once', async () => {
    const operator = connect(`?token=${TOKENS.operator}`);
    await operator.next();
    operator.ws.send(JSON.stringify({ op: 'rotateToken', id: 1, role: 'viewer' }));
    expect(await operator.next()).toMatchObject({
      op: 'result',
      id: 1,
      result: { ok: false, error: { code: 'forbidden' } },
    });
    expect(tokens.tokenOf('viewer')).toBe(TOKENS.viewer);

    const viewer = connect(`?token=${TOKENS.viewer}`);
    await viewer.next();
    const admin = connect(`?token=${TOKENS.admin}`);
    await admin.next();
    admin.ws.send(JSON.stringify({ op: 'rotateToken', id: 2, role: 'viewer' }));
    const reply = await admin.next();
    if (reply.op !== 'token') throw new Error(`expected a token, got ${reply.op}`);
    expect(reply.token).not.toBe(TOKENS.viewer);
    expect(logged).toEqual(['server: viewer token rotated by admin (admin)']);
    expect((await viewer.closed).reason).toBe('token rotated');
    expect((await connect(`?token=${TOKENS.viewer}`).closed).code).toBe(4401);
    const renewed = connect(`?token=${reply.token}`);
    expect(await renewed.next()).toMatchObject({ session: { role: 'viewer' } });
    // Admins may do what operators may.
    expect(await send(admin, 3, { type: 'pauseJob' })).toMatchObject({ result: { ok: true } });
    for (const c of [operator, admin, renewed]) c.ws.close();
  });
});
