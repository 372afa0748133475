/**
 * The crash-and-restart scenario shared by the test and the benchmark: a real station process
 * (restart-station-child.ts) talks over socketcand to two tractors on this process's virtual
 * bus (sim-02 cut off, so its messages pile up in store-and-forward), is killed with SIGKILL
 * mid-queue, and a new station over the same data folder takes over. Every message the killed
 * process acknowledged to its caller must reach its tractor exactly once and in order.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocketcandServer, VirtualBus } from '../../can/index.js';
import { IsobusNode } from '../../isobus/index.js';
import { SystemClock } from '../../time/index.js';
import { FleetLinkNode } from '../fleet-link-node.js';
import { FileOutboxStore } from '../outbox-store.js';
import { fleetName } from '../virtual-fleet.js';
import { MSG } from '../wire-format.js';

export const STATION_NAME = fleetName(1, 0);
export const STATION_PREFERRED = 0x20;
export const RESTART_ROSTER: ReadonlyMap<string, bigint> = new Map([
  ['station', STATION_NAME],
  ['sim-01', fleetName(2, 1)],
  ['sim-02', fleetName(3, 1)],
]);

export interface RestartResult {
  /** Messages the killed station acknowledged to its caller. */
  acked: number;
  /** Of those, never delivered after the restart. */
  lost: number;
  /** Deliveries of a message a tractor already had. */
  duplicates: number;
  /** Deliveries out of acceptance order. */
  outOfOrder: number;
  delivered: number;
}

const CHILD = join(import.meta.dirname, 'restart-station-child.ts');

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function runRestartScenario(
  options: { ackedBeforeKill?: number } = {},
): Promise<RestartResult> {
  const killAfter = options.ackedBeforeKill ?? 300;
  const dir = mkdtempSync(join(tmpdir(), 'headland-link-restart-'));
  const clock = new SystemClock();
  const bus = new VirtualBus({ clock });
  const server = new SocketcandServer({ medium: bus, bus: 'can0', clock });
  const port = await server.listen(0);
  const tractors: { link: FleetLinkNode; node: IsobusNode }[] = [];
  const got = new Map<string, number[]>([
    ['sim-01', []],
    ['sim-02', []],
  ]);
  const closers: (() => void)[] = [];
  try {
    for (const id of ['sim-01', 'sim-02']) {
      const can = bus.createNode(id);
      const node = new IsobusNode({
        link: can,
        clock,
        name: RESTART_ROSTER.get(id) ?? 0n,
        preferredAddress: id === 'sim-01' ? 0x80 : 0x81,
      });
      const link = new FleetLinkNode({
        id,
        role: 'tractor',
        node,
        link: can,
        clock,
        roster: RESTART_ROSTER,
      });
      link.onReliable((peer, type, body) => {
        if (peer === 'station' && type === MSG.SYNC_DATA)
          got.get(id)?.push((body[0] ?? 0) | ((body[1] ?? 0) << 8));
      });
      tractors.push({ link, node });
      closers.push(() => {
        link.close();
        node.stop();
      });
    }
    await Promise.all(tractors.map((t) => t.link.start()));
    bus.partition(['socketcand', 'sim-01'], ['sim-02']);

    // The station process, killed with SIGKILL once it has acknowledged `killAfter` messages.
    const acked = new Map<string, number[]>([
      ['sim-01', []],
      ['sim-02', []],
    ]);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(port), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    let count = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [word, peer, tag] = line.split(' ');
        if (word !== 'ok' || !peer || tag === undefined) continue;
        acked.get(peer)?.push(Number(tag));
        count++;
      }
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await until(() => count >= killAfter, 30_000, 'the station child to queue messages');
    child.kill('SIGKILL');
    await exited;

    // The restarted station: same NAME, same data folder, now on the bus directly.
    bus.heal();
    const can = bus.createNode('station-2');
    const node = new IsobusNode({
      link: can,
      clock,
      name: STATION_NAME,
      preferredAddress: STATION_PREFERRED,
    });
    const station = new FleetLinkNode({
      id: 'station',
      role: 'station',
      node,
      link: can,
      clock,
      roster: RESTART_ROSTER,
      store: new FileOutboxStore(dir),
    });
    closers.push(() => {
      station.close();
      node.stop();
    });
    await station.start();
    const ackedTotal = (acked.get('sim-01')?.length ?? 0) + (acked.get('sim-02')?.length ?? 0);
    const allIn = (): boolean =>
      [...acked].every(([peer, tags]) => tags.every((t) => got.get(peer)?.includes(t)));
    await until(
      () => allIn() && station.engine.queued().sync === 0,
      30_000,
      'the restarted station to drain its outbox',
    ).catch(() => undefined);

    let lost = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let delivered = 0;
    for (const [peer, tags] of acked) {
      const list = got.get(peer) ?? [];
      delivered += list.length;
      duplicates += list.length - new Set(list).size;
      for (let i = 1; i < list.length; i++) if ((list[i] ?? 0) <= (list[i - 1] ?? 0)) outOfOrder++;
      const seen = new Set(list);
      lost += tags.filter((t) => !seen.has(t)).length;
    }
    return { acked: ackedTotal, lost, duplicates, outOfOrder, delivered };
  } finally {
    for (const close of closers.reverse()) close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
