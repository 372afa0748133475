import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatCandumpLine,
  SocketcandServer,
  VirtualBus,
  type CanFrame,
} from '../electron/can/index.js';
import { PGN_HEARTBEAT } from '../electron/link/index.js';
import { SystemClock } from '../electron/time/index.js';
import { PYTHON } from './can-floor.js';
import { captureTimeError, startCaptureListener } from './safety-capture-time.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SOURCE = 0x20;
const HEARTBEATS = 12;
const PERIOD_MS = 30;
/** Between two writes left unread: far above the loopback's own delay. */
const WAIT_BETWEEN_MS = 40;
const asIs = {
  wrap: (command: string, args: readonly string[]): [string, string[]] => [command, [...args]],
  described: 'normal',
  wrapMachines: (command: string, args: readonly string[]): [string, string[]] => [
    command,
    [...args],
  ],
  machinesDescribed: 'normal',
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bus open to socketcand clients, its capture kept, and the listener joined to it. */
async function listenerOnBus() {
  const dir = mkdtempSync(join(tmpdir(), 'headland-listener-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new SystemClock();
  const bus = new VirtualBus({ clock });
  const captured: string[] = [];
  bus.onCapture((frame) => captured.push(formatCandumpLine(frame, 'can0')));
  const station = bus.createNode('station');
  await station.open();
  const server = new SocketcandServer({ medium: bus, bus: 'can0', clock, log: () => undefined });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  const arrivals = join(dir, 'arrivals.txt');
  const listener = await startCaptureListener(port, arrivals, asIs);
  return { dir, captured, station, arrivals, listener };
}

describe.skipIf(!existsSync(PYTHON))('the capture listener (a socketcand client in Python)', () => {
  it('dates each frame by its arrival, times the heartbeats, and matches the capture', async () => {
    const { dir, captured, station, arrivals, listener } = await listenerOnBus();
    const heartbeat = (n: number): CanFrame => ({
      id: ((3 << 26) | (PGN_HEARTBEAT << 8) | SOURCE) >>> 0,
      extended: true,
      data: Uint8Array.of(n, 0, 0, 0, 0, 0, 0, 0),
    });
    for (let n = 0; n < HEARTBEATS; n++) {
      station.send(heartbeat(n));
      await sleep(PERIOD_MS);
    }
    // An empty frame and a standard identifier parse too.
    station.send({ id: 0x123, extended: false, data: new Uint8Array(0) });
    await sleep(50);
    const gap = await listener.heartbeatGap(SOURCE);
    expect(gap.count).toBe(HEARTBEATS);
    expect(gap.maxGapMs).toBeGreaterThanOrEqual(PERIOD_MS - 2);
    expect(gap.maxGapMs).toBeLessThan(1000);
    expect(await listener.heartbeatGap(SOURCE)).toEqual({ maxGapMs: 0, count: 0 });
    await listener.stop();

    const lines = readFileSync(arrivals, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(HEARTBEATS + 1);
    for (const line of lines) {
      const [, stamp, arrived, read, coalesced] = line.split(' ').map(Number);
      expect(arrived! - stamp!).toBeGreaterThan(-1); // the two processes' wall clocks agree
      expect(read!).toBeGreaterThanOrEqual(arrived!);
      expect([0, 1]).toContain(coalesced);
    }
    expect(lines.at(-1)).toMatch(/^123# /);

    const capture = join(dir, 'bus.log');
    writeFileSync(capture, `${captured.join('\n')}\n`);
    const error = captureTimeError(capture, arrivals);
    expect(error.compared + error.coalesced).toBe(HEARTBEATS + 1);
    expect(error.missingFromCapture).toBe(0);
    expect(error.readMaxMs).toBeGreaterThanOrEqual(error.maxMs);
    // A capture that dated the frames otherwise does not match them at all.
    writeFileSync(capture, `${captured.slice(1).join('\n')}\n`);
    expect(captureTimeError(capture, arrivals).missingFromCapture).toBe(1);
  });

  it('sets apart a frame whose write waited unread for the next, and dates the next by its own', async () => {
    const { dir, captured, station, arrivals, listener } = await listenerOnBus();
    const pid = listener.pid ?? 0;
    process.kill(pid, 'SIGSTOP'); // the listener stalls: both writes wait in its socket
    try {
      station.send({ id: 0x100, extended: false, data: Uint8Array.of(1) });
      await sleep(WAIT_BETWEEN_MS);
      station.send({ id: 0x101, extended: false, data: Uint8Array.of(2) });
      await sleep(20);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await sleep(50);
    await listener.stop();
    const capture = join(dir, 'bus.log');
    writeFileSync(capture, `${captured.join('\n')}\n`);
    const error = captureTimeError(capture, arrivals);
    // The first write waited for the second and was merged with it: its arrival is not known
    // and it is set apart; the second is dated by its own arrival.
    expect([error.compared, error.coalesced]).toEqual([1, 1]);
    expect(error.maxMs).toBeLessThan(WAIT_BETWEEN_MS / 3);
    expect(error.coalescedUpToMs).toBeGreaterThan(WAIT_BETWEEN_MS * 0.75);
    // Read only after the stall: the time the listener read them is late by about as much.
    expect(error.readMaxMs).toBeGreaterThan(WAIT_BETWEEN_MS * 0.75);
  });
});
