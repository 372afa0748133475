import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { JobDoc } from '../sync/index.js';
import { ManualClock } from '../time/index.js';
import { eventually, exited, killStartedClis, startCli } from './test-helpers/cli-process.js';

const WRITE_TOKEN = 'write-token-for-tests';
const VIEWER_TOKEN = 'viewer-token-for-tests';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  killStartedClis();
});

async function serve(
  dataDir: string,
): Promise<{ url: string; jobId: string; child: ChildProcess }> {
  const { child, match } = await startCli(
    [
      'serve',
      '--sim',
      '2',
      '--port',
      '0',
      '--data',
      dataDir,
      '--sync-token',
      WRITE_TOKEN,
      '--viewer-token',
      VIEWER_TOKEN,
    ],
    // stdout and stderr arrive on separate pipes: find both lines in either order.
    /^(?=[\s\S]*job document at ws:\/\/\S+\/sync\/(\S+) )(?=[\s\S]*listening on (http:\/\/\S+))/,
  );
  return { url: match[2]!, jobId: match[1]!, child };
}

function replica(url: string, jobId: string, token: string): { doc: Y.Doc; synced: Promise<void> } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace('http', 'ws')}/sync`, jobId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, synced: new Promise((resolve) => provider.once('sync', () => resolve())) };
}

function until(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  return eventually(check, (ok) => ok, timeoutMs);
}

describe("the station's job lives in a shared Yjs document", () => {
  it('a stock y-websocket client syncs the running job, and the job survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-sync-'));
    const first = await serve(dataDir);
    const viewer = replica(first.url, first.jobId, VIEWER_TOKEN);
    await viewer.synced;
    const read = new JobDoc({
      actor: { role: 'station', id: 'reader' },
      clock: new ManualClock(),
      doc: viewer.doc,
    });
    expect(read.snapshot().jobId).toBe(first.jobId);
    expect(read.snapshot().sections.length).toBeGreaterThan(10);
    expect(await until(() => read.snapshot().sections.every((s) => s.tractorId !== null))).toBe(
      true,
    );
    expect(
      await until(() => Object.keys(read.snapshot().coverageSegmentCounts).length > 0, 40_000),
    ).toBe(true);

    // Enough worked ground that the coverage log's position rounding is far below the check.
    const worked = async (url: string): Promise<number> =>
      (
        (await (await fetch(`${url}/api/state`)).json()) as {
          job: { progress: { workedHa: number } };
        }
      ).job.progress.workedHa;
    const end = Date.now() + 60_000;
    while ((await worked(first.url)) < 0.02 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 250));
    const before = { job: { progress: { workedHa: await worked(first.url) } } };
    expect(before.job.progress.workedHa).toBeGreaterThanOrEqual(0.02);
    const firstExited = exited(first.child);
    first.child.kill('SIGTERM');
    await firstExited;

    const second = await serve(dataDir);
    expect(second.jobId).toBe(first.jobId);
    const after = (await (await fetch(`${second.url}/api/state`)).json()) as {
      job: { state: string; progress: { workedHa: number } };
    };
    expect(after.job.state).toBe('paused');
    expect(after.job.progress.workedHa).toBeGreaterThan(0);
    expect(after.job.progress.workedHa).toBeGreaterThanOrEqual(before.job.progress.workedHa * 0.98);
  }, 150_000);
});
