import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'headland.mjs');
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return check();
}

describe('mirroring the job to a Hocuspocus server', () => {
  it('the farm office server receives the running job: sections and assignments', async () => {
    const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
    await server.listen();
    cleanups.push(() => server.destroy());
    const url = `ws://127.0.0.1:${server.address.port}`;

    const child = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        '--sim',
        '2',
        '--port',
        '0',
        '--data',
        mkdtempSync(join(tmpdir(), 'headland-upstream-')),
        '--upstream',
        url,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanups.push(() => void child.kill('SIGKILL'));
    let out = '';
    const jobId = await new Promise<string>((resolve, reject) => {
      const scan = (chunk: Buffer): void => {
        out += chunk.toString();
        const match = /mirroring job (\S+) to/.exec(out);
        if (match?.[1]) resolve(match[1]);
      };
      child.stdout.on('data', scan);
      child.stderr.on('data', scan);
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });

    const document = (): JobDoc | null => {
      const doc = server.hocuspocus.documents.get(jobId);
      return doc
        ? new JobDoc({ actor: { role: 'station', id: 'office' }, clock: new ManualClock(), doc })
        : null;
    };
    expect(await until(() => (document()?.snapshot().sections.length ?? 0) > 10)).toBe(true);
    expect(
      await until(
        () =>
          document()
            ?.snapshot()
            .sections.every((s) => s.tractorId !== null) ?? false,
      ),
    ).toBe(true);
  }, 60_000);

  it('refuses an upstream that is not a WebSocket URL', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--upstream', 'http://example'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--upstream expects ws://');
  });
});
