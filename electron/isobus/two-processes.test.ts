import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketcandServer, VirtualBus } from '../can/index.js';
import { SystemClock } from '../time/index.js';
import { IsobusNode } from './isobus-node.js';
import type { IsobusMessage } from './transport-protocol.js';
import { payload, testName } from './test-helpers/network.js';

const TRACTOR = fileURLToPath(new URL('./test-helpers/remote-tractor.ts', import.meta.url));
const PYTHON = '/usr/bin/python3';
const hasPythonCan =
  spawnSync(PYTHON, ['-c', 'import can.interfaces.socketcand'], { stdio: 'ignore' }).status === 0;

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Lines a child prints, and a way to wait for one that matches. */
function lines(child: ChildProcess) {
  const seen: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      seen.push(line);
      for (const w of [...waiters]) if (w.match(line)) w.resolve(line);
    }
  });
  const waitFor = (match: (l: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const hit = seen.find(match);
      if (hit !== undefined) return resolve(hit);
      waiters.push({ match, resolve });
      child.on('exit', (code) =>
        reject(
          new Error(`child exited (${code}) before the expected line; saw: ${seen.join(' | ')}`),
        ),
      );
    });
  return { seen, waitFor };
}

function nextMessage(node: IsobusNode, pgn: number): Promise<IsobusMessage> {
  return new Promise((resolve) => {
    const off = node.onPgn(pgn, (m) => {
      off();
      resolve(m);
    });
  });
}

describe('station and a tractor in separate processes over socketcand', () => {
  it('claim addresses and exchange TP and ETP; a standard client on the same port sees the traffic', async () => {
    const clock = new SystemClock();
    const bus = new VirtualBus({ clock });
    const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
    const port = await server.listen(0);
    cleanups.push(() => server.close());
    const station = new IsobusNode({
      link: bus.createNode('station'),
      clock,
      name: testName(1),
      preferredAddress: 0x26,
    });
    cleanups.push(() => station.stop());

    // A standard tool on the same port: python-can's socketcand client, watching for the
    // tractor's Address Claimed and for TP connection management.
    let observer: ReturnType<typeof lines> | undefined;
    if (hasPythonCan) {
      const script = [
        'import can, sys',
        "bus = can.Bus(interface='socketcand', host='127.0.0.1', port=int(sys.argv[1]), channel='can0')",
        "print('ready', flush=True)",
        'seen = set()',
        'while not {"claim", "tpcm"} <= seen:',
        '    m = bus.recv(20)',
        '    if m is None: break',
        '    pf, sa = (m.arbitration_id >> 16) & 0xFF, m.arbitration_id & 0xFF',
        "    if pf == 0xEE and sa == 0x90 and 'claim' not in seen: seen.add('claim'); print('claim %02X' % sa, flush=True)",
        "    if pf == 0xEC and 'tpcm' not in seen: seen.add('tpcm'); print('tpcm %02X' % sa, flush=True)",
        'bus.shutdown()',
      ].join('\n');
      const python = spawn(PYTHON, ['-c', script, String(port)]);
      children.push(python);
      observer = lines(python);
      await observer.waitFor((l) => l === 'ready');
    }

    const tractor = spawn(process.execPath, [
      '--import',
      'tsx',
      TRACTOR,
      `socketcand://127.0.0.1:${port}/can0`,
      '50',
      '144',
    ]);
    children.push(tractor);
    const out = lines(tractor);
    const stationAddress = await station.start();
    const claimed = JSON.parse(await out.waitFor((l) => l.includes('"claimed"'))) as {
      address: number;
    };
    expect(claimed.address).toBe(0x90);
    expect(stationAddress).toBe(0x26);

    const reply = nextMessage(station, 0xef00);
    const data = payload(1000, 9);
    await station.send(0xef00, data, { destination: 0x90 });
    const answer = await reply;
    expect(answer.source).toBe(0x90);
    expect(answer.data.length).toBe(5000); // ETP
    expect(Buffer.from(answer.data.subarray(0, 1000)).equals(Buffer.from(data))).toBe(true);
    await out.waitFor((l) => l.includes('"replied"'));
    expect(station.peers().get(0x90)).toBe(testName(50));

    if (observer) {
      expect(await observer.waitFor((l) => l.startsWith('claim'))).toBe('claim 90');
      expect(await observer.waitFor((l) => l.startsWith('tpcm'))).toMatch(/^tpcm (26|90)$/);
    }
  });
});
