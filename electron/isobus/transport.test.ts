import { describe, expect, it } from 'vitest';
import type { CanFrame } from '../can/index.js';
import { decodeIdentifier, GLOBAL_ADDRESS } from './identifier.js';
import { TransportAbortError, type IsobusNode } from './isobus-node.js';
import { PGN } from './pgn-registry.js';
import { ABORT_REASON, TIMING } from './transport-messages.js';
import type { IsobusMessage, SessionEndInfo } from './transport-protocol.js';
import { network, payload, testName } from './test-helpers/network.js';

async function pair(transport = {}, seed = 1) {
  const net = await network(
    [
      { name: testName(1), address: 0x10 },
      { name: testName(2), address: 0x20 },
      { name: testName(3), address: 0x30 },
    ],
    transport,
    seed,
  );
  await net.run(Promise.all(net.nodes.map((n) => n.start())));
  const inbox = (node: IsobusNode): IsobusMessage[] => {
    const list: IsobusMessage[] = [];
    node.onMessage((m) => list.push(m));
    return list;
  };
  return { ...net, inbox };
}

describe('transport protocol', () => {
  it('carries a 1785-byte message with CMDT, windows and EoMA', async () => {
    const net = await pair();
    const got = net.inbox(net.nodes[1]!);
    const data = payload(1785);
    await net.run(net.nodes[0]!.send(0xef00, data, { destination: 0x20 }));
    const msg = got.find((m) => m.pgn === 0xef00)!;
    expect(msg).toMatchObject({ source: 0x10, destination: 0x20 });
    expect(Buffer.from(msg.data).equals(Buffer.from(data))).toBe(true);
    expect(net.nodes[0]!.activeSessions() + net.nodes[1]!.activeSessions()).toBe(0);
  });

  it('broadcasts with BAM at the standard 50 ms packet gap', async () => {
    const net = await pair();
    const atB = net.inbox(net.nodes[1]!);
    const atC = net.inbox(net.nodes[2]!);
    const t0 = net.clock.now();
    await net.run(net.nodes[0]!.send(0xfe00 | 0x21, payload(20)));
    net.clock.advance(5);
    expect(net.clock.now() - t0).toBeGreaterThanOrEqual(3 * TIMING.BAM_INTERVAL_MS);
    for (const inbox of [atB, atC]) {
      const m = inbox.find((x) => x.pgn === 0xfe21)!;
      expect(m.destination).toBe(GLOBAL_ADDRESS);
      expect(Buffer.from(m.data).equals(Buffer.from(payload(20)))).toBe(true);
    }
  });

  it('moves 1 MB with ETP (DPO per window)', async () => {
    const net = await pair();
    const got = net.inbox(net.nodes[1]!);
    const data = payload(1024 * 1024, 7);
    const ends: SessionEndInfo[] = [];
    net.nodes[1]!.onSessionEnd((e) => ends.push(e));
    await net.run(net.nodes[0]!.send(0xef00, data, { destination: 0x20 }), 200_000);
    const msg = got.find((m) => m.pgn === 0xef00)!;
    expect(Buffer.from(msg.data).equals(Buffer.from(data))).toBe(true);
    expect(ends).toEqual([
      {
        direction: 'rx',
        kind: 'etp',
        peer: 0x10,
        pgn: 0xef00,
        size: data.length,
        result: { ok: true },
      },
    ]);
  });

  it('runs several sessions at once with different peers', async () => {
    const net = await pair();
    const atB = net.inbox(net.nodes[1]!);
    const atA = net.inbox(net.nodes[0]!);
    await net.run(
      Promise.all([
        net.nodes[0]!.send(0xef00, payload(500, 1), { destination: 0x20 }),
        net.nodes[2]!.send(0xef00, payload(3000, 2), { destination: 0x20 }),
        net.nodes[1]!.send(0xef00, payload(900, 3), { destination: 0x10 }),
        net.nodes[0]!.send(0xef00, payload(40, 4), { destination: 0x20 }), // queued behind the first
        net.nodes[2]!.send(0xfe22, payload(30, 5)),
      ]),
    );
    net.clock.advance(100);
    expect(atB.filter((m) => m.pgn === 0xef00).map((m) => [m.source, m.data.length])).toEqual(
      expect.arrayContaining([
        [0x10, 500],
        [0x30, 3000],
        [0x10, 40],
      ]),
    );
    expect(atA.find((m) => m.pgn === 0xef00)!.data.length).toBe(900);
    expect(atA.find((m) => m.pgn === 0xfe22)!.data.length).toBe(30);
  });

  it('asks again for lost packets and still delivers under 5% random loss', async () => {
    const net = await pair({ maxRetransmits: 20 }, 11);
    const got = net.inbox(net.nodes[1]!);
    net.bus.configureFaults({ lossProbability: 0.05 });
    const data = payload(1785, 3);
    const sent = net.nodes[0]!.send(0xef00, data, { destination: 0x20 });
    await net.run(
      sent.catch(() => undefined),
      60_000,
    );
    net.bus.configureFaults({ lossProbability: 0 });
    net.clock.advance(5000);
    const delivered = got.find((m) => m.pgn === 0xef00);
    // CTS/EoMA can be lost too; then both sides abort. Either way nothing is left open.
    if (delivered) expect(Buffer.from(delivered.data).equals(Buffer.from(data))).toBe(true);
    expect(net.nodes[0]!.activeSessions() + net.nodes[1]!.activeSessions()).toBe(0);
  });

  it('times out and aborts with reason 3 when the receiver vanishes', async () => {
    const net = await pair();
    net.bus.partition(['n1']);
    const sent = net.nodes[0]!.send(0xef00, payload(100), { destination: 0x20 });
    const error = await net.run(
      sent.then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(TransportAbortError);
    expect((error as TransportAbortError).reason).toBe(ABORT_REASON.TIMEOUT);
    expect(net.nodes[0]!.activeSessions()).toBe(0);
  });

  it('refuses a message larger than the receiver accepts with reason 2', async () => {
    const net = await pair({ maxMessageBytes: 10_000 });
    const error = await net.run(
      net.nodes[0]!.send(0xef00, payload(20_000), { destination: 0x20 }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect((error as TransportAbortError).reason).toBe(ABORT_REASON.SYSTEM_RESOURCES_NEEDED);
    expect((error as TransportAbortError).byPeer).toBe(true);
  });

  it('NACKs a specific request nobody answers and answers a registered one', async () => {
    const net = await pair();
    net.nodes[1]!.onRequest(0xfeda, () => Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    const atA = net.inbox(net.nodes[0]!);
    await net.nodes[0]!.request(0xfecb, 0x20);
    await net.nodes[0]!.request(0xfeda, 0x20);
    await net.run(new Promise((r) => setTimeout(r, 0)), 2000);
    const ack = atA.find((m) => m.pgn === PGN.ACKNOWLEDGEMENT)!;
    expect([...ack.data]).toEqual([1, 0xff, 0xff, 0xff, 0x10, 0xcb, 0xfe, 0x00]);
    expect(atA.find((m) => m.pgn === 0xfeda)!.data.length).toBe(10);
  });

  it('uses priority 7 for TP frames and the right PGNs', async () => {
    const net = await pair();
    const wire: CanFrame[] = [];
    net.bus.onWire((f) => wire.push(f));
    await net.run(net.nodes[0]!.send(0xef00, payload(30), { destination: 0x20 }));
    const pgns = wire.map((f) => decodeIdentifier(f.id));
    expect(pgns.every((d) => d.priority === 7)).toBe(true);
    expect(pgns.map((d) => d.pgn)).toEqual([
      PGN.TP_CM,
      PGN.TP_CM,
      PGN.TP_DT,
      PGN.TP_DT,
      PGN.TP_DT,
      PGN.TP_DT,
      PGN.TP_DT,
      PGN.TP_CM,
    ]);
  });
});
