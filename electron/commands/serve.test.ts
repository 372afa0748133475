import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'headland.mjs');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('headland serve', () => {
  it('rejects a bad flag with the usage and exit code 2', async () => {
    const result = await run(['serve', '--sim', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sim expects a whole number');
    expect(result.stderr).toContain('Usage: headland serve');
  });

  it('rejects an unknown flag', async () => {
    const result = await run(['serve', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--bogus'/);
  });

  it('prints the listening line, serves health, and saves the job on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-serve-'));
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--sim', '2', '--port', '0', '--data', dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /^Headland station listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const health = (await (await fetch(`${url}/api/health`)).json()) as { tractors: number };
    expect(health.tractors).toBe(2);
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(existsSync(join(dataDir, 'job.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dataDir, 'job.json'), 'utf8'))).toMatchObject({
      version: 2,
      fieldName: 'Long Meadow (demo)',
    });
  });
});
