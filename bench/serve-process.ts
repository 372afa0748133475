/** Starts `headland serve` as a real process for benchmarks (compiled CLI, real clock). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'headland.mjs');

export interface RunningServe {
  url: string;
  /** ms from spawn to the listening line. */
  readyMs: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServe(
  simTractors: number,
  extraArgs: readonly string[] = [],
): Promise<RunningServe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-'));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--sim', String(simTractors), '--port', '0', '--data', dataDir, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /^Headland station listening on (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const readyMs = performance.now() - started;
  return {
    url,
    readyMs,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
