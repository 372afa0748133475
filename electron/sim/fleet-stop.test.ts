import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../records/index.js';
import { demoFleet } from './test-helpers/demo-fleet.js';

describe('fleet stop with simulated tractors', () => {
  it('brings every tractor to a halt and every one confirms', () => {
    const fleet = demoFleet(6);
    expect(fleet.station.command({ type: 'startJob' }).ok).toBe(true);
    fleet.run(10_000);
    expect(
      fleet.station
        .snapshot()
        .tractors.every((t) => t.state === 'working' || t.state === 'turning'),
    ).toBe(true);

    const result = fleet.station.command({ type: 'fleetStop' });
    expect(result.ok).toBe(true);
    fleet.run(200);
    const snapshot = fleet.station.snapshot();
    expect(snapshot.stops).toHaveLength(1);
    expect(snapshot.stops[0]).toMatchObject({ confirmed: 6, total: 6 });
    for (const tractor of snapshot.tractors) {
      expect(tractor.state).toBe('stopped');
      expect(tractor.speedMps).toBe(0);
      expect(tractor.stop.status).toBe('confirmed');
      expect(tractor.stop.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(snapshot.job.state).toBe('stopped');
    fleet.close();
  });

  it('keeps stopped tractors still until a release, and a release leaves them paused', () => {
    const fleet = demoFleet(3);
    fleet.station.command({ type: 'startJob' });
    fleet.run(5_000);
    const stop = fleet.station.command({ type: 'fleetStop' });
    fleet.run(200);
    const positions = fleet.sim.tractors.map((t) => t.currentPosition);

    expect(fleet.station.command({ type: 'resumeJob' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    fleet.run(5_000);
    expect(fleet.sim.tractors.map((t) => t.currentPosition)).toEqual(positions);

    const stopId = stop.ok ? stop.stopId! : '';
    expect(fleet.station.command({ type: 'release', stopId }).ok).toBe(true);
    fleet.run(1_000);
    expect(fleet.sim.tractors.every((t) => t.currentState === 'paused')).toBe(true);
    expect(fleet.sim.tractors.map((t) => t.currentPosition)).toEqual(positions);
    expect(fleet.station.snapshot().stops).toEqual([]);

    expect(fleet.station.command({ type: 'resumeJob' }).ok).toBe(true);
    fleet.run(2_000);
    expect(fleet.sim.tractors.map((t) => t.currentPosition)).not.toEqual(positions);
    fleet.close();
  });

  it('refuses to release a tractor that has not confirmed its stop', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(1_000);
    fleet.sim.setRadio('sim-02', false);
    const stop = fleet.station.command({ type: 'fleetStop' });
    const stopId = stop.ok ? stop.stopId! : '';
    fleet.run(100);
    expect(
      fleet.station.command({ type: 'release', stopId, tractorIds: ['sim-02'] }),
    ).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(fleet.station.command({ type: 'release', stopId, tractorIds: ['sim-01'] }).ok).toBe(
      true,
    );
    fleet.close();
  });

  it('shows COMM LOST for a silent tractor and stops it when it returns during a fleet stop', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(1_000);
    fleet.sim.setRadio('sim-02', false);
    fleet.run(1_500);
    let tractor = fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02');
    expect(tractor?.state).toBe('comm-lost');
    expect(fleet.station.snapshot().alerts.some((a) => a.message.includes('COMM LOST'))).toBe(true);

    fleet.station.command({ type: 'fleetStop' });
    fleet.run(200);
    expect(fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02')?.stop.status).toBe(
      'lost',
    );
    fleet.sim.setRadio('sim-02', true);
    fleet.run(1_200);
    tractor = fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02');
    expect(tractor?.state).toBe('stopped');
    expect(tractor?.stop.status).toBe('confirmed');
    fleet.close();
  });

  it('counts worked area once and never exceeds the field', () => {
    const fleet = demoFleet(4);
    fleet.station.command({ type: 'startJob' });
    let previous = 0;
    for (let i = 0; i < 40; i++) {
      fleet.run(30_000);
      const progress = fleet.station.snapshot().job.progress;
      expect(progress.workedHa).toBeGreaterThanOrEqual(previous - 1e-9);
      expect(progress.workedHa).toBeLessThanOrEqual(progress.totalHa + 1e-9);
      previous = progress.workedHa;
    }
    const done = fleet.station.snapshot();
    // Swaths are laid one implement wide from the headland in; slivers at odd corners stay unworked.
    expect(done.job.progress.fraction).toBeGreaterThan(0.95);
    expect(done.tractors.every((t) => t.state === 'done')).toBe(true);
    fleet.close();
  });

  it('keeps a stop in force and the job paused across a station restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-station-'));
    const first = demoFleet(2, new JobStore(dataDir));
    first.station.command({ type: 'startJob' });
    first.run(3_000);
    const stop = first.station.command({ type: 'fleetStop' });
    first.run(200);
    const jobId = first.station.jobId;
    const workedHa = first.station.snapshot().job.progress.workedHa;
    first.close();

    const second = demoFleet(2, new JobStore(dataDir));
    second.run(500);
    const snapshot = second.station.snapshot();
    expect(snapshot.job.id).toBe(jobId);
    expect(snapshot.job.state).toBe('stopped');
    expect(snapshot.stops.map((s) => s.id)).toEqual([stop.ok ? stop.stopId : '']);
    expect(snapshot.tractors.every((t) => t.state === 'stopped')).toBe(true);
    expect(snapshot.job.progress.workedHa).toBeCloseTo(workedHa, 6);
    second.close();
  });
});

