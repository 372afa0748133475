/**
 * `headland import` ends on SIGINT/SIGTERM like any program, even in the middle of reading its
 * file: a real process reading a FIFO that never ends.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './test-helpers/cli-process.js';

async function interrupted(
  signal: 'SIGINT' | 'SIGTERM',
): Promise<NodeJS.Signals | 'still running'> {
  const fifo = join(mkdtempSync(join(tmpdir(), 'headland-import-')), 'field.geojson');
  execFileSync('mkfifo', [fifo]);
  const child = spawn(process.execPath, [BIN, 'import', fifo], { stdio: 'ignore' });
  // Opening the FIFO for writing returns once the import has opened it for reading.
  const writer = await open(fifo, 'w');
  await writer.write('{"type":"Polygon","coordinates":[[');
  const ended = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, sig) => resolve(sig)),
  );
  child.kill(signal);
  const outcome = await Promise.race([
    ended,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 3_000)),
  ]);
  child.kill('SIGKILL');
  await writer.close();
  return outcome ?? 'still running';
}

describe('headland import and signals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'ends on %s while it reads its file',
    async (signal) => {
      expect(await interrupted(signal)).toBe(signal);
    },
    30_000,
  );
});
