import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatCandumpLog,
  readPcapngFrames,
  SocketcandServer,
  VirtualBus,
  type CanFrame,
} from '../can/index.js';
import { encodeName, IsobusNode, type IsobusMessage } from '../isobus/index.js';
import { ManualClock, SystemClock } from '../time/index.js';
import { canCommand } from './can.js';
import { UsageError } from './command.js';

const dir = mkdtempSync(join(tmpdir(), 'headland-can-'));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) },
    out,
    err,
  };
}

function name(i: number): bigint {
  return encodeName({
    identityNumber: i,
    manufacturerCode: 1407,
    ecuInstance: 0,
    functionInstance: 0,
    function: 130,
    deviceClass: 1,
    deviceClassInstance: 0,
    industryGroup: 2,
    selfConfigurable: true,
  });
}

/** Two nodes claim and exchange a 100-byte CMDT message; returns every frame on the wire. */
async function recordedSession(): Promise<CanFrame[]> {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock });
  const wire: CanFrame[] = [];
  bus.onWire((f) => wire.push(f));
  const a = new IsobusNode({
    link: bus.createNode('a'),
    clock,
    name: name(1),
    preferredAddress: 0x10,
  });
  const b = new IsobusNode({
    link: bus.createNode('b'),
    clock,
    name: name(2),
    preferredAddress: 0x20,
  });
  const claimed = Promise.all([a.start(), b.start()]);
  for (let i = 0; i < 200; i++) {
    clock.advance(5);
    await Promise.resolve();
  }
  await claimed;
  const sent = a.send(0xef00, new Uint8Array(100).fill(7), { destination: 0x20 });
  clock.advance(100);
  await sent;
  return wire;
}

