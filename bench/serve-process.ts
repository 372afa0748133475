/** Starts `headland serve` as a real process for benchmarks (compiled CLI, real clock). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'headland.mjs');

export interface RunningProcess {
  /** The first capture group of the line waited for (the URL for a server). */
  match: string;
  /** ms from spawn to that line on stdout. */
  readyMs: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface RunningServe extends RunningProcess {
  url: string;
}

/** Spawns `command`, resolving when a stdout line matches `line` (which must capture a group). */
export async function spawnUntilLine(
  command: string,
  args: readonly string[],
  line: RegExp,
): Promise<RunningProcess> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const match = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = line.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${command} exited ${code}: ${stderr}`)));
  });
  const readyMs = performance.now() - started;
  return {
    match,
    readyMs,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function startServe(
  simTractors: number,
  extraArgs: readonly string[] = [],
): Promise<RunningServe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-'));
  const running = await spawnUntilLine(
    process.execPath,
    [BIN, 'serve', '--sim', String(simTractors), '--port', '0', '--data', dataDir, ...extraArgs],
    /^Headland station listening on (\S+)$/m,
  );
  return { ...running, url: running.match };
}
