import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock, type Clock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import { CanLinkUnavailableError } from './can-link.js';
import { SocketcandLink } from './socketcand-link.js';
import { SocketcandServer } from './socketcand-server.js';
import { frameTimeMs } from './frame-timing.js';
import { VirtualBus } from './virtual-bus.js';
import { extFrame, stdFrame } from './test-helpers/frames.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Waits (event-driven, with a generous cap) until `check` passes. */
async function until(check: () => boolean, what: string, capMs = 5000): Promise<void> {
  const deadline = performance.now() + capMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

async function serverOnBus(bitrate?: number) {
  const clock = new SystemClock();
  const bus = new VirtualBus({ clock, ...(bitrate ? { bitrate } : {}) });
  const station = bus.createNode('station');
  await station.open();
  const logged: string[] = [];
  const server = new SocketcandServer({
    medium: bus,
    bus: 'can0',
    clock,
    log: (line) => logged.push(line),
  });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  return { clock, bus, station, server, port, logged };
}

async function linkClient(port: number, clock: SystemClock): Promise<SocketcandLink> {
  const link = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
  cleanups.push(() => link.close());
  await link.open();
  return link;
}

const key = (f: CanFrame): string => `${f.id}:${Buffer.from(f.data).toString('hex')}`;
/** Distinct frames: the counter rides in the data. */
const numbered = (i: number): CanFrame =>
  extFrame(0x18ff0000 + (i % 16), i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff);

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

  it('puts a client’s frames through the bus: the other client gets each only once it crossed the wire', async () => {
    const { bus, clock, port } = await serverOnBus();
    const a = await linkClient(port, clock);
    const b = await linkClient(port, clock);
    const onWire = new Set<string>();
    const senders = new Set<string>();
    bus.onWire((f, sender) => {
      onWire.add(key(f));
      senders.add(sender);
    });
    const early: CanFrame[] = [];
    const atB: CanFrame[] = [];
    b.on('frame', (f) => {
      if (!onWire.has(key(f))) early.push(f);
      atB.push(f);
    });
    for (let i = 0; i < 200; i++) a.send(numbered(i));
    await until(() => atB.length === 200, '200 frames at b');
    expect(early).toEqual([]);
    expect(atB.map(key)).toEqual(Array.from({ length: 200 }, (_, i) => key(numbered(i))));
    expect(onWire.size).toBe(200);
    expect([...senders]).toEqual(['socketcand-1']); // the client's own node on the bus
  });

  it('paces a client that writes faster than the wire instead of dropping frames', async () => {
    const bitrate = 1_000_000; // a fast bus keeps the test short; the pacing is the same
    const { bus, clock, port, server } = await serverOnBus(bitrate);
    const a = await linkClient(port, clock);
    const b = await linkClient(port, clock);
    let captured = 0;
    let wireMs = 0;
    bus.onWire((f) => {
      captured++;
      wireMs += frameTimeMs(f, bitrate);
    });
    let atB = 0;
    b.on('frame', () => atB++);
    const count = 5_000; // more than a controller queue holds (4096)
    const t0 = performance.now();
    for (let i = 0; i < count; i++) a.send(numbered(i));
    await until(() => atB === count, `${count} frames at b`, 20_000);
    expect(captured).toBe(count);
    expect(bus.stats().deliveriesLost).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(wireMs * 0.99);
    expect(server.stats()).toMatchObject({ framesIn: count, framesOut: count });
    expect(Object.values(server.stats().refused).every((n) => n === 0)).toBe(true);
  });

  it('applies the bus’s loss faults to client frames like any node’s', async () => {
    const { bus, clock, port, station } = await serverOnBus();
    const a = await linkClient(port, clock);
    const b = await linkClient(port, clock);
    const atB: CanFrame[] = [];
    b.on('frame', (f) => atB.push(f));
    let atStation = 0;
    station.on('frame', () => atStation++);
    bus.configureFaults({ lossProbability: 1 });
    for (let i = 0; i < 20; i++) a.send(numbered(i));
    await until(() => bus.stats().framesTransmitted === 20, '20 frames on the wire');
    await new Promise((r) => setTimeout(r, 20));
    expect(atB).toEqual([]);
    expect(atStation).toBe(0);
    expect(bus.stats().deliveriesLost).toBe(40); // b and the station missed every frame
  });

  it('refuses what it cannot take visibly: an error reply, a count and a log line', async () => {
    const { bus, port, server, logged } = await serverOnBus();
    const raw = rawClient(port);
    raw.socket.write('< open can0 >< rawmode >< send 12345 1 00 >');
    await until(() => raw.text().includes('< error'), 'error for the malformed frame');
    expect(server.stats().refused.malformed).toBe(1);
    expect(logged.join('\n')).toMatch(/refused 1 frame \(malformed: /);
    bus.busOff('socketcand-1');
    raw.socket.write('< send 18EEFF80 1 01 >< send 18EEFF80 1 02 >');
    await until(() => server.stats().refused['bus-off'] === 2, 'two bus-off refusals');
    await until(() => (raw.text().match(/node is bus-off/g) ?? []).length === 2, 'two replies');
    expect(logged.join('\n')).toMatch(/refused 1 frame \(bus-off: its node is bus-off\)/);
    raw.socket.destroy();
    await until(() => bus.node('socketcand-1') === undefined, 'the node off the bus');
    // The second bus-off refusal came within the log interval: it is logged when the client goes.
    expect(logged.join('\n')).toMatch(
      /refused 1 frame \(bus-off: .*\)[\s\S]*refused 1 frame \(bus-off/,
    );
  });

  it('dates a frame for its clients and the capture when it is handed to their sockets, not before this process’s own slow handling of it', async () => {
    const manual = new ManualClock();
    let busyMs = 0; // time this process spends handling frames, on top of the manual clock's
    const clock: Clock = {
      now: () => manual.now() + busyMs,
      wallNow: () => manual.wallNow() + busyMs,
      setTimer: (delayMs, fn) => manual.setTimer(delayMs, fn),
    };
    const bus = new VirtualBus({ clock });
    const station = bus.createNode('station');
    const ecu = bus.createNode('ecu');
    for (const node of [station, ecu]) await node.open();
    ecu.on('frame', () => (busyMs += 8)); // a local node takes 8 ms over each frame
    const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
    cleanups.push(() => server.close());
    const raw = rawClient(await server.listen(0));
    raw.socket.write('< open can0 >< rawmode >');
    await until(() => raw.text().endsWith('< ok >< ok >'), 'raw mode');
    await until(() => bus.node('socketcand-1') !== undefined, 'the client on the bus');
    const handedOver: number[] = [];
    bus.onWire((f) => handedOver.push(f.timestampMs ?? NaN));
    const captured: number[] = [];
    bus.onCapture((f) => captured.push(f.timestampMs ?? NaN));
    station.send(extFrame(0x18fef100, 1));
    manual.advance(1);
    const atSocketMs = clock.wallNow(); // nothing runs between the turn's end and the write
    await until(() => raw.text().includes('< frame '), 'the frame at the client');
    const stamp = /< frame 18FEF100 (\d+\.\d{6}) 01 >/.exec(raw.text())?.[1];
    expect(stamp).toBeDefined();
    expect(Number(stamp) * 1000).toBeCloseTo(atSocketMs, 2);
    expect(captured.map((ms) => Math.round(ms * 1000) / 1_000_000)).toEqual([Number(stamp)]);
    expect(Number(stamp) * 1000 - handedOver[0]!).toBeGreaterThanOrEqual(8 - 0.001);
  });
});
