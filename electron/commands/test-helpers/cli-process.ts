/** Running the real `headland` binary in tests: start-and-wait, run-to-exit, and polling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'headland.mjs');

const started: ChildProcess[] = [];

export interface StartedCli {
  child: ChildProcess;
  match: RegExpExecArray;
  /** Everything it has written to stdout and stderr so far. */
  output: () => string;
}

/**
 * Starts `headland ...args` and resolves with the first match of `ready` in its stdout and
 * stderr together; rejects with its output if it exits first.
 */
export function startCli(
  args: readonly string[],
  ready: RegExp,
  /** Wraps the command (in `nice`, say), keeping the process's id the one spawned. */
  wrap: (command: string, args: readonly string[]) => [string, string[]] = (c, a) => [c, [...a]],
): Promise<StartedCli> {
  const [command, wrapped] = wrap(process.execPath, [BIN, ...args]);
  const child = spawn(command, wrapped, { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const scan = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, match, output: () => out });
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.once('exit', (code) =>
      reject(new Error(`headland ${args[0] ?? ''} exited ${code}: ${out}`)),
    );
  });
}

/** Kills every process startCli started (call in afterEach). */
export function killStartedClis(): void {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
}

/** Runs `headland ...args` to its exit. */
export function runCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls `probe` until `ok` holds or `timeoutMs` passes; returns the last value seen. */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Resolves with the exit code once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
