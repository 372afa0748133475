import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BridgeResponse, Command } from '../../shared/index.js';
import { AccessTokens } from './access-tokens.js';
import {
  bridgeClient,
  startServedStation,
  type ServedStation,
} from './test-helpers/served-station.js';

const TOKENS = {
  admin: 'admin-token-0001',
  operator: 'operator-token-01',
  viewer: 'viewer-token-001',
};
const DRAGS = 20;

let served: ServedStation;
beforeEach(async () => {
  served = await startServedStation({
    tractors: { t1: 't1', t2: 't2' },
    tokens: new AccessTokens(TOKENS),
  });
});
afterEach(() => served.close());

describe('STOP ALL over the bridge', () => {
  it('reaches the safety core ahead of the work of every request read with it', async () => {
    const { station } = served;
    const calls: string[] = [];
    const execute = station.execute.bind(station);
    station.execute = (command, actor) => {
      calls.push(command.type);
      return execute(command, actor);
    };
    const fastStop = station.fastStop.bind(station);
    station.fastStop = (actor) => {
      calls.push('fastStop');
      return fastStop(actor);
    };
    const client = bridgeClient(`${served.bridgeUrl}?token=${TOKENS.operator}`);
    await client.next(); // session
    const sectionId = station.snapshot().sections[0]?.id ?? '';
    const replies: Promise<BridgeResponse>[] = [];
    const socket = (client.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    // A burst of drags and then the click, in one write: the station reads them together.
    socket.cork();
    for (let id = 1; id <= DRAGS + 1; id++) {
      const command: Command =
        id <= DRAGS
          ? { type: 'assignSection', sectionId, tractorId: id % 2 ? 't1' : 't2' }
          : { type: 'fleetStop' };
      client.ws.send(JSON.stringify({ op: 'command', id, command }));
      replies.push(client.next());
    }
    socket.uncork();
    const answers = await Promise.all(replies);
    expect(answers.every((a) => a.op === 'result')).toBe(true);
    expect(calls).toHaveLength(DRAGS + 1);
    expect(calls[0]).toBe('fastStop');
    const stop = answers.find((a) => a.op === 'result' && a.result.ok && a.result.stopId);
    expect(stop).toBeDefined();
    expect(station.snapshot().stops.map((s) => s.scope)).toEqual(['fleet']);
    client.ws.close();
  });
});