describe('reassigning sections', () => {
  it("keeps the operator's moves and each machine's worked share across a restart and a resume", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-station-'));
    const first = demoFleet(3, new JobStore(dataDir), dataDir);
    first.station.command({ type: 'startJob' });
    first.run(20_000);
    const before = first.station.snapshot();
    const moved = before.sections
      .filter((s) => s.tractorId === 'sim-03' && s.doneFraction === 0)
      .map((s) => s.id)
      .slice(-2);
    expect(moved).toHaveLength(2);
    first.station.command({ type: 'assignSections', sectionIds: moved, tractorId: 'sim-01' });
    first.run(1_000);
    first.station.command({ type: 'pauseJob' });
    first.run(1_000);
    const left = first.station.snapshot();
    first.close();

    const second = demoFleet(3, new JobStore(dataDir), dataDir);
    second.run(1_000);
    expect(second.station.command({ type: 'resumeJob' }).ok).toBe(true);
    second.run(500);
    const resumed = second.station.snapshot();
    for (const id of moved)
      expect(resumed.sections.find((s) => s.id === id)?.tractorId).toBe('sim-01');
    const holders = (snap: typeof left) =>
      Object.fromEntries(snap.sections.map((s) => [s.id, s.tractorId]));
    expect(holders(resumed)).toEqual(holders(left));
    for (const t of left.tractors)
      expect(resumed.tractors.find((r) => r.id === t.id)?.progress).toBeCloseTo(t.progress, 2);
    second.close();
  });

  it('moves sections between tractors and the new holder works them', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(1_000);
    const before = fleet.station.snapshot();
    const fromT2 = before.sections
      .filter((s) => s.tractorId === 'sim-02')
      .map((s) => s.id)
      .slice(-2);
    expect(
      fleet.station.command({ type: 'assignSections', sectionIds: fromT2, tractorId: 'sim-01' }).ok,
    ).toBe(true);
    const after = fleet.station.snapshot();
    for (const id of fromT2)
      expect(after.sections.find((s) => s.id === id)?.tractorId).toBe('sim-01');
    expect(after.tractors.find((t) => t.id === 'sim-01')?.sectionIds).toEqual(
      expect.arrayContaining(fromT2),
    );
    fleet.run(1_200_000);
    const done = fleet.station.snapshot();
    for (const id of fromT2)
      expect(done.sections.find((s) => s.id === id)?.doneFraction).toBeGreaterThan(0.9);
    fleet.close();
  });

  it('refuses the whole move when one section is unknown', () => {
    const fleet = demoFleet(2);
    const first = fleet.station.snapshot().sections[0]!.id;
    const result = fleet.station.command({
      type: 'assignSections',
      sectionIds: [first, 'nope'],
      tractorId: 'sim-02',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(fleet.station.snapshot().sections.find((s) => s.id === first)?.tractorId).toBeNull();
    fleet.close();
  });

  it('does not set a paused fleet moving when work is reassigned', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(1_000);
    fleet.station.command({ type: 'pauseJob' });
    fleet.run(200);
    const positions = fleet.sim.tractors.map((t) => t.currentPosition);
    const theirs = fleet.station.snapshot().sections.find((s) => s.tractorId === 'sim-02')!.id;
    expect(
      fleet.station.command({ type: 'assignSection', sectionId: theirs, tractorId: 'sim-01' }).ok,
    ).toBe(true);
    fleet.run(3_000);
    expect(fleet.sim.tractors.map((t) => t.currentPosition)).toEqual(positions);
    fleet.close();
  });
});

