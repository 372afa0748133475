/**
 * A node that loses its address in the middle of a transfer (ISO 11783-5 §4.4): nothing more
 * goes out from the lost address — no queued TP/ETP.DT, no Abort — and the transfer starts
 * again from the new address. The contender is scripted frame by frame on a raw link.
 */
import { describe, expect, it } from 'vitest';
import type { CanFrame } from '../can/index.js';
import { toCanFrame, toPgnFrame } from './identifier.js';
import { nameToBytes } from './iso-name.js';
import { PGN } from './pgn-registry.js';
import { decodeCm } from './transport-messages.js';
import type { IsobusMessage } from './transport-protocol.js';
import { engine, ME, PEER } from './test-helpers/engine.js';
import { network, payload, testName } from './test-helpers/network.js';

const PROPRIETARY_A = 0xef00;
const STATION = 0x20;
const TRACTOR = 0x80;

interface WireFrame {
  readonly frame: CanFrame;
  readonly sender: string;
}

async function stationTractorAndContender() {
  // The station's NAME (identity 5) loses to the contender's (identity 1): lower NAME wins.
  const net = await network([
    { name: testName(5), address: STATION },
    { name: testName(6), address: TRACTOR },
  ]);
  await net.run(Promise.all(net.nodes.map((n) => n.start())));
  const contender = net.bus.createNode('contender');
  await contender.open();
  const wire: WireFrame[] = [];
  net.bus.onWire((frame, sender) => wire.push({ frame, sender }));
  const claim = (): void =>
    contender.send(
      toCanFrame({
        priority: 6,
        pgn: PGN.ADDRESS_CLAIMED,
        source: STATION,
        destination: 0xff,
        data: nameToBytes(testName(1)),
      }),
    );
  return { ...net, contender, wire, claim };
}

/** Frames after the contender's claim crossed the wire. */
function afterClaim(wire: readonly WireFrame[]): WireFrame[] {
  const at = wire.findIndex(
    ({ frame, sender }) => sender === 'contender' && toPgnFrame(frame)?.pgn === PGN.ADDRESS_CLAIMED,
  );
  expect(at).toBeGreaterThanOrEqual(0);
  return wire.slice(at + 1);
}

const sa = (f: CanFrame): number => f.id & 0xff;
const da = (f: CanFrame): number | undefined => toPgnFrame(f)?.destination;

