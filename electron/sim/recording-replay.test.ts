import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stationSnapshotSchema, type StationSnapshot } from '../../shared/index.js';
import { JobRecorder, RecordingReader, ReplaySource } from '../records/index.js';
import { ManualClock } from '../time/index.js';
import { demoFleet } from './test-helpers/demo-fleet.js';

interface Seen {
  wallMs: number;
  snapshot: StationSnapshot;
}

const LOOKS_BEFORE_STOP = 14;

/** Runs a recorded demo job: 3 tractors, a fleet stop and a release; returns what the station showed. */
function recordedRun(dir: string): { seen: Seen[]; jobId: string } {
  let recorder: JobRecorder | null = null;
  const fleet = demoFleet(3, undefined, undefined, undefined, (clock) => {
    recorder = new JobRecorder({ dir, clock, station: 'test station' });
    return recorder;
  });
  const rec = recorder as JobRecorder | null;
  if (!rec) throw new Error('no recorder');
  fleet.station.subscribe((e) => {
    if (e.type === 'state') rec.snapshot(e.snapshot);
  });
  const seen: Seen[] = [];
  const look = (): void => {
    seen.push({ wallMs: fleet.clock.wallNow(), snapshot: fleet.station.snapshot() });
  };
  expect(fleet.station.command({ type: 'startJob' }, 'ana (operator)').ok).toBe(true);
  // The machines drive from where they are parked to their first sections (about 50 s), then
  // work a while before the stop.
  for (let k = 0; k < LOOKS_BEFORE_STOP; k++) {
    fleet.run(5_030);
    look();
  }
  const stop = fleet.station.command({ type: 'fleetStop' }, 'ben (viewer)');
  fleet.run(2_000);
  look();
  const stopId = stop.ok ? stop.stopId : undefined;
  if (!stopId) throw new Error('no stop');
  fleet.station.command({ type: 'release', stopId }, 'ana (operator)');
  fleet.station.command({ type: 'resumeJob' }, 'ana (operator)');
  fleet.run(10_070);
  look();
  const jobId = fleet.station.jobId;
  fleet.close();
  rec.close();
  return { seen, jobId };
}

