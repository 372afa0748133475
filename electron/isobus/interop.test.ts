/**
 * Interop with standard tools from Debian (installed in CI through .ci/apt-packages):
 * python3-can (socketcand client, candump log reader), can-utils (log2asc) and tshark
 * (J1939 decoding of our pcapng). Each test is skipped, saying why, when its tool is missing.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatCandumpLog,
  PcapngWriter,
  SocketcandServer,
  VirtualBus,
  type CanFrame,
} from '../can/index.js';
import { ManualClock, SystemClock } from '../time/index.js';
import { IsobusNode } from './isobus-node.js';
import { testName } from './test-helpers/network.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const hasPythonCan =
  spawnSync(PYTHON, ['-c', 'import can.interfaces.socketcand'], { stdio: 'ignore' }).status === 0;
const hasTool = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const hasTshark = hasTool('tshark');
const hasLog2asc = hasTool('log2asc');
const missing = (what: string, pkg: string): string =>
  ` [skipped: ${what} not installed; apt-get install ${pkg} (CI: .ci/apt-packages)]`;

const dir = mkdtempSync(join(tmpdir(), 'headland-interop-'));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A recorded session: two nodes claim, then a 30-byte CMDT and a 20-byte BAM. */
async function recordedSession(): Promise<CanFrame[]> {
  const clock = new ManualClock(0, Date.UTC(2026, 10, 25, 12));
  const bus = new VirtualBus({ clock });
  const wire: CanFrame[] = [];
  bus.onWire((f) => wire.push(f));
  const a = new IsobusNode({
    link: bus.createNode('a'),
    clock,
    name: testName(1),
    preferredAddress: 0x26,
  });
  const b = new IsobusNode({
    link: bus.createNode('b'),
    clock,
    name: testName(2),
    preferredAddress: 0x80,
  });
  const claimed = Promise.all([a.start(), b.start()]);
  for (let i = 0; i < 200; i++) {
    clock.advance(5);
    await Promise.resolve();
  }
  await claimed;
  const tp = a.send(0xef00, new Uint8Array(30).fill(0x42), { destination: 0x80 });
  clock.advance(100);
  await tp;
  const bam = b.send(0xfe21, new Uint8Array(20).fill(0x17));
  clock.advance(400);
  await bam;
  return wire;
}

function pcapng(frames: readonly CanFrame[]): Buffer {
  const chunks: Uint8Array[] = [];
  const writer = new PcapngWriter((c) => chunks.push(c));
  for (const f of frames) writer.frame(f);
  writer.finish();
  return Buffer.concat(chunks);
}

describe('interop with standard tools', () => {
  it(`tshark decodes our pcapng as J1939 with the right PGNs and addresses${hasTshark ? '' : missing('tshark', 'tshark')}`, async ({
    skip,
  }) => {
    if (!hasTshark) return skip();
    const frames = await recordedSession();
    const file = join(dir, 'session.pcapng');
    writeFileSync(file, pcapng(frames));
    const { stdout } = await run('tshark', [
      '-r',
      file,
      '-d',
      'can.subdissector,j1939',
      '-T',
      'fields',
      '-e',
      'j1939.pgn',
      '-e',
      'j1939.src_addr',
      '-e',
      'j1939.dst_addr',
      '-e',
      'j1939.priority',
    ]);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number));
    expect(rows).toHaveLength(frames.length);
    expect(rows).toContainEqual([0xea00, 0xfe, 0xff, 6]); // Request for Address Claimed from the null address
    expect(rows).toContainEqual([0xee00, 0x26, 0xff, 6]); // Address Claimed
    expect(rows).toContainEqual([0xec00, 0x26, 0x80, 7]); // TP.CM RTS
    expect(rows).toContainEqual([0xec00, 0x80, 0x26, 7]); // TP.CM CTS / EoMA
    expect(rows).toContainEqual([0xeb00, 0x26, 0x80, 7]); // TP.DT
    expect(rows).toContainEqual([0xec00, 0x80, 0xff, 7]); // TP.CM BAM
  });

  it(`python-can reads our candump log${hasPythonCan ? '' : missing('python3-can', 'python3-can')}`, async ({
    skip,
  }) => {
    if (!hasPythonCan) return skip();
    const frames = await recordedSession();
    const file = join(dir, 'session.log');
    writeFileSync(file, formatCandumpLog(frames.map((frame) => ({ iface: 'can0', frame }))));
    const script = `import can, sys\nfor m in can.CanutilsLogReader(sys.argv[1]):\n    print('%08X %d %s %.6f' % (m.arbitration_id, m.is_extended_id, m.data.hex(), m.timestamp))`;
    const { stdout } = await run(PYTHON, ['-c', script, file]);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(frames.length);
    lines.forEach((line, i) => {
      const f = frames[i]!;
      const [id, ext, data, ts] = line.split(' ');
      expect(Number.parseInt(id!, 16)).toBe(f.id);
      expect(ext).toBe('1');
      expect(data).toBe(Buffer.from(f.data).toString('hex'));
      expect(Math.abs(Number(ts) * 1000 - f.timestampMs!)).toBeLessThan(0.002);
    });
  });

  it(`can-utils log2asc converts our candump log${hasLog2asc ? '' : missing('log2asc', 'can-utils')}`, async ({
    skip,
  }) => {
    if (!hasLog2asc) return skip();
    const frames = await recordedSession();
    const file = join(dir, 'utils.log');
    writeFileSync(file, formatCandumpLog(frames.map((frame) => ({ iface: 'can0', frame }))));
    const { stdout } = await run('log2asc', ['-I', file, 'can0']);
    const dataLines = stdout.split('\n').filter((l) => /\sRx\s/.test(l));
    expect(dataLines).toHaveLength(frames.length);
    expect(dataLines[2]).toMatch(/18EEFF26x\s+Rx\s+d 8 /);
  });

  it(`python-can's socketcand client joins our server: sends and receives frames${hasPythonCan ? '' : missing('python3-can', 'python3-can')}`, async ({
    skip,
  }) => {
    if (!hasPythonCan) return skip();
    const clock = new SystemClock();
    const bus = new VirtualBus({ clock });
    const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
    const port = await server.listen(0);
    cleanups.push(() => server.close());
    const station = bus.createNode('station');
    await station.open();
    const heard: CanFrame[] = [];
    station.on('frame', (f) => heard.push(f));

    // One frame each way at a time: Debian's python-can 4.1 loses frames that share a read.
    const script = [
      'import can, sys',
      "bus = can.Bus(interface='socketcand', host='127.0.0.1', port=int(sys.argv[1]), channel='can0')",
      'bus.send(can.Message(arbitration_id=0x18EEFF80, data=bytes([1,2,3,4,5,6,7,8]), is_extended_id=True))',
      'm = bus.recv(10)',
      "print('RX %08X %s' % (m.arbitration_id, m.data.hex()) if m else 'RX none', flush=True)",
      'bus.shutdown()',
    ].join('\n');
    const child = spawn(PYTHON, ['-c', script, String(port)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    cleanups.push(() => void child.kill());

    await new Promise<void>((resolve, reject) => {
      const off = station.on('frame', () => {
        off();
        resolve();
      });
      void exited.then(() => reject(new Error(`python exited early: ${err}`)));
    });
    expect(heard[0]).toMatchObject({ id: 0x18eeff80, extended: true });
    expect([...heard[0]!.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    station.send({ id: 0x0cfe4926, extended: true, data: Uint8Array.of(0xde, 0xad) });
    expect(await exited).toBe(0);
    expect(out.trim()).toBe('RX 0CFE4926 dead');
  });
});
