import { describe, expect, it } from 'vitest';
import type { CanFrame } from '../can/index.js';
import { decodeIdentifier, NULL_ADDRESS } from './identifier.js';
import { nameFromBytes, nameToBytes } from './iso-name.js';
import { CannotClaimError } from './isobus-node.js';
import { PGN } from './pgn-registry.js';
import { network, testName } from './test-helpers/network.js';

describe('address claim (ISO 11783-5)', () => {
  it('claims the preferred address after the request, the random delay and the 250 ms wait', async () => {
    const net = await network([{ name: testName(1), address: 0x80 }]);
    const seen: CanFrame[] = [];
    net.bus.onWire((f) => seen.push(f));
    const started = net.nodes[0]!.start();
    net.clock.advance(249);
    expect(net.nodes[0]!.address).toBeUndefined();
    const address = await net.run(started);
    expect(address).toBe(0x80);
    const ids = seen.map((f) => decodeIdentifier(f.id));
    expect(ids[0]).toMatchObject({ pgn: PGN.REQUEST, source: NULL_ADDRESS });
    expect(ids[1]).toMatchObject({ pgn: PGN.ADDRESS_CLAIMED, source: 0x80 });
    // The claim waited at least 250 ms + the pseudo-random delay, at most 250 + 153 ms.
    const claimAt = seen[1]!.timestampMs! - net.clock.wallNow() + net.clock.now();
    expect(claimAt).toBeGreaterThanOrEqual(250);
    expect(claimAt).toBeLessThanOrEqual(404);
  });

  it('resolves contention by NAME: the lower NAME keeps the address, a self-configurable loser moves', async () => {
    const net = await network([
      { name: testName(2), address: 0x26 },
      { name: testName(1), address: 0x26 },
    ]);
    const [a, b] = await net.run(Promise.all([net.nodes[0]!.start(), net.nodes[1]!.start()]));
    expect(b).toBe(0x26);
    expect(a).toBe(128);
    expect(net.nodes[0]!.peers().get(0x26)).toBe(testName(1));
  });

  it('takes the address from a lower-priority node that already holds it', async () => {
    const net = await network([
      { name: testName(9), address: 0x90 },
      { name: testName(3), address: 0x90 },
    ]);
    await net.run(net.nodes[0]!.start());
    expect(net.nodes[0]!.address).toBe(0x90);
    const b = await net.run(net.nodes[1]!.start());
    expect(b).toBe(0x90);
    await net.run(new Promise((r) => setTimeout(r, 0)), 1000);
    expect(net.nodes[0]!.address).toBe(128);
  });

  it('sends cannot-claim when a node that is not self-configurable loses', async () => {
    const fixed = testName(5, { selfConfigurable: false });
    const net = await network([
      { name: testName(1, { selfConfigurable: false }), address: 0x30 },
      { name: fixed, address: 0x30 },
    ]);
    const seen: CanFrame[] = [];
    net.bus.onWire((f) => seen.push(f));
    await net.run(net.nodes[0]!.start());
    await expect(net.run(net.nodes[1]!.start())).rejects.toBeInstanceOf(CannotClaimError);
    net.clock.advance(200);
    const cannot = seen.filter(
      (f) =>
        decodeIdentifier(f.id).pgn === PGN.ADDRESS_CLAIMED &&
        decodeIdentifier(f.id).source === NULL_ADDRESS,
    );
    expect(cannot).toHaveLength(1);
    expect(nameFromBytes(cannot[0]!.data)).toBe(fixed);
    expect(net.nodes[1]!.state).toBe('cannot-claim');
  });

  it('answers a request for Address Claimed', async () => {
    const net = await network([
      { name: testName(1), address: 0x81 },
      { name: testName(2), address: 0x82 },
    ]);
    await net.run(Promise.all(net.nodes.map((n) => n.start())));
    const claims: number[] = [];
    net.bus.onWire((f) => {
      const d = decodeIdentifier(f.id);
      if (d.pgn === PGN.ADDRESS_CLAIMED) claims.push(d.source);
    });
    await net.nodes[0]!.request(PGN.ADDRESS_CLAIMED, 0x82);
    net.clock.advance(10);
    expect(claims).toEqual([0x82]);
    await net.nodes[0]!.request(PGN.ADDRESS_CLAIMED);
    net.clock.advance(10);
    expect(claims).toEqual([0x82, 0x82]); // the requester itself answers only others' requests
  });

  it('moves to a commanded address', async () => {
    const net = await network([
      { name: testName(1), address: 0x10 },
      { name: testName(2), address: 0x20 },
    ]);
    await net.run(Promise.all(net.nodes.map((n) => n.start())));
    const data = new Uint8Array(9);
    data.set(nameToBytes(testName(2)));
    data[8] = 0x42;
    await net.run(net.nodes[0]!.send(PGN.COMMANDED_ADDRESS, data));
    await net.run(net.nodes[1]!.whenClaimed());
    net.clock.advance(300);
    expect(net.nodes[1]!.address).toBe(0x42);
    expect(net.nodes[0]!.peers().get(0x42)).toBe(testName(2));
    expect(net.nodes[0]!.peers().has(0x20)).toBe(false);
  });

  it('gives 20 nodes starting together 20 distinct addresses', async () => {
    const specs = Array.from({ length: 20 }, (_, i) => ({
      name: testName(100 + i),
      address: 0x80 + (i % 5),
    }));
    const net = await network(specs);
    const addresses = await net.run(Promise.all(net.nodes.map((n) => n.start())));
    net.clock.advance(1000);
    const final = net.nodes.map((n) => n.address);
    expect(addresses).toHaveLength(20);
    expect(new Set(final).size).toBe(20);
    expect(final.every((a) => a !== undefined)).toBe(true);
  });
});