describe('sim tractor gaps', () => {
  it('drives only from the first undone point to the last', async () => {
    const { undoneGaps } = await import('./work-run.js');
    expect(undoneGaps([], 100)).toEqual([[0, 100]]);
    expect(
      undoneGaps(
        [
          [0, 30],
          [50, 100],
        ],
        100,
      ),
    ).toEqual([[30, 50]]);
    expect(undoneGaps([[0, 99.8]], 100)).toEqual([]);
  });
});

describe('live replanning', () => {
  it("moves a silent tractor's remaining sections to the others and they finish the field", () => {
    const fleet = demoFleet(3);
    fleet.station.command({ type: 'startJob' });
    fleet.run(20_000);
    const before = fleet.station.snapshot().tractors.find((t) => t.id === 'sim-02')!.sectionIds;
    expect(before.length).toBeGreaterThan(0);
    fleet.sim.setRadio('sim-02', false);
    fleet.run(12_000);
    const after = fleet.station.snapshot();
    expect(after.tractors.find((t) => t.id === 'sim-02')?.sectionIds).toEqual([]);
    expect(after.alerts.some((a) => a.message.includes('moved to the rest of the fleet'))).toBe(
      true,
    );
    fleet.run(1_500_000);
    const done = fleet.station.snapshot();
    expect(done.job.progress.fraction).toBeGreaterThan(0.9);
    fleet.close();
  });

  it('gives a tractor that comes back a share of the remaining work once it is released', () => {
    const fleet = demoFleet(3);
    fleet.station.command({ type: 'startJob' });
    fleet.run(5_000);
    fleet.sim.setRadio('sim-03', false);
    fleet.run(12_000);
    const sectionsOf = (id: string): string[] =>
      fleet.station.snapshot().tractors.find((t) => t.id === id)?.sectionIds ?? [];
    expect(sectionsOf('sim-03')).toEqual([]);
    const othersBefore = [sectionsOf('sim-01'), sectionsOf('sim-02')];
    fleet.sim.setRadio('sim-03', true);
    fleet.run(2_000);
    // Back, but stopped by its own silence stop: no work is moved to a machine that cannot move.
    const held = fleet.station.snapshot().stops.find((s) => s.scope === 'sim-03');
    expect(held).toBeDefined();
    expect(sectionsOf('sim-03')).toEqual([]);
    expect([sectionsOf('sim-01'), sectionsOf('sim-02')]).toEqual(othersBefore);
    expect(fleet.station.command({ type: 'release', stopId: held!.id }).ok).toBe(true);
    fleet.run(2_000);
    expect(sectionsOf('sim-03').length).toBeGreaterThan(0);
    fleet.close();
  });
});

