import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, killStartedClis, runCli, startCli } from './test-helpers/cli-process.js';

const LISTENING = /Headland station listening on (http:\/\/\S+)/;

afterEach(killStartedClis);

function busyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('headland serve start-up', () => {
  it('exits 1 when its port is taken, before any machine was set to work, releasing the folder', async () => {
    const { server, port } = await busyPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-busy-'));
    try {
      const result = await runCli([
        'serve',
        '--sim',
        '2',
        '--port',
        String(port),
        '--data',
        dataDir,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
      expect(result.stderr).toContain('EADDRINUSE');
      // The job was written as it was: never started.
      const record = JSON.parse(readFileSync(join(dataDir, 'job.json'), 'utf8')) as {
        state: string;
      };
      expect(record.state).toBe('planned');
      expect(existsSync(join(dataDir, 'station.lock'))).toBe(false);
    } finally {
      server.close();
    }
  }, 60_000);

  it('refuses a second station on the same data folder, naming the first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-twice-'));
    const args = ['serve', '--sim', '0', '--port', '0', '--data', dataDir];
    const first = await startCli(args, LISTENING);
    const second = await runCli(args);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `the data folder ${dataDir} is in use by another Headland station (pid ${first.child.pid}`,
    );
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    // Released on a clean exit; a station killed with -9 leaves a stale lock the next one takes.
    expect(existsSync(join(dataDir, 'station.lock'))).toBe(false);
    const third = await startCli(args, LISTENING);
    third.child.kill('SIGKILL');
    await exited(third.child);
    expect(existsSync(join(dataDir, 'station.lock'))).toBe(true);
    const fourth = await startCli(args, /stale lock taken over \(pid \d+ is no longer running\)/);
    fourth.child.kill('SIGTERM');
    expect(await exited(fourth.child)).toBe(0);
  }, 60_000);
});
