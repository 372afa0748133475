import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  BRIDGE_PATH,
  bridgeResponseSchema,
  stationSnapshotSchema,
  type BridgeResponse,
  type Command,
} from '../../shared/index.js';
import { JobHistory, JobRecorder, RECORDINGS_DIR, RecordingReader } from '../records/index.js';
import { ManualClock } from '../time/index.js';
// A running station on a manual clock makes the recording.
import { demoFleet } from '../sim/test-helpers/demo-fleet.js';
import { killStartedClis, runCli, startCli } from './test-helpers/cli-process.js';

let dataDir = '';
let jobId = '';

/** A 30 s recorded demo job with 3 tractors and a fleet stop, in a data folder. */
function recordJob(): void {
  dataDir = mkdtempSync(join(tmpdir(), 'headland-replay-cli-'));
  let recorder: JobRecorder | null = null;
  const fleet = demoFleet(3, undefined, undefined, undefined, (clock) => {
    recorder = new JobRecorder({ dir: join(dataDir, RECORDINGS_DIR), clock, station: 'Test' });
    return recorder;
  });
  const rec = recorder as JobRecorder | null;
  if (!rec) throw new Error('no recorder');
  fleet.station.subscribe((e) => {
    if (e.type === 'state') rec.snapshot(e.snapshot);
  });
  fleet.station.command({ type: 'startJob' }, 'ana (operator)');
  fleet.run(20_000);
  fleet.station.command({ type: 'fleetStop' }, 'ben (viewer)');
  fleet.run(10_000);
  jobId = fleet.station.jobId;
  fleet.close();
  rec.close();
}

async function state(base: string) {
  const res = await fetch(`${base}/api/state`);
  return stationSnapshotSchema.parse(await res.json());
}

/** Sends one command over the UI bridge and resolves with its result. */
function bridgeCommand(base: string, command: Command): Promise<BridgeResponse> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}${BRIDGE_PATH}`);
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ op: 'command', id: 7, command })));
    ws.on('message', (data: Buffer) => {
      const parsed = bridgeResponseSchema.safeParse(JSON.parse(data.toString('utf8')));
      if (parsed.success && parsed.data.op === 'result') {
        ws.close();
        resolve(parsed.data);
      }
    });
    ws.on('error', reject);
  });
}

beforeAll(() => recordJob(), 60_000);
afterEach(() => killStartedClis());

describe('headland replay', () => {
  it('serves the recorded fleet with replay info and seeks over the bridge', async () => {
    const { match } = await startCli(
      ['replay', jobId, '--data', dataDir, '--port', '0', '--basemap', 'none'],
      /Headland replay of (\S+) listening on (http:\/\/\S+)/,
    );
    expect(match[1]).toBe(jobId);
    const base = match[2] ?? '';
    const first = await state(base);
    expect(first.replay).toMatchObject({ atMs: 0, playing: false, speed: 1 });
    expect(first.replay?.durationMs).toBeGreaterThan(29_000);
    expect(first.field.rings.length).toBeGreaterThan(0);

    const reader = RecordingReader.open(JobRecorder.pathOf(join(dataDir, RECORDINGS_DIR), jobId));
    const seekTo = 15_000;
    const seek = await bridgeCommand(base, {
      type: 'replayControl',
      action: 'seek',
      atMs: seekTo,
    });
    expect(seek).toMatchObject({ op: 'result', result: { ok: true } });
    const after = await state(base);
    expect(after.replay?.atMs).toBe(seekTo);
    const recorded = reader.fleetAt(seekTo);
    expect(after.tractors).toHaveLength(3);
    for (const t of after.tractors) {
      const want = recorded.find((r) => r.declaration.id === t.id)?.sample;
      expect(t.position?.[0]).toBeCloseTo(want?.lon ?? NaN, 7);
      expect(t.position?.[1]).toBeCloseTo(want?.lat ?? NaN, 7);
    }
    expect(after.replay?.events.some((e) => e.subject === 'start the job')).toBe(true);
    expect(after.replay?.events.some((e) => e.subject === 'STOP ALL')).toBe(false);

    const refused = await bridgeCommand(base, { type: 'fleetStop' });
    expect(refused).toMatchObject({ op: 'result', result: { ok: false } });

    await bridgeCommand(base, { type: 'replayControl', action: 'speed', speed: 10 });
    await bridgeCommand(base, { type: 'replayControl', action: 'play' });
    // 3 s of recording go by in 0.3 s at 10× (3 s at 1×); /api/state shows the snapshot of
    // the current 200 ms tick, so allow a few ticks more than 0.3 s, far less than 3 s.
    const played = Date.now();
    let playing = await state(base);
    while ((playing.replay?.atMs ?? 0) < seekTo + 3_000 && Date.now() - played < 1_500) {
      await new Promise((r) => setTimeout(r, 50));
      playing = await state(base);
    }
    expect(playing.replay?.playing).toBe(true);
    expect(playing.replay?.speed).toBe(10);
    expect(playing.replay?.atMs).toBeGreaterThanOrEqual(seekTo + 3_000);
  }, 60_000);

  it('names the recorded jobs when the one asked for does not exist', async () => {
    const run = await runCli(['replay', 'job-nope', '--data', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(jobId);
    expect(run.stdout).toBe('');
  }, 60_000);

  it('opens no recording outside the data folder’s recordings', async () => {
    // A valid recording one level beside the data folder, named by a path that climbs to it.
    const outside = join(dataDir, '..', `outside-${jobId}`);
    mkdirSync(outside, { recursive: true });
    copyFileSync(
      JobRecorder.pathOf(join(dataDir, RECORDINGS_DIR), jobId),
      join(outside, 'evil.hrec'),
    );
    const run = await runCli([
      'replay',
      `../../outside-${jobId}/evil`,
      '--data',
      dataDir,
      '--port',
      '0',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a job id');
    expect(run.stdout).toBe('');
  }, 60_000);

  it("takes 'latest' as the job that last worked ground, and says when a job recorded nothing", async () => {
    // A newer recording of a job only opened, never started (nothing but its opening command).
    const idle = 'job-opened-only';
    const recorder = new JobRecorder({
      dir: join(dataDir, RECORDINGS_DIR),
      clock: new ManualClock(),
      station: 'Test',
    });
    recorder.command(idle, { type: 'startJob' }, 'ana', {
      ok: false,
      error: { code: 'refused', message: 'no' },
    });
    recorder.close();
    const history = new JobHistory(dataDir, Date.now());
    const line = { fieldName: 'f', totalHa: 3, createdAtWallMs: 1, state: 'paused' as const };
    history.record({ ...line, id: jobId, name: 'worked', updatedAtWallMs: 2, workedHa: 1 });
    history.record({
      ...line,
      id: idle,
      name: 'opened',
      updatedAtWallMs: 3,
      workedHa: 0,
      state: 'planned',
    });

    const { match } = await startCli(
      ['replay', '--data', dataDir, '--port', '0', '--basemap', 'none'],
      /Headland replay of (\S+) listening on/,
    );
    expect(match[1]).toBe(jobId);
    const run = await runCli(['replay', idle, '--data', dataDir, '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`job ${idle} has nothing recorded`);
  }, 60_000);
});
