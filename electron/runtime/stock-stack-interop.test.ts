/**
 * An independent ISO 11783 stack on the station's bus, as `headland serve --sim N --can-server`
 * exposes it: a python-can client (electron/isobus/test-helpers/stock-stack.py) replays a stock
 * stack frame by frame over the socketcand protocol on loopback. Skipped, saying why, without
 * Debian's python3-can.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_FIELD_PATH } from './app-paths.js';
import { SocketcandLink, SocketcandServer, type CanFrame } from '../can/index.js';
import {
  decodeCm,
  encodeName,
  IsobusNode,
  PGN,
  toPgnFrame,
  type IsobusMessage,
} from '../isobus/index.js';
import { createSimulatedStation } from './simulation.js';
import { loadField } from './station.js';
import { SystemClock } from '../time/index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../isobus/test-helpers/stock-stack.py', import.meta.url));
const hasPythonCan =
  spawnSync(PYTHON, ['-c', 'import can.interfaces.socketcand'], { stdio: 'ignore' }).status === 0;
const skipped = hasPythonCan
  ? ''
  : ' [skipped: python3-can not installed; apt-get install python3-can (CI: .ci/apt-packages)]';

const PROPRIETARY_A = 0xef00;
const STOCK_ADDRESS = 0x35;
/** A NAME that is not self-configurable: it beats every NAME of the fleet (all self-configurable). */
const stockName = (identityNumber: number): string =>
  encodeName({
    identityNumber,
    manufacturerCode: 69,
    ecuInstance: 0,
    functionInstance: 0,
    function: 25,
    deviceClass: 0,
    deviceClassInstance: 0,
    industryGroup: 2,
    selfConfigurable: false,
  }).toString(16);

/** The payload stock-stack.py sends for `seed`. */
const stockPayload = (size: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7 + seed) & 0xff);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Wire {
  readonly frame: CanFrame;
  readonly sender: string;
}

/** The station and two simulated tractors on their virtual CAN bus, with the socketcand server. */
async function stationOnBus() {
  const clock = new SystemClock();
  const sim = createSimulatedStation({
    clock,
    field: await loadField(DEMO_FIELD_PATH),
    simCount: 2,
    link: 'can',
  });
  cleanups.push(() => sim.close());
  const bus = sim.canBus!;
  const fleet = sim.fleet!;
  const wire: Wire[] = [];
  bus.onWire((frame, sender) => wire.push({ frame, sender }));
  const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  await sim.station.whenTractors(2);
  const tractor = [...fleet.tractors.values()][0]!;
  await tractor.started;
  return {
    clock,
    bus,
    fleet,
    server,
    port,
    wire,
    station: fleet.stationNode,
    tractor: tractor.node,
  };
}

/**
 * Runs stock-stack.py with `steps`; resolves with the JSON lines of the steps once it exits.
 * `connected` runs when the script has joined the bus, before its first step.
 */
async function stockStack(
  port: number,
  steps: unknown[],
  connected: () => void = () => undefined,
): Promise<Record<string, unknown>[]> {
  const child = spawn(PYTHON, [SCRIPT, String(port), JSON.stringify(steps)]);
  cleanups.push(() => void child.kill());
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    if (out === '' && c.toString().includes('"connected"')) connected();
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`stock-stack.py exited with ${code}: ${err}`);
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.step !== 'connected');
}

function etpAborts(wire: readonly Wire[]): Wire[] {
  return wire.filter(({ frame }) => {
    const f = toPgnFrame(frame);
    return f?.pgn === PGN.ETP_CM && decodeCm(f.data, true)?.kind === 'abort';
  });
}

