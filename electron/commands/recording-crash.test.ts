import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RECORDINGS_DIR, RecordingReader } from '../records/index.js';
import { exited, killStartedClis, startCli } from './test-helpers/cli-process.js';

const LISTENING = /Headland station listening on (http:\/\/\S+)/;

afterEach(() => killStartedClis());

function onlyRecording(dataDir: string): string {
  const files = readdirSync(join(dataDir, RECORDINGS_DIR));
  expect(files).toHaveLength(1);
  return join(dataDir, RECORDINGS_DIR, files[0] ?? '');
}

describe('the recording of a station that crashes', () => {
  it('keeps what was written before a SIGKILL, and the restarted station appends to it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-rec-crash-'));
    const args = ['serve', '--sim', '3', '--port', '0', '--data', dataDir, '--basemap', 'none'];
    const first = await startCli(args, LISTENING);
    await new Promise((r) => setTimeout(r, 14_000));
    first.child.kill('SIGKILL');
    await exited(first.child);

    const path = onlyRecording(dataDir);
    const crashed = RecordingReader.open(path);
    // Telemetry chunks span 10 s: at least the first one reached the file before the kill.
    expect(crashed.chunkCount()).toBeGreaterThanOrEqual(1);
    expect(crashed.durationMs).toBeGreaterThan(5_000);
    const midway = crashed.fleetAt(crashed.durationMs / 2);
    expect(midway).toHaveLength(3);
    expect(midway.every((t) => t.sample !== null)).toBe(true);
    expect(crashed.eventsOf('command').some((e) => e.actor.length > 0)).toBe(true);

    const second = await startCli(args, LISTENING);
    await new Promise((r) => setTimeout(r, 3_000));
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    const resumed = RecordingReader.open(onlyRecording(dataDir));
    expect(resumed.tornBytes).toBe(0);
    expect(resumed.header).toEqual(crashed.header);
    expect(resumed.durationMs).toBeGreaterThan(crashed.durationMs);
    // What was written before the crash reads back the same.
    const t = crashed.durationMs / 2;
    expect(resumed.fleetAt(t).map((f) => f.sample)).toEqual(
      crashed.fleetAt(t).map((f) => f.sample),
    );
    // The restarted station's tractors keep their indices: still three of them.
    expect(resumed.fleetAt(resumed.durationMs)).toHaveLength(3);
  }, 90_000);
});
