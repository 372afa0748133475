import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationSnapshot } from '../../shared/index.js';
import { exited, killStartedClis, runCli as run, startCli } from './test-helpers/cli-process.js';

afterEach(killStartedClis);

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

  it('refuses two different operator tokens under the old and the new flag name', async () => {
    const result = await run([
      'serve',
      '--sync-token',
      'old-name-token-1',
      '--operator-token',
      'new-name-token-2',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sync-token is the old name of --operator-token');
  });

  it('refuses a host name with a port, or an origin that is no origin', async () => {
    const host = await run(['serve', '--allow-host', 'laptop.local:8080']);
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('--allow-host expects a host name without port');
    const origin = await run(['serve', '--allow-origin', 'office.example']);
    expect(origin.code).toBe(2);
    expect(origin.stderr).toContain('--allow-origin expects http://NAME[:PORT]');
  });

  it('refuses one token for two roles', async () => {
    const result = await run([
      'serve',
      '--operator-token',
      'same-token-for-both',
      '--viewer-token',
      'same-token-for-both',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must differ');
  });

  it('prints the role links, with the tokens it was given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-serve-'));
    const { match } = await startCli(
      [
        'serve',
        '--sim',
        '0',
        '--port',
        '0',
        '--data',
        dataDir,
        '--sync-token',
        'operator-token-1',
        '--viewer-token',
        'viewer-token-123',
      ],
      // stdout and stderr arrive on separate pipes: find every line in either order.
      /^(?=[\s\S]*operator page (http:\/\/\S+))(?=[\s\S]*viewer page (http:\/\/\S+))(?=[\s\S]*admin token (\S+))(?=[\s\S]*listening on (http:\/\/\S+))/,
    );
    expect(match[1]).toBe(`${match[4]!}/?token=operator-token-1`);
    expect(match[2]).toBe(`${match[4]!}/?token=viewer-token-123`);
    expect(match[3]!.length).toBeGreaterThanOrEqual(12);
  });

  it('never starts by itself a job it read back, even one that was only opened', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-serve-'));
    const serve = (args: string[]) =>
      startCli(
        ['serve', '--sim', '2', '--port', '0', '--data', dataDir, ...args],
        /^Headland station listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
      );
    const first = await serve(['--no-start']);
    const firstExit = exited(first.child);
    first.child.kill('SIGTERM');
    expect(await firstExit).toBe(0);

    const again = await serve([]);
    const url = again.match[1]!;
    // A job that starts by itself is started before the listening line is printed.
    const state = (await (await fetch(`${url}/api/state`)).json()) as StationSnapshot;
    expect(state.job.state).toBe('planned');
    expect(state.tractors.map((t) => t.state)).not.toContain('working');
    expect(state.tractors.map((t) => t.state)).not.toContain('turning');
  });

  it('prints the listening line, serves health, and saves the job on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-serve-'));
    const { child, match } = await startCli(
      ['serve', '--sim', '2', '--port', '0', '--data', dataDir],
      /^Headland station listening on (http:\/\/127\.0\.0\.1:\d+)$/m,
    );
    const url = match[1]!;
    const health = (await (await fetch(`${url}/api/health`)).json()) as { tractors: number };
    expect(health.tractors).toBe(2);
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(existsSync(join(dataDir, 'job.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dataDir, 'job.json'), 'utf8'))).toMatchObject({
      version: 2,
      fieldName: 'Long Meadow (demo)',
    });
  });
});
