import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Command, CommandResult, StationSnapshot } from '../../shared/index.js';
import { eventually as until, killStartedClis, startCli } from './test-helpers/cli-process.js';

afterEach(killStartedClis);

const OPERATOR_TOKEN = 'operator-apart-1';

/** Sends commands over the bridge and resolves with each result. */
function commander(ws: WebSocket): (command: Command) => Promise<CommandResult> {
  let nextId = 1;
  const waiting = new Map<number, (result: CommandResult) => void>();
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { op: string; id?: number; result?: unknown };
    if (message.op !== 'result' || message.id === undefined) return;
    waiting.get(message.id)?.(message.result as CommandResult);
    waiting.delete(message.id);
  });
  return (command) =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ op: 'command', id, command }));
    });
}

async function state(url: string): Promise<StationSnapshot> {
  return (await (await fetch(`${url}/api/state`)).json()) as StationSnapshot;
}

describe('station and simulated fleet in separate processes over socketcand', () => {
  it('remote tractors claim addresses, join, take work, stop, are released to paused and resume', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-apart-'));
    // stdout and stderr arrive on separate pipes: find both lines in either order.
    const serve = await startCli(
      [
        'serve',
        '--sim',
        '1',
        '--port',
        '0',
        '--data',
        dataDir,
        '--can-server',
        '127.0.0.1:0',
        '--operator-token',
        OPERATOR_TOKEN,
      ],
      /^(?=[\s\S]*socketcand server on 127\.0\.0\.1:(\d+))(?=[\s\S]*listening on (http:\/\/\S+))/,
    );
    const [, canPort, url] = serve.match;
    await startCli(
      [
        'sim',
        '--can',
        `socketcand://127.0.0.1:${canPort!}/can0`,
        '--tractors',
        '2',
        '--fleet-key-file',
        join(dataDir, 'fleet.key'),
      ],
      /2 tractors joined/,
    );

    const joined = await until(
      () => state(url!),
      (s) => s.tractors.length === 3 && s.tractors.every((t) => t.sectionIds.length > 0),
    );
    expect(joined.tractors.map((t) => t.name).sort()).toEqual([
      'Remote 1',
      'Remote 2',
      'Tractor 1',
    ]);
    expect(joined.tractors.every((t) => t.link.state === 'online')).toBe(true);

    const ws = new WebSocket(`${url!.replace('http', 'ws')}/api/ws?token=${OPERATOR_TOKEN}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const command = commander(ws);
    expect(await command({ type: 'fleetStop' })).toMatchObject({ ok: true });
    // /api/state is the snapshot of the current tick: the confirmations may show a tick before
    // every machine's own report of its halt.
    const stopped = await until(
      () => state(url!),
      (s) => s.stops[0]?.confirmed === 3 && s.tractors.every((t) => t.state === 'stopped'),
    );
    expect(stopped.stops[0]).toMatchObject({ confirmed: 3, total: 3 });
    expect(stopped.tractors.every((t) => t.state === 'stopped')).toBe(true);

    // The release is authenticated for the id the station knows each machine by: a remote
    // machine verifies it for that id too, so every machine is released, none refuses.
    expect(await command({ type: 'release', stopId: stopped.stops[0]!.id })).toMatchObject({
      ok: true,
    });
    const released = await until(
      () => state(url!),
      (s) => s.stops.length === 0 && s.tractors.every((t) => t.state === 'paused'),
    );
    expect(released.stops).toEqual([]);
    expect(released.tractors.map((t) => t.state)).toEqual(['paused', 'paused', 'paused']);
    expect(released.alerts.filter((a) => a.message.includes('refused'))).toEqual([]);

    expect(await command({ type: 'resumeJob' })).toMatchObject({ ok: true });
    const moving = await until(
      () => state(url!),
      (s) => s.tractors.every((t) => t.state === 'working' || t.state === 'turning'),
    );
    expect(moving.tractors.every((t) => t.state === 'working' || t.state === 'turning')).toBe(true);

    // STOP ALL, then one remote machine released and resumed while the fleet stop holds the
    // others: the stop's repeats never stop it again, and no machine is said to stop itself.
    expect(await command({ type: 'fleetStop' })).toMatchObject({ ok: true });
    const held = await until(
      () => state(url!),
      (s) => s.stops[0]?.confirmed === 3 && s.tractors.every((t) => t.state === 'stopped'),
    );
    const remote = held.tractors.find((t) => t.name === 'Remote 1')!;
    expect(await command({ type: 'release', tractorIds: [remote.id] })).toMatchObject({ ok: true });
    await until(
      () => state(url!),
      (s) => s.tractors.find((t) => t.id === remote.id)?.state === 'paused',
    );
    expect(await command({ type: 'resumeTractor', tractorId: remote.id })).toMatchObject({
      ok: true,
    });
    const partly = await until(
      () => state(url!),
      (s) =>
        ['working', 'turning'].includes(s.tractors.find((t) => t.id === remote.id)?.state ?? ''),
    );
    expect(partly.stops).toMatchObject([{ total: 2, confirmed: 2 }]);
    // Three keep-alives of the fleet stop later it still works, and the others still stand.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const later = await state(url!);
    ws.close();
    expect(['working', 'turning']).toContain(later.tractors.find((t) => t.id === remote.id)?.state);
    expect(later.tractors.filter((t) => t.id !== remote.id).map((t) => t.state)).toEqual([
      'stopped',
      'stopped',
    ]);
    expect(later.alerts.filter((a) => a.message.includes('stopped itself'))).toEqual([]);
  }, 120_000);
});