describe('address lost in the middle of a transfer', () => {
  for (const size of [1_785, 100_000]) {
    it(`sends nothing more from the lost address and re-opens the ${size} B transfer from the new one`, async () => {
      const net = await stationTractorAndContender();
      const [station, tractor] = net.nodes as [(typeof net.nodes)[0], (typeof net.nodes)[0]];
      const got: IsobusMessage[] = [];
      tractor.onPgn(PROPRIETARY_A, (m) => got.push(m));
      const data = payload(size, 3);
      const dtPgn = size > 1785 ? PGN.ETP_DT : PGN.TP_DT;
      // The contender claims 0x20 once the station's 5th data packet has crossed the wire,
      // while the rest of the window still waits in the station's transmit queue.
      let dtSeen = 0;
      net.bus.onWire((frame, sender) => {
        if (sender === 'n0' && toPgnFrame(frame)?.pgn === dtPgn && ++dtSeen === 5) net.claim();
      });
      const sent = station.send(PROPRIETARY_A, data, { destination: TRACTOR });
      const outcome = await net.run(
        sent.then(
          () => 'sent',
          (e: unknown) => e,
        ),
        120_000,
      );
      net.clock.advance(3_000);

      const after = afterClaim(net.wire);
      // The new owner of 0x20 sees no frame from anyone else using its address...
      expect(
        after.filter(({ frame, sender }) => sender !== 'contender' && sa(frame) === STATION),
      ).toEqual([]);
      // ...and no frame addressed to it about a session it never had (no abort from the tractor).
      expect(after.filter(({ frame, sender }) => sender === 'n1' && da(frame) === STATION)).toEqual(
        [],
      );
      // The station moved to the first free self-configurable address and finished from there.
      expect(outcome).toBe('sent');
      const moved = station.address!;
      expect(moved).toBe(0x81);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ source: moved, destination: TRACTOR });
      expect(Buffer.from(got[0]!.data).equals(Buffer.from(data))).toBe(true);
      const aborts = net.wire.filter(({ frame }) => {
        const f = toPgnFrame(frame);
        const cm =
          f && (f.pgn === PGN.TP_CM || f.pgn === PGN.ETP_CM)
            ? decodeCm(f.data, f.pgn === PGN.ETP_CM)
            : undefined;
        return cm?.kind === 'abort';
      });
      expect(aborts).toEqual([]);
      expect(station.activeSessions() + tractor.activeSessions()).toBe(0);
    });
  }

  it('drops a reception silently when its own address is lost, and reports the loss', async () => {
    const net = await stationTractorAndContender();
    const [station, tractor] = net.nodes as [(typeof net.nodes)[0], (typeof net.nodes)[0]];
    const changes: unknown[] = [];
    station.onStateChange((c) => changes.push(c));
    let dtSeen = 0;
    net.bus.onWire((frame, sender) => {
      if (sender === 'n1' && toPgnFrame(frame)?.pgn === PGN.ETP_DT && ++dtSeen === 3) net.claim();
    });
    // The tractor sends to the station; the station loses 0x20 while receiving.
    const sent = tractor.send(PROPRIETARY_A, payload(5_000), { destination: STATION });
    const error = await net.run(
      sent.then(
        () => undefined,
        (e: unknown) => e,
      ),
      10_000,
    );
    await net.run(station.whenClaimed());
    net.clock.advance(3_000);
    const after = afterClaim(net.wire);
    expect(after.filter(({ frame, sender }) => sender === 'n0' && sa(frame) === STATION)).toEqual(
      [],
    );
    expect(changes).toEqual([
      { state: 'claiming', address: 0x81, cause: 'contested', lostAddress: STATION },
      { state: 'claimed', address: 0x81, cause: 'contested' },
    ]);
    // The tractor's transfer went to 0x20's old holder: it ends on the tractor's side without
    // an Abort to the new owner, and the caller hears it failed.
    expect(error).toBeInstanceOf(Error);
    expect(station.activeSessions() + tractor.activeSessions()).toBe(0);
  });
});

describe('transport engine on address loss', () => {
  it('ends every session without a frame and re-opens held sends from the new address', () => {
    const e = engine();
    const results: unknown[] = [];
    e.tp.send(
      { pgn: PROPRIETARY_A, source: ME, destination: PEER, priority: 7, data: payload(100) },
      (r) => results.push(r),
    );
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: 0xef00 }, 0x44);
    const before = e.out.length;
    e.tp.addressLost();
    expect(e.out.length).toBe(before);
    expect(e.tp.activeSessions()).toBe(0);
    e.advance(10_000);
    expect(e.out.length).toBe(before);
    e.tp.setAddress(0x90);
    const rts = e.out.at(-1)!;
    expect(rts).toMatchObject({ source: 0x90, destination: PEER, pgn: PGN.TP_CM });
    expect(decodeCm(rts.data, false)).toMatchObject({ kind: 'rts', size: 100 });
    expect(results).toEqual([]);
  });

  it('fails held sends without a frame when no address can be claimed', () => {
    const e = engine();
    const results: unknown[] = [];
    e.tp.send(
      { pgn: PROPRIETARY_A, source: ME, destination: PEER, priority: 7, data: payload(100) },
      (r) => results.push(r),
    );
    const before = e.out.length;
    e.tp.addressLost();
    e.tp.failPending();
    expect(e.out.length).toBe(before);
    expect(results).toEqual([{ ok: false, reason: 250, byPeer: false }]);
  });
});
