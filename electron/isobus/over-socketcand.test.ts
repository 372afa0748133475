import { afterEach, describe, expect, it } from 'vitest';
import { SocketcandLink, SocketcandServer, VirtualBus, type CanFrame } from '../can/index.js';
import { SystemClock } from '../time/index.js';
import { IsobusNode } from './isobus-node.js';
import type { IsobusMessage } from './transport-protocol.js';
import { payload, testName } from './test-helpers/network.js';
import { toPgnFrame } from './identifier.js';
import { PGN } from './pgn-registry.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function nextMessage(node: IsobusNode, pgn: number): Promise<IsobusMessage> {
  return new Promise((resolve) => {
    const off = node.onPgn(pgn, (m) => {
      off();
      resolve(m);
    });
  });
}

describe('ISOBUS nodes joined over socketcand (as separate processes would be)', () => {
  it('claim addresses and exchange TP and ETP payloads with a node on the station bus', async () => {
    const clock = new SystemClock();
    const bus = new VirtualBus({ clock });
    const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
    const port = await server.listen(0);
    cleanups.push(() => server.close());
    const wire: CanFrame[] = [];
    bus.onWire((f) => wire.push(f));

    const station = new IsobusNode({
      link: bus.createNode('station'),
      clock,
      name: testName(1),
      preferredAddress: 0x26,
    });
    const linkA = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    const linkB = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    cleanups.push(
      () => linkA.close(),
      () => linkB.close(),
    );
    const tractorA = new IsobusNode({
      link: linkA,
      clock,
      name: testName(10),
      preferredAddress: 0x26,
    });
    const tractorB = new IsobusNode({
      link: linkB,
      clock,
      name: testName(11),
      preferredAddress: 0x80,
    });
    cleanups.push(
      () => station.stop(),
      () => tractorA.stop(),
      () => tractorB.stop(),
    );

    const addresses = await Promise.all([station.start(), tractorA.start(), tractorB.start()]);
    expect(addresses[0]).toBe(0x26); // the lower NAME keeps 0x26
    expect(new Set(addresses).size).toBe(3);
    expect(station.peers().size).toBe(2);

    const tp = payload(1785, 5);
    const atB = nextMessage(tractorB, 0xef00);
    await tractorA.send(0xef00, tp, { destination: tractorB.address! });
    expect(Buffer.from((await atB).data).equals(Buffer.from(tp))).toBe(true);

    const etp = payload(6000, 6);
    const atStation = nextMessage(station, 0xef00);
    await tractorA.send(0xef00, etp, { destination: 0x26 });
    expect(Buffer.from((await atStation).data).equals(Buffer.from(etp))).toBe(true);

    // The station bus saw the claims of the remote tractors and the ETP control traffic.
    const pgns = new Set(wire.map((f) => toPgnFrame(f)?.pgn));
    expect(pgns.has(PGN.ADDRESS_CLAIMED)).toBe(true);
    expect(pgns.has(PGN.ETP_CM)).toBe(true);
    expect(pgns.has(PGN.TP_DT)).toBe(true);
  });
});
