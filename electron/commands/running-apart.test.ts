import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StationSnapshot } from '../../shared/index.js';
import { eventually as until, killStartedClis, startCli } from './test-helpers/cli-process.js';

afterEach(killStartedClis);

async function state(url: string): Promise<StationSnapshot> {
  return (await (await fetch(`${url}/api/state`)).json()) as StationSnapshot;
}

describe('station and simulated fleet in separate processes over socketcand', () => {
  it('remote tractors claim addresses, join, take work and confirm a fleet stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-apart-'));
    // stdout and stderr arrive on separate pipes: find both lines in either order.
    const serve = await startCli(
      ['serve', '--sim', '1', '--port', '0', '--data', dataDir, '--can-server', '127.0.0.1:0'],
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

    const ws = new WebSocket(`${url!.replace('http', 'ws')}/api/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'command', id: 1, command: { type: 'fleetStop' } }));
    // /api/state is the snapshot of the current tick: the confirmations may show a tick before
    // every machine's own report of its halt.
    const stopped = await until(
      () => state(url!),
      (s) => s.stops[0]?.confirmed === 3 && s.tractors.every((t) => t.state === 'stopped'),
    );
    ws.close();
    expect(stopped.stops[0]).toMatchObject({ confirmed: 3, total: 3 });
    expect(stopped.tractors.every((t) => t.state === 'stopped')).toBe(true);
  }, 60_000);
});