describe('starting without a fleet', () => {
  it('refuses to start a job before any tractor has joined, without throwing', () => {
    const fleet = demoFleet(0);
    expect(fleet.station.command({ type: 'startJob' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    fleet.close();
  });
});

describe('the job document', () => {
  it('records assignments, coverage, stops and alerts, and a restarted station reads the work back', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-doc-'));
    const first = demoFleet(2, new JobStore(dataDir), dataDir);
    first.station.command({ type: 'startJob' });
    first.run(60_000);
    const stop = first.station.command({ type: 'fleetStop' });
    first.run(300);
    const doc = first.station.jobDocument()!;
    const snapshot = doc.snapshot();
    expect(snapshot.sections.every((s) => s.tractorId !== null)).toBe(true);
    expect(Object.keys(snapshot.coverageSegmentCounts).sort()).toEqual(['sim-01', 'sim-02']);
    expect(snapshot.estops.map((e) => e.id)).toEqual([stop.ok ? stop.stopId : '']);
    const workedHa = first.station.snapshot().job.progress.workedHa;
    expect(workedHa).toBeGreaterThan(0.05);
    first.close();

    const second = demoFleet(2, new JobStore(dataDir), dataDir);
    second.run(500);
    expect(second.station.snapshot().job.progress.workedHa).toBeCloseTo(workedHa, 3);
    expect(second.station.jobDocument()!.snapshot().estops[0]?.active).toBe(true);
    second.close();
  });
});

describe('safe stop when the station goes silent', () => {
  it('stops a moving tractor that hears no heartbeat, keeps it still, and the station adopts the stop', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(5_000);
    const tractor = fleet.sim.tractors.find((t) => t.id === 'sim-02')!;
    expect(['working', 'turning']).toContain(tractor.currentState);
    fleet.sim.setRadio('sim-02', false);
    fleet.run(700);
    expect(tractor.currentState).toBe('stopped');
    const still = tractor.currentPosition;
    fleet.run(20_000);
    expect(tractor.currentPosition).toEqual(still);

    fleet.sim.setRadio('sim-02', true);
    fleet.run(2_000); // it names no stop of the station's for 1.5 s: its own stop
    const snapshot = fleet.station.snapshot();
    const adopted = snapshot.stops.find((s) => s.scope === 'sim-02');
    expect(adopted).toMatchObject({ confirmed: 1, total: 1 });
    expect(snapshot.alerts.some((a) => a.message.includes('stopped itself'))).toBe(true);
    fleet.run(5_000);
    expect(tractor.currentPosition).toEqual(still);

    expect(fleet.station.command({ type: 'release', stopId: adopted!.id }).ok).toBe(true);
    fleet.run(2_000);
    expect(tractor.currentState).toBe('paused');
    expect(fleet.station.snapshot().stops).toEqual([]);
    expect(tractor.currentPosition).toEqual(still);
    fleet.close();
  });
});

describe('opening a field file', () => {
  const paddock = (): string =>
    readFileSync(
      join(import.meta.dirname, '..', '..', 'assets', 'fields', 'small-paddock.geojson'),
    ).toString('base64');

  it('sends a lost release again to the machine that still names the stop, never taking it for a stop of its own', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(5_000);
    const stop = fleet.station.command({ type: 'fleetStop' });
    fleet.run(200);
    const stopId = stop.ok ? stop.stopId! : '';
    // The release to sim-01 does not get through (the radio drops out briefly as it is sent).
    fleet.sim.setRadio('sim-01', false);
    expect(fleet.station.command({ type: 'release', stopId }).ok).toBe(true);
    fleet.run(300);
    fleet.sim.setRadio('sim-01', true);
    const selfStops = (): number =>
      fleet.station.snapshot().alerts.filter((a) => a.message.includes('stopped itself')).length;
    // It names the stop it still obeys within a second; the station sends the release again.
    fleet.run(2_000);
    expect(fleet.sim.tractor('sim-01')?.currentState).toBe('paused');
    expect(fleet.sim.tractor('sim-02')?.currentState).toBe('paused');
    fleet.run(5_000);
    expect(selfStops()).toBe(0);
    expect(fleet.station.snapshot().stops).toEqual([]);
    fleet.close();
  });

  it('opens the first field of a file as a new job between jobs', async () => {
    const fleet = demoFleet(2);
    const before = fleet.station.snapshot();
    const result = await fleet.station.execute({
      type: 'openField',
      fileName: 'small-paddock.geojson',
      dataBase64: paddock(),
    });
    expect(result).toEqual({ ok: true });
    const after = fleet.station.snapshot();
    expect(after.field.name).not.toBe(before.field.name);
    expect(after.job.id).not.toBe(before.job.id);
    expect(after.job.state).toBe('planned');
    expect(after.sections.length).toBeGreaterThan(0);
    expect(fleet.station.command({ type: 'startJob' }).ok).toBe(true);
    fleet.run(1_000);
    // The machines are parked at the old field; they set off for the new one.
    const started = fleet.station.snapshot();
    expect(started.tractors.every((t) => t.sectionIds.length > 0 && t.state === 'turning')).toBe(
      true,
    );
    expect(started.sections.every((s) => s.tractorId !== null)).toBe(true);
    fleet.close();
  });

  it('refuses to replace a job under way, and names the problem in a bad file', async () => {
    const fleet = demoFleet(1);
    fleet.station.command({ type: 'startJob' });
    expect(
      await fleet.station.execute({
        type: 'openField',
        fileName: 'p.geojson',
        dataBase64: paddock(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'refused' } });
    fleet.close();
    const idle = demoFleet(1);
    const bad = await idle.station.execute({
      type: 'openField',
      fileName: 'bad.geojson',
      dataBase64: Buffer.from('{"type":"Point","coordinates":[0,0]}').toString('base64'),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/bad\.geojson: .*Point/);
    idle.close();
  });
});
