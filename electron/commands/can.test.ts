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
import { encodeName, IsobusNode } from '../isobus/index.js';
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
});
