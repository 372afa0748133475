import { describe, expect, it } from 'vitest';
import { queryPgn, RequestRefusedError, RequestTimeoutError } from './pgn-query.js';
import { ACK_CONTROL } from './request-ack.js';
import { network, testName } from './test-helpers/network.js';

async function pair() {
  const net = await network([
    { name: testName(1), address: 0x10 },
    { name: testName(2), address: 0x20 },
  ]);
  await net.run(Promise.all(net.nodes.map((n) => n.start())));
  return net;
}

describe('queryPgn', () => {
  it('returns the answer, over TP when it is long', async () => {
    const net = await pair();
    net.nodes[1]!.onRequest(0xfeda, () => new Uint8Array(40).fill(3));
    const answer = await net.run(queryPgn(net.nodes[0]!, net.clock, 0xfeda, 0x20));
    expect(answer).toMatchObject({ pgn: 0xfeda, source: 0x20 });
    expect(answer.data.length).toBe(40);
  });

  it('rejects with the acknowledgement kind when the peer refuses', async () => {
    const net = await pair();
    net.nodes[1]!.onRequest(0xfe45, () => 'access-denied');
    const refused = await net.run(
      queryPgn(net.nodes[0]!, net.clock, 0xfe45, 0x20).catch((e: unknown) => e),
    );
    expect(refused).toBeInstanceOf(RequestRefusedError);
    expect((refused as RequestRefusedError).control).toBe(ACK_CONTROL.ACCESS_DENIED);
    const nack = await net.run(
      queryPgn(net.nodes[0]!, net.clock, 0xfecb, 0x20).catch((e: unknown) => e),
    );
    expect((nack as RequestRefusedError).control).toBe(ACK_CONTROL.NACK);
  });

  it('times out when nobody is at the address', async () => {
    const net = await pair();
    const error = await net.run(
      queryPgn(net.nodes[0]!, net.clock, 0xfeda, 0x55, 500).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
  });
});
