import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import { CanLinkUnavailableError } from './can-link.js';
import { SocketcandLink } from './socketcand-link.js';
import { SocketcandServer } from './socketcand-server.js';
import { VirtualBus } from './virtual-bus.js';
import { extFrame, stdFrame } from './test-helpers/frames.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Waits (event-driven, with a generous cap) until `check` passes. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function serverOnBus() {
  const clock = new SystemClock();
  const bus = new VirtualBus({ clock });
  const station = bus.createNode('station');
  await station.open();
  const server = new SocketcandServer({ link: bus.createNode('socketcand'), bus: 'can0', clock });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  return { clock, bus, station, server, port };
}

function rawClient(port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  cleanups.push(() => void socket.destroy());
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (c: string) => (text += c));
  return { socket, text: () => text };
}

describe('socketcand server and client', () => {
  it('speaks the daemon’s handshake: hi alone, open, rawmode', async () => {
    const { port } = await serverOnBus();
    const c = rawClient(port);
    await until(() => c.text() === '< hi >', 'greeting');
    c.socket.write('< open can1 >');
    await until(() => c.text().includes('error'), 'refusal');
    c.socket.write('< open can0 >< rawmode >');
    await until(() => c.text().endsWith('< ok >< ok >'), 'ok ok');
  });

  it('joins a standard client and a CanLink client on one virtual bus', async () => {
    const { station, port, clock } = await serverOnBus();
    const link = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    cleanups.push(() => link.close());
    await link.open();
    expect(link.state).toBe('open');
    const raw = rawClient(port);
    raw.socket.write('< open can0 >< rawmode >');
    await until(() => raw.text().endsWith('< ok >< ok >'), 'raw mode');

    const atStation: CanFrame[] = [];
    station.on('frame', (f) => atStation.push(f));
    const atLink: CanFrame[] = [];
    link.on('frame', (f) => atLink.push(f));

    link.send(extFrame(0x1a, 1, 2, 3));
    await until(
      () => atStation.length === 1 && raw.text().includes('< frame 0000001A '),
      'link frame',
    );
    expect(atStation[0]).toMatchObject({ id: 0x1a, extended: true });
    expect(raw.text()).toMatch(/< frame 0000001A \d+\.\d{6} 010203 >/);
    expect(atLink).toHaveLength(0); // never its own frame back

    station.send(stdFrame(0x123, 0xaa));
    await until(() => atLink.length === 1, 'station frame at link');
    expect(atLink[0]).toMatchObject({ id: 0x123, extended: false });
    expect(raw.text()).toMatch(/< frame 123 \d+\.\d{6} AA >/);

    raw.socket.write('< send 18EEFF80 8 1 2 3 4 5 6 7 8 >');
    await until(() => atLink.length === 2 && atStation.length === 2, 'raw frame everywhere');
    expect(atLink[1]).toMatchObject({ id: 0x18eeff80, extended: true });
    expect([...atStation[1]!.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    raw.socket.write('< send 12345 0 >');
    await until(() => raw.text().includes('< error'), 'error reply');
  });

  it('fails open() clearly when nothing listens', async () => {
    const { server, port } = await serverOnBus();
    await server.close();
    const link = new SocketcandLink({
      host: '127.0.0.1',
      port,
      bus: 'can0',
      clock: new ManualClock(),
    });
    await expect(link.open()).rejects.toBeInstanceOf(CanLinkUnavailableError);
    expect(link.state).toBe('closed');
  });

  it('reports the link closed when the server goes away', async () => {
    const { server, port, clock } = await serverOnBus();
    const link = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    await link.open();
    const errors: string[] = [];
    link.on('error', (e) => errors.push(e.message));
    await server.close();
    await until(() => link.state === 'closed', 'closed');
    expect(errors.join()).toMatch(/closed/);
  });
});