describe('recording a running station and replaying it', () => {
  it('replays every tractor where the station saw it at that moment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-replay-'));
    const { seen, jobId } = recordedRun(dir);
    const reader = RecordingReader.open(JobRecorder.pathOf(dir, jobId));
    expect(reader.tornBytes).toBe(0);
    const replay = new ReplaySource({ reader, clock: new ManualClock(), softwareVersion: 'test' });
    let moving = 0;
    for (const { wallMs, snapshot } of seen) {
      const atMs = wallMs - reader.header.startedAtWallMs;
      replay.seek(atMs);
      const replayed = stationSnapshotSchema.parse(replay.snapshot());
      expect(replayed.replay?.atMs).toBe(Math.min(atMs, reader.durationMs));
      expect(replayed.tractors.map((t) => t.id)).toEqual(snapshot.tractors.map((t) => t.id));
      for (const live of snapshot.tractors) {
        const back = replayed.tractors.find((t) => t.id === live.id);
        expect(back?.position?.[0]).toBeCloseTo(live.position?.[0] ?? NaN, 6);
        expect(back?.position?.[1]).toBeCloseTo(live.position?.[1] ?? NaN, 6);
        const turn = (((((back?.headingDeg ?? NaN) - live.headingDeg) % 360) + 540) % 360) - 180;
        expect(Math.abs(turn)).toBeLessThan(0.06);
        expect(back?.speedMps).toBeCloseTo(live.speedMps, 1);
        expect(back?.state).toBe(live.state);
        expect(back?.currentSectionId).toBe(live.currentSectionId);
        if (live.speedMps > 0.5) moving++;
      }
      expect(replayed.sections.map((s) => s.id)).toEqual(snapshot.sections.map((s) => s.id));
      expect(replayed.field.name).toBe(snapshot.field.name);
    }
    expect(moving).toBeGreaterThan(10);
  });

  it('shows the recorded commands and safety events up to the replay time, with who gave them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-replay-'));
    const { seen, jobId } = recordedRun(dir);
    const reader = RecordingReader.open(JobRecorder.pathOf(dir, jobId));
    const replay = new ReplaySource({ reader, clock: new ManualClock(), softwareVersion: 'test' });
    const beforeStop = seen[LOOKS_BEFORE_STOP - 2];
    const afterStop = seen[LOOKS_BEFORE_STOP];
    if (!beforeStop || !afterStop) throw new Error('missing looks');
    replay.seek(beforeStop.wallMs - reader.header.startedAtWallMs);
    const early = replay.snapshot().replay?.events ?? [];
    expect(early.some((e) => e.kind === 'command' && e.subject === 'start the job')).toBe(true);
    expect(early.some((e) => e.subject === 'STOP ALL')).toBe(false);
    // 100 ms before the release (given in the same millisecond as the last look).
    replay.seek(afterStop.wallMs - reader.header.startedAtWallMs - 100);
    const late = replay.snapshot();
    expect(late.replay?.events).toContainEqual(
      expect.objectContaining({ kind: 'command', subject: 'STOP ALL', actor: 'ben (viewer)' }),
    );
    expect(late.replay?.events.some((e) => e.kind === 'stop')).toBe(true);
    expect(late.stops).toHaveLength(1);
    // The fleet has stood still since the stop: the worked ground recorded then is the
    // station's at the last look.
    expect(late.sections.map((x) => x.donePolygons)).toEqual(
      afterStop.snapshot.sections.map((x) => x.donePolygons),
    );
    expect(late.sections.some((x) => x.donePolygons.length > 0)).toBe(true);
    expect(late.job.state).toBe('stopped');
    replay.seek(reader.durationMs);
    const end = replay.snapshot();
    expect(end.stops).toHaveLength(0);
    // Seeking back rebuilds the worked ground of that earlier moment.
    replay.seek(afterStop.wallMs - reader.header.startedAtWallMs - 100);
    expect(replay.snapshot().sections.map((x) => x.donePolygons)).toEqual(
      late.sections.map((x) => x.donePolygons),
    );
    const rings = (snap: StationSnapshot): number =>
      snap.sections.reduce((n, x) => n + x.donePolygons.length, 0);
    expect(rings(end)).toBeGreaterThanOrEqual(rings(late));
  });

  it('plays at the chosen speed and refuses anything that would control a machine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-replay-'));
    const { jobId } = recordedRun(dir);
    const reader = RecordingReader.open(JobRecorder.pathOf(dir, jobId));
    const clock = new ManualClock();
    const replay = new ReplaySource({ reader, clock, softwareVersion: 'test' });
    const pushed: number[] = [];
    replay.subscribe((e) => {
      if (e.type === 'state') pushed.push(e.snapshot.replay?.atMs ?? -1);
    });
    expect(replay.command({ type: 'replayControl', action: 'speed', speed: 10 }).ok).toBe(true);
    expect(replay.command({ type: 'replayControl', action: 'play' }).ok).toBe(true);
    clock.advance(1_000);
    expect(replay.atMs()).toBe(10_000);
    expect(pushed.length).toBeGreaterThanOrEqual(5);
    replay.command({ type: 'replayControl', action: 'pause' });
    clock.advance(1_000);
    expect(replay.atMs()).toBe(10_000);
    const refused = await replay.execute({ type: 'fleetStop' });
    expect(refused.ok).toBe(false);
    replay.command({ type: 'replayControl', action: 'seek', atMs: reader.durationMs - 100 });
    replay.command({ type: 'replayControl', action: 'play' });
    clock.advance(1_000);
    expect(replay.atMs()).toBe(reader.durationMs);
    expect(replay.snapshot().replay?.playing).toBe(false);
  });
});
