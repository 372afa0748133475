/**
 * ETP from an independent stack that announces fewer packets per ETP.CM_DPO than our CTS
 * allowed (ISO 11783-3 allows any count up to the CTS's; AgIsoStack++ sends at most 16). The
 * sending side is scripted frame by frame on a raw link (test-helpers/stock-sender.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CanFrame } from '../can/index.js';
import { toPgnFrame } from './identifier.js';
import type { IsobusMessage } from './transport-protocol.js';
import { PGN } from './pgn-registry.js';
import { decodeCm, encodeCm, encodeDataPacket } from './transport-messages.js';
import { network, payload, testName } from './test-helpers/network.js';
import { stockEtpSend } from './test-helpers/stock-sender.js';
import { engine } from './test-helpers/engine.js';

const PROPRIETARY_A = 0xef00;
const STOCK_ADDRESS = 0x35;
const STATION_ADDRESS = 0x20;
const TRACTOR_ADDRESS = 0x80;

/** A station-like node at 0x20, a tractor-like node at 0x80 and a raw link for the stock stack. */
async function busWithStockStack() {
  const net = await network([
    { name: testName(1), address: STATION_ADDRESS },
    { name: testName(2), address: TRACTOR_ADDRESS },
  ]);
  await net.run(Promise.all(net.nodes.map((n) => n.start())));
  const raw = net.bus.createNode('stock');
  await raw.open();
  const wire: { frame: CanFrame; sender: string }[] = [];
  net.bus.onWire((frame, sender) => wire.push({ frame, sender }));
  return { ...net, raw, wire };
}