describe('a stock ISO 11783 stack on the station’s bus (python-can over socketcand)', () => {
  it(`sends ETP to the station and to a tractor with 1, 16 and 255 packets per DPO${skipped}`, async ({
    skip,
  }) => {
    if (!hasPythonCan) return skip();
    const { port, wire, station, tractor } = await stationOnBus();
    const atStation: IsobusMessage[] = [];
    const atTractor: IsobusMessage[] = [];
    // The fleet's own link runs on the same PGN (a hello retransmitted on a loaded machine may
    // arrive meanwhile): only the stock stack's messages are this test's.
    station.onPgn(PROPRIETARY_A, (m) => {
      if (m.source === STOCK_ADDRESS) atStation.push(m);
    });
    tractor.onPgn(PROPRIETARY_A, (m) => {
      if (m.source === STOCK_ADDRESS) atTractor.push(m);
    });
    const targets = [station.address!, tractor.address!];
    const cases = targets.flatMap((to) => [1, 16, 255].map((dpo) => ({ to, dpo })));
    const results = await stockStack(port, [
      { claim: { address: STOCK_ADDRESS, name: stockName(77) } },
      ...cases.map(({ to, dpo }) => ({
        etp: { to, pgn: PROPRIETARY_A, size: 3000, dpo, seed: dpo },
      })),
    ]);

    // 429 packets: one CTS per DPO block, none asked for twice.
    expect(results.slice(1).map((r) => [r.ok, r.size, r.cts])).toEqual(
      cases.map(({ dpo }) => [true, 3000, Math.ceil(429 / dpo)]),
    );
    for (const [inbox, to] of [
      [atStation, targets[0]],
      [atTractor, targets[1]],
    ] as const) {
      expect(inbox.map((m) => [m.source, m.destination])).toEqual(
        Array.from({ length: 3 }, () => [STOCK_ADDRESS, to]),
      );
      inbox.forEach((m, i) => {
        const seed = [1, 16, 255][i]!;
        expect(Buffer.from(m.data).equals(Buffer.from(stockPayload(3000, seed)))).toBe(true);
      });
    }
    expect(etpAborts(wire)).toEqual([]);
  });

  it(`takes the station's address in the middle of a transfer: nothing more from 0x20, the transfer re-opens from the new address${skipped}`, async ({
    skip,
  }) => {
    if (!hasPythonCan) return skip();
    const { port, wire, station, tractor } = await stationOnBus();
    const lost = station.address!;
    const atTractor: IsobusMessage[] = [];
    const data = stockPayload(20_000, 3);
    // The fleet's own link to the tractor runs on the same PGN: only this transfer is counted.
    tractor.onPgn(PROPRIETARY_A, (m) => {
      if (m.data.length === data.length) atTractor.push(m);
    });
    let sent: Promise<unknown> = Promise.resolve('not started');
    // The transfer starts once the stock stack is on the bus, so it sees it from the beginning.
    const [result] = await stockStack(
      port,
      [{ take: { address: lost, name: stockName(78), after_dt: 50, listen_s: 0.5 } }],
      () => {
        sent = station.send(PROPRIETARY_A, data, { destination: tractor.address! }).then(
          () => 'sent',
          (e: unknown) => e,
        );
      },
    );
    expect(result).toMatchObject({ ok: true });
    const outcome = await sent;

    const claimAt = wire.findIndex(
      ({ frame, sender }) =>
        sender.startsWith('socketcand-') && toPgnFrame(frame)?.pgn === PGN.ADDRESS_CLAIMED,
    );
    expect(claimAt).toBeGreaterThan(0);
    const fromLost = wire
      .slice(claimAt + 1)
      .filter(
        ({ frame, sender }) => !sender.startsWith('socketcand-') && (frame.id & 0xff) === lost,
      );
    expect(fromLost).toEqual([]);
    // The bus's own order is the truth: the stock stack's receive times come from another clock,
    // and a frame already on its way when the claim went out may reach it later. What it heard
    // from the lost address must all be frames the bus carried before the claim.
    const beforeClaimFromLost = wire
      .slice(0, claimAt)
      .filter(
        ({ frame, sender }) => !sender.startsWith('socketcand-') && (frame.id & 0xff) === lost,
      );
    const heardFromLost = (result!.heard as [string, number][]).filter(
      ([id]) => (Number.parseInt(id, 16) & 0xff) === lost,
    );
    expect(heardFromLost.length).toBeLessThanOrEqual(beforeClaimFromLost.length);
    expect(outcome).toBe('sent');
    expect(station.address).not.toBe(lost);
    expect(atTractor).toHaveLength(1);
    expect(atTractor[0]!.source).toBe(station.address);
    expect(Buffer.from(atTractor[0]!.data).equals(Buffer.from(data))).toBe(true);
    expect(etpAborts(wire)).toEqual([]);
  });

  it(`carries an ETP between two socketcand clients through the bus, every frame captured${skipped}`, async ({
    skip,
  }) => {
    if (!hasPythonCan) return skip();
    const { port, wire, clock } = await stationOnBus();
    const link = new SocketcandLink({ host: '127.0.0.1', port, bus: 'can0', clock });
    cleanups.push(() => link.close());
    const onWire = new Set<string>();
    const key = (f: CanFrame): string => `${f.id}:${Buffer.from(f.data).toString('hex')}`;
    for (const { frame } of wire) onWire.add(key(frame));
    const early: CanFrame[] = [];
    link.on('frame', (f) => {
      const seen = wire.some(({ frame }) => key(frame) === key(f));
      if (!seen) early.push(f);
    });
    const node = new IsobusNode({
      link,
      clock,
      name: BigInt(`0x${stockName(90)}`),
      preferredAddress: 0x36,
    });
    cleanups.push(() => node.stop());
    await node.start();
    const got: IsobusMessage[] = [];
    node.onPgn(PROPRIETARY_A, (m) => got.push(m));
    const [, result] = await stockStack(port, [
      { claim: { address: STOCK_ADDRESS, name: stockName(79) } },
      { etp: { to: 0x36, pgn: PROPRIETARY_A, size: 3000, dpo: 16, seed: 9 } },
    ]);

    expect(result).toMatchObject({ ok: true, size: 3000, cts: 27 });
    expect(Buffer.from(got[0]!.data).equals(Buffer.from(stockPayload(3000, 9)))).toBe(true);
    expect(early).toEqual([]);
    // Every frame either client sent crossed the wire from its own node: the python client's
    // claim, RTS, 27 DPO and 429 DT; our client's claim, request, 27 CTS and the EoMA.
    const fromPython = wire.filter(({ frame }) => (frame.id & 0xff) === STOCK_ADDRESS);
    expect(fromPython).toHaveLength(1 + 1 + 27 + 429);
    expect(new Set(fromPython.map((w) => w.sender)).size).toBe(1);
    const fromOurs = wire.filter(({ frame }) => (frame.id & 0xff) === 0x36);
    expect(fromOurs.map((w) => toPgnFrame(w.frame)?.pgn)).toEqual([
      PGN.ADDRESS_CLAIMED,
      ...Array<number>(28).fill(PGN.ETP_CM),
    ]);
  });
});