describe('headland can dump', () => {
  it('decodes a candump log: PGN names, addresses and reassembled TP sizes', async () => {
    const file = join(dir, 'session.log');
    writeFileSync(
      file,
      formatCandumpLog((await recordedSession()).map((frame) => ({ iface: 'can0', frame }))),
    );
    const { io: cli, out } = io();
    expect(await canCommand.run(['dump', '--read', file], cli, new AbortController().signal)).toBe(
      0,
    );
    const text = out.join('\n');
    expect(text).toMatch(/null -> global {2}Request \(0xEA00\).*requests Address Claimed/);
    expect(text).toMatch(/0x10 -> global {2}Address Claimed \(0xEE00\).*claims, NAME/);
    expect(text).toMatch(/0x10 -> 0x20 {2}TP\.CM \(0xEC00\).*RTS 100 bytes of Proprietary A/);
    expect(text).toMatch(/CMDT 0x10 -> 0x20 Proprietary A \(0xEF00\) reassembled 100 bytes/);
  });

  it('dumps a live socketcand link and captures it to pcapng', async () => {
    const clock = new SystemClock();
    const bus = new VirtualBus({ clock });
    const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
    const port = await server.listen(0);
    cleanups.push(() => server.close());
    const station = bus.createNode('station');
    await station.open();
    const capture = join(dir, 'live.pcapng');
    const { io: cli, out, err } = io();
    const done = canCommand.run(
      [
        'dump',
        '--can',
        `socketcand://127.0.0.1:${port}/can0`,
        '--count',
        '3',
        '--capture',
        capture,
      ],
      cli,
      new AbortController().signal,
    );
    const deadline = performance.now() + 5000;
    while (!err.join().includes('listening') && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 3; i++)
      station.send({
        id: 0x18eeff00 + i,
        extended: true,
        data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      });
    expect(await done).toBe(0);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/Address Claimed/);
    const frames = readPcapngFrames(readFileSync(capture));
    expect(frames.map((f) => f.id)).toEqual([0x18eeff00, 0x18eeff01, 0x18eeff02]);
  });

  it('says clearly when the link cannot be opened', async () => {
    const { io: cli, err } = io();
    expect(
      await canCommand.run(
        ['dump', '--can', 'socketcand://127.0.0.1:1/can0'],
        cli,
        new AbortController().signal,
      ),
    ).toBe(1);
    expect(err.join()).toMatch(/socketcand/);
  });

  it('rejects bad usage', async () => {
    const { io: cli } = io();
    const signal = new AbortController().signal;
    await expect(canCommand.run([], cli, signal)).rejects.toBeInstanceOf(UsageError);
    await expect(canCommand.run(['dump'], cli, signal)).rejects.toThrow(/--can/);
    await expect(canCommand.run(['dump', '--can', 'bogus'], cli, signal)).rejects.toThrow(
      /virtual:<bus>/,
    );
    await expect(
      canCommand.run(['dump', '--can', 'virtual:x', '--capture', 'x.txt'], cli, signal),
    ).rejects.toThrow(/pcapng/);
  });

  describe('send and request', () => {
    /** A station-like node at 0x26 on a bus served over socketcand, as `serve --can-server`. */
    async function busWithNode(transport = {}) {
      const clock = new SystemClock();
      const bus = new VirtualBus({ clock });
      const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
      const port = await server.listen(0);
      cleanups.push(() => server.close());
      const node = new IsobusNode({
        link: bus.createNode('station'),
        clock,
        name: name(7),
        preferredAddress: 0x26,
        transport,
      });
      cleanups.push(() => node.stop());
      await node.start();
      const got: IsobusMessage[] = [];
      node.onMessage((m) => got.push(m));
      return { node, got, link: `socketcand://127.0.0.1:${port}/can0` };
    }
    const run = (argv: string[]) => {
      const cli = io();
      return { ...cli, code: canCommand.run(argv, cli.io, new AbortController().signal) };
    };

    it('sends one frame and an ETP message after claiming, and says how long it took', async () => {
      const { got, link } = await busWithNode();
      const one = run([
        'send',
        '--can',
        link,
        '--to',
        '0x26',
        '--pgn',
        '0xEF00',
        '--data',
        '01:02:ff',
      ]);
      expect(await one.code).toBe(0);
      expect(one.err.join('\n')).toMatch(/claimed 0xF9 on socketcand/);
      expect(one.out).toEqual([
        expect.stringMatching(
          /^sent PGN 0xEF00 \(Proprietary A\) 3 B to 0x26 by one frame in \d+\.\d ms$/,
        ),
      ]);
      const etp = run(['send', '--can', link, '--to', '38', '--pgn', '61184', '--size', '3000']);
      expect(await etp.code).toBe(0);
      expect(etp.out[0]).toMatch(
        /^sent PGN 0xEF00 \(Proprietary A\) 3000 B to 0x26 by ETP in \d+\.\d ms$/,
      );
      const messages = got.filter((m) => m.pgn === 0xef00);
      expect(messages.map((m) => [m.source, m.data.length])).toEqual([
        [0xf9, 3],
        [0xf9, 3000],
      ]);
      expect([...messages[1]!.data.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
      expect(messages[1]!.data[300]).toBe(300 & 0xff);
    });

    it('reports an abort with its reason and who sent it', async () => {
      const { link } = await busWithNode({ maxMessageBytes: 50 });
      const r = run(['send', '--can', link, '--to', '0x26', '--pgn', '0xEF00', '--size', '100']);
      expect(await r.code).toBe(1);
      expect(r.out[0]).toMatch(
        /^aborted PGN 0xEF00 \(Proprietary A\) 100 B to 0x26 by CMDT: reason 2 \(system resources needed\) by 0x26 after \d+\.\d ms$/,
      );
    });

    it('requests a PGN from one node or from all and prints the answers', async () => {
      const { node, link } = await busWithNode();
      node.onRequest(0xfeda, () => Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
      const answered = run(['request', '--can', link, '--pgn', '0xFEDA', '--to', '0x26']);
      expect(await answered.code).toBe(0);
      expect(answered.out).toEqual(['0x26: 10 B 0102030405060708090A']);
      const refused = run(['request', '--can', link, '--pgn', '0xFECA', '--to', '0x26']);
      expect(await refused.code).toBe(0);
      expect(refused.out).toEqual(['0x26: NACK']);
      const claims = run(['request', '--can', link, '--pgn', '0xEE00', '--wait', '300']);
      expect(await claims.code).toBe(0);
      expect(claims.out).toEqual([expect.stringMatching(/^0x26: claims, NAME /)]);
      const silent = run([
        'request',
        '--can',
        link,
        '--pgn',
        '0xFECA',
        '--to',
        '0x55',
        '--wait',
        '200',
      ]);
      expect(await silent.code).toBe(1);
      expect(silent.out).toEqual(['no answer within 200 ms']);
    });

    it('rejects what cannot be sent before touching the bus', async () => {
      const { io: cli } = io();
      const signal = new AbortController().signal;
      const send = (extra: string[]) =>
        canCommand.run(['send', '--can', 'virtual:x', ...extra], cli, signal);
      await expect(send(['--pgn', '0xEF00', '--size', '9'])).rejects.toThrow(/--to/);
      await expect(send(['--to', '0x26', '--pgn', '0xEF26', '--size', '9'])).rejects.toThrow(
        /low byte must be 0/,
      );
      await expect(
        send(['--to', '0x26', '--pgn', '0xEF00', '--size', '9', '--data', '01']),
      ).rejects.toThrow(/exactly one/);
      await expect(send(['--to', '0x26', '--pgn', '0xFECA', '--data', '01'])).rejects.toThrow(
        /PDU2/,
      );
      await expect(send(['--to', '300', '--pgn', '0xEF00', '--data', '01'])).rejects.toThrow(
        /0–253 or 255/,
      );
      await expect(send(['--to', '0x26', '--pgn', '0xEF00', '--data', 'xyz'])).rejects.toThrow(
        /hex bytes/,
      );
      await expect(
        canCommand.run(['request', '--can', 'bogus', '--pgn', '0xEE00'], cli, signal),
      ).rejects.toThrow(/virtual:<bus>/);
    });
  });
});
