/**
 * The running-apart set-up for tests: `headland serve` with a socketcand server for its bus and
 * `headland sim --can socketcand://…` with remote tractors in a process of their own, as real
 * machines would join; commands over the operator's bridge, state from /api/state.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Command, CommandResult, StationSnapshot } from '../../../shared/index.js';
import { eventually, startCli, type StartedCli } from './cli-process.js';

export const OPERATOR_TOKEN = 'operator-apart-1';

export interface ApartStation {
  url: string;
  dataDir: string;
  state: () => Promise<StationSnapshot>;
  command: (command: Command) => Promise<CommandResult>;
  /** The `headland serve` process and the port of its socketcand server. */
  serve: StartedCli;
  canPort: number;
  /** The `headland sim --can …` process of the remote tractors. */
  remoteSim: StartedCli;
  close: () => void;
}

/** Sends commands over the bridge and resolves with each result. */
export function commander(ws: WebSocket): (command: Command) => Promise<CommandResult> {
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

/** `headland serve` as the set-up runs it: its socketcand server on `canPort` (0: any). */
export function apartServeArgs(local: number, dataDir: string, canPort: number): string[] {
  return [
    'serve',
    '--sim',
    String(local),
    '--port',
    '0',
    '--data',
    dataDir,
    '--can-server',
    `127.0.0.1:${canPort}`,
    '--operator-token',
    OPERATOR_TOKEN,
  ];
}

export async function stateAt(url: string): Promise<StationSnapshot> {
  return (await (await fetch(`${url}/api/state`)).json()) as StationSnapshot;
}

/**
 * A station with `local` simulated tractors of its own and `remote` ones in another process,
 * every one joined with work assigned; the operator's bridge open.
 */
export async function startApartStation(
  local: number,
  remote: number,
  /** Fills the data folder before the station opens it (a job it ran before, say). */
  prepare?: (dataDir: string) => void,
): Promise<ApartStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-apart-'));
  prepare?.(dataDir);
  // stdout and stderr arrive on separate pipes: find both lines in either order.
  const serve = await startCli(
    apartServeArgs(local, dataDir, 0),
    /^(?=[\s\S]*socketcand server on 127\.0\.0\.1:(\d+))(?=[\s\S]*listening on (http:\/\/\S+))/,
  );
  const [, canPort, url = ''] = serve.match;
  const remoteSim = await startCli(
    [
      'sim',
      '--can',
      `socketcand://127.0.0.1:${canPort!}/can0`,
      '--tractors',
      String(remote),
      '--first-spot',
      String(local),
      '--fleet-key-file',
      join(dataDir, 'fleet.key'),
    ],
    new RegExp(`${remote} tractors? joined`),
  );
  await eventually(
    () => stateAt(url),
    (s) => s.tractors.length === local + remote && s.tractors.every((t) => t.sectionIds.length > 0),
  );
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/ws?token=${OPERATOR_TOKEN}`);
  await new Promise((resolve) => ws.once('open', resolve));
  return {
    url,
    dataDir,
    state: () => stateAt(url),
    command: commander(ws),
    serve,
    canPort: Number(canPort),
    remoteSim,
    close: () => ws.close(),
  };
}