describe('ETP with fewer packets per DPO than the CTS allowed', () => {
  for (const size of [3_000, 100_000]) {
    for (const packetsPerDpo of [1, 16, 255]) {
      for (const [label, destination] of [
        ['the station', STATION_ADDRESS],
        ['a tractor', TRACTOR_ADDRESS],
      ] as const) {
        it(`receives ${size} B in DPOs of ${packetsPerDpo} packets at ${label}`, async () => {
          const net = await busWithStockStack();
          const receiver = net.nodes[destination === STATION_ADDRESS ? 0 : 1]!;
          const got: IsobusMessage[] = [];
          receiver.onPgn(PROPRIETARY_A, (m) => got.push(m));
          const data = payload(size, size + packetsPerDpo);
          const stock = stockEtpSend({
            link: net.raw,
            source: STOCK_ADDRESS,
            destination,
            pgn: PROPRIETARY_A,
            data,
            packetsPerDpo,
          });
          const outcome = await net.run(stock.outcome, 120_000);

          expect(outcome).toEqual({ ok: true, eomaSize: size });
          // 1CC8<da>35: ETP.CM at priority 7 from the stock stack, as the capture showed.
          expect(stock.sent[0]!.id).toBe(0x1cc80035 | (destination << 8));
          expect(got).toHaveLength(1);
          expect(got[0]).toMatchObject({ source: STOCK_ADDRESS, destination });
          expect(Buffer.from(got[0]!.data).equals(Buffer.from(data))).toBe(true);
          // Frame by frame: every CTS asks for the packet after the last DPO's block, never
          // for one already sent (no retransmission), and no abort crossed the wire.
          const packets = Math.ceil(size / 7);
          const dpoBlock = Math.min(packetsPerDpo, 255);
          expect(stock.ctsLog.map(([, next]) => next)).toEqual(
            Array.from({ length: Math.ceil(packets / dpoBlock) }, (_, i) => 1 + i * dpoBlock),
          );
          const aborts = net.wire.filter(({ frame }) => {
            const f = toPgnFrame(frame);
            return f?.pgn === PGN.ETP_CM && decodeCm(f.data, true)?.kind === 'abort';
          });
          expect(aborts).toEqual([]);
          expect(receiver.activeSessions()).toBe(0);
        });
      }
    }
  }

  it('answers the frames of a stock stack (3000 B, CTS 255, DPO 16) with CTS and EoMA, not abort 5', () => {
    const e = engine();
    const frame = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
    // 1CC82035 14 B8 0B 00 00 00 EF 00: ETP.RTS 3000 B of PGN 0xEF00 from 0x35 to 0x20
    const fromStock = (data: Uint8Array, pgn: number): void =>
      void e.tp.handle({ priority: 7, pgn, source: 0x35, destination: 0x20, data });
    fromStock(frame('14b80b000000ef00'), PGN.ETP_CM);
    const data = payload(3000, 5);
    let next = 1;
    for (let round = 0; next <= 429; round++) {
      const cts = e.sentCm().at(-1);
      expect(cts).toMatchObject({
        kind: 'cts',
        count: Math.min(255, 429 - next + 1),
        next,
        pgn: PROPRIETARY_A,
      });
      const count = Math.min(16, 429 - next + 1);
      fromStock(encodeCm({ kind: 'dpo', count, offset: next - 1, pgn: PROPRIETARY_A }), PGN.ETP_CM);
      for (let seq = 1; seq <= count; seq++)
        fromStock(encodeDataPacket(seq, data, (next - 1 + seq - 1) * 7), PGN.ETP_DT);
      next += count;
      expect(round).toBeLessThan(27);
    }
    // 1CC83520 17 B8 0B 00 00 00 EF 00: ETP.EoMA 3000 B
    expect(Buffer.from(e.out.at(-1)!.data).toString('hex')).toBe('17b80b000000ef00');
    expect(e.sentCm().filter((m) => m.kind === 'abort')).toEqual([]);
    expect(Buffer.from(e.delivered[0]!.data).equals(Buffer.from(data))).toBe(true);
  });

  it('sends in DPO blocks of etpPacketsPerDpo when configured, and our receiver follows', async () => {
    const net = await network(
      [
        { name: testName(1), address: 0x10 },
        { name: testName(2), address: 0x20 },
      ],
      { etpPacketsPerDpo: 16 },
    );
    await net.run(Promise.all(net.nodes.map((n) => n.start())));
    const dpoCounts: number[] = [];
    net.bus.onWire((frame) => {
      const f = toPgnFrame(frame);
      const m = f?.pgn === PGN.ETP_CM ? decodeCm(f.data, true) : undefined;
      if (m?.kind === 'dpo') dpoCounts.push(m.count);
    });
    const got: IsobusMessage[] = [];
    net.nodes[1]!.onPgn(PROPRIETARY_A, (m) => got.push(m));
    const data = payload(3_000, 9);
    await net.run(net.nodes[0]!.send(PROPRIETARY_A, data, { destination: 0x20 }));
    expect(dpoCounts).toEqual([...Array<number>(26).fill(16), 13]);
    expect(Buffer.from(got[0]!.data).equals(Buffer.from(data))).toBe(true);
  });

  it('still aborts with reason 11 when a DPO announces more packets than the CTS', () => {
    const e = engine({ etpWindow: 16 });
    e.cm({ kind: 'rts', etp: true, size: 3000, packets: 429, maxPerCts: 255, pgn: PROPRIETARY_A });
    e.cm({ kind: 'dpo', count: 17, offset: 0, pgn: PROPRIETARY_A });
    expect(e.sentCm().at(-1)).toMatchObject({ kind: 'abort', reason: 11 });
  });

  it('still aborts with reason 7 on a packet beyond the DPO block', () => {
    const e = engine();
    e.cm({ kind: 'rts', etp: true, size: 3000, packets: 429, maxPerCts: 255, pgn: PROPRIETARY_A });
    e.cm({ kind: 'dpo', count: 4, offset: 0, pgn: PROPRIETARY_A });
    e.dt(1, true);
    e.dt(5, true);
    expect(e.sentCm().at(-1)).toMatchObject({ kind: 'abort', reason: 7 });
  });
});
