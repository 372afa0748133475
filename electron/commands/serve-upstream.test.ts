import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';
import { eventually, killStartedClis, runCli, startCli } from './test-helpers/cli-process.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  killStartedClis();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function until(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  return eventually(check, (ok) => ok, timeoutMs);
}

describe('mirroring the job to a Hocuspocus server', () => {
  it('the farm office server receives the running job: sections and assignments', async () => {
    const server = new Server({ port: 0, address: '127.0.0.1', quiet: true });
    await server.listen();
    cleanups.push(() => server.destroy());
    const url = `ws://127.0.0.1:${server.address.port}`;

    const { match } = await startCli(
      [
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
      /mirroring job (\S+) to/,
    );
    const jobId = match[1]!;

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
    const result = await runCli(['serve', '--upstream', 'http://example']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--upstream expects ws://');
  });

  it('checks every URL of a list of office nodes', async () => {
    const result = await runCli(['serve', '--upstream', 'ws://127.0.0.1:1,http://example']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--upstream expects ws://HOST:PORT or wss://HOST:PORT, got 'http://example'",
    );
  });

  it('refuses a station id with no upstream to name it at', async () => {
    const result = await runCli(['serve', '--station-id', 'north']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--station-id names the station at its --upstream');
  });
});
