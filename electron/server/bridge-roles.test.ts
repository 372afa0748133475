import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeResponse, Command } from '../../shared/index.js';
import type { Station } from '../station/index.js';
import { AccessTokens } from './access-tokens.js';
import {
  bridgeClient,
  startServedStation,
  type BridgeClient,
  type ServedStation,
} from './test-helpers/served-station.js';

const TOKENS = {
  admin: 'admin-token-0001',
  operator: 'operator-token-01',
  viewer: 'viewer-token-001',
};

let served: ServedStation;
let station: Station;
let tokens: AccessTokens;
let logged: string[];

beforeEach(async () => {
  tokens = new AccessTokens(TOKENS);
  logged = [];
  served = await startServedStation({
    tractors: { t1: 't1', t2: 't2' },
    tokens,
    log: (line) => logged.push(line),
  });
  station = served.station;
});

afterEach(() => served.close());

const connect = (query = ''): BridgeClient => bridgeClient(`${served.bridgeUrl}${query}`);

async function send(client: BridgeClient, id: number, command: Command): Promise<BridgeResponse> {
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

  it('takes a connection whose token it does not know for a viewer that may stop, and says why', async () => {
    const stranger = connect('?token=not-a-token-at-all');
    const session = await stranger.next();
    expect(session).toMatchObject({ op: 'session', session: { role: 'viewer' } });
    expect(session.op === 'session' ? session.session.note : '').toContain('not valid here');
    expect(await send(stranger, 1, { type: 'pauseJob' })).toMatchObject({
      result: { ok: false, error: { code: 'forbidden' } },
    });
    expect(await send(stranger, 2, { type: 'fleetStop' })).toMatchObject({
      result: { ok: true },
    });
    stranger.ws.close();
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
    const stale = connect(`?token=${TOKENS.viewer}`);
    const staleSession = await stale.next();
    expect(staleSession.op === 'session' ? staleSession.session.note : '').toContain(
      'not valid here',
    );
    stale.ws.close();
    const renewed = connect(`?token=${reply.token}`);
    expect(await renewed.next()).toMatchObject({ session: { role: 'viewer' } });
    // Admins may do what operators may.
    expect(await send(admin, 3, { type: 'pauseJob' })).toMatchObject({ result: { ok: true } });
    for (const c of [operator, admin, renewed]) c.ws.close();
  });
});
