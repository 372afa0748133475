/** Jobs as sessions: a history to browse, reopen, delete and undelete, across restarts. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DELETE_UNDO_MS, JobHistory, JobStore } from '../records/index.js';
import { demoFleet } from './test-helpers/demo-fleet.js';

const DEMO_FARM = join(import.meta.dirname, '..', '..', 'assets', 'fields', 'demo-farm.geojson');
const PADDOCK = join(import.meta.dirname, '..', '..', 'assets', 'fields', 'small-paddock.geojson');

function fleetIn(dataDir: string) {
  const history = new JobHistory(dataDir, Date.UTC(2026, 0, 1));
  return demoFleet(2, new JobStore(dataDir), dataDir, undefined, undefined, history);
}

describe('job history', () => {
  it('keeps a paused job while another is opened, reopens it as it was, and survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const fleet = fleetIn(dataDir);
    fleet.station.command({ type: 'startJob' });
    fleet.run(90_000);
    expect(fleet.station.command({ type: 'pauseJob' }).ok).toBe(true);
    fleet.run(2_000);
    const first = fleet.station.snapshot();
    expect(first.job.progress.workedHa).toBeGreaterThan(0.2);

    const opened = await fleet.station.execute({
      type: 'openField',
      fileName: 'small-paddock.geojson',
      dataBase64: readFileSync(PADDOCK).toString('base64'),
      // The paddock lies 654 km from the demo fleet: confirmed as an operator would.
      confirmFar: true,
    });
    expect(opened).toEqual({ ok: true });
    const second = fleet.station.snapshot();
    expect(second.field.name).not.toBe(first.field.name);
    expect(second.jobs?.map((j) => [j.id, j.current])).toEqual([
      [second.job.id, true],
      [first.job.id, false],
    ]);
    expect(second.jobs?.find((j) => j.id === first.job.id)).toMatchObject({
      state: 'paused',
      workedHa: expect.closeTo(first.job.progress.workedHa, 2) as number,
    });

    expect(fleet.station.command({ type: 'reopenJob', jobId: first.job.id }).ok).toBe(true);
    fleet.run(500);
    const back = fleet.station.snapshot();
    expect(back.job.id).toBe(first.job.id);
    expect(back.job.state).toBe('paused');
    expect(back.field.name).toBe(first.field.name);
    // Read back from the coverage log (positions to the centimetre): within 0.005 ha.
    expect(back.job.progress.workedHa).toBeCloseTo(first.job.progress.workedHa, 2);
    expect(fleet.sim.tractors.every((t) => t.currentState !== 'working')).toBe(true);

    // The paddock job is current when the station restarts: it comes back on its own field.
    expect(fleet.station.command({ type: 'reopenJob', jobId: second.job.id }).ok).toBe(true);
    fleet.close();
    const restarted = fleetIn(dataDir);
    restarted.run(500);
    const after = restarted.station.snapshot();
    expect(after.job.id).toBe(second.job.id);
    expect(after.field.name).toBe(second.field.name);
    expect(after.jobs?.length).toBe(2);
    restarted.close();
  });

  it('replaces a job only opened, never started, and names every job apart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const fleet = fleetIn(dataDir);
    const open = () =>
      fleet.station.execute({
        type: 'openField',
        fileName: 'small-paddock.geojson',
        dataBase64: readFileSync(PADDOCK).toString('base64'),
        // The paddock lies 654 km from the demo fleet: confirmed as an operator would.
        confirmFar: true,
      });
    const demo = fleet.station.snapshot().job;
    expect(await open()).toEqual({ ok: true });
    fleet.run(1_000);
    expect(await open()).toEqual({ ok: true });
    fleet.run(1_000);
    // The demo job and the first paddock job were never started: only the latest open is left.
    const once = fleet.station.snapshot();
    expect(once.jobs?.map((j) => j.id)).toEqual([once.job.id]);
    expect(once.jobs?.some((j) => j.id === demo.id)).toBe(false);

    // A job that worked ground stays, and the next one on the same field gets its own name.
    fleet.station.command({ type: 'startJob' });
    fleet.run(60_000);
    expect(fleet.station.command({ type: 'pauseJob' }).ok).toBe(true);
    fleet.run(2_000);
    expect(await open()).toEqual({ ok: true });
    const twice = fleet.station.snapshot();
    const names = twice.jobs?.map((j) => j.name) ?? [];
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    expect(twice.job.name).toMatch(/ 2$/);
    fleet.close();
  });

  it('questions a field far from the fleet before it becomes the job, naming a likely swap', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const fleet = fleetIn(dataDir);
    fleet.run(2_000);
    const before = fleet.station.snapshot().job.id;
    // The demo farm written latitude first: still a valid polygon, on another continent.
    const demo = JSON.parse(readFileSync(DEMO_FARM, 'utf8')) as unknown;
    const swapped = JSON.stringify(demo, (_key, value: unknown) =>
      Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')
        ? [value[1], value[0]]
        : value,
    );
    const open = (confirmFar?: true) =>
      fleet.station.execute({
        type: 'openField',
        fileName: 'swapped.geojson',
        dataBase64: Buffer.from(swapped).toString('base64'),
        ...(confirmFar ? { confirmFar } : {}),
      });
    const asked = await open();
    expect(asked).toMatchObject({ ok: false, error: { code: 'unconfirmed' } });
    if (!asked.ok)
      expect(asked.error.message).toMatch(
        /swapped\.geojson: .* km from the nearest machine — its latitude and longitude look swapped/,
      );
    expect(fleet.station.snapshot().job.id).toBe(before);
    expect(await open(true)).toEqual({ ok: true });
    expect(fleet.station.snapshot().job.id).not.toBe(before);
    fleet.close();
  });

  it('refuses to reopen while a job runs, or a job it does not know', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const fleet = fleetIn(dataDir);
    fleet.station.command({ type: 'startJob' });
    fleet.run(1_000);
    expect(fleet.station.command({ type: 'reopenJob', jobId: 'job-nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    fleet.close();
  });
});

describe('job history file', () => {
  it('deletes softly, undoes within the window, and forgets after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    const t0 = Date.UTC(2026, 0, 1);
    const history = new JobHistory(dir, t0);
    const entry = {
      name: 'j',
      fieldName: 'f',
      state: 'finished' as const,
      createdAtWallMs: t0,
      updatedAtWallMs: t0,
      workedHa: 1,
      totalHa: 2,
    };
    history.record({ ...entry, id: 'a' });
    history.record({ ...entry, id: 'b', createdAtWallMs: t0 + 1 });
    expect(history.list().map((e) => e.id)).toEqual(['b', 'a']);
    expect(history.delete('a', t0 + 10)).toBe(true);
    expect(history.delete('a', t0 + 11)).toBe(false);
    expect(history.undelete('a', t0 + 20)).toBe('restored');
    history.delete('a', t0 + 30);
    expect(history.undelete('a', t0 + 30 + DELETE_UNDO_MS)).toBe('too-late');
    // Reopened past the window, the deleted job is gone for good.
    expect(new JobHistory(dir, t0 + 30 + DELETE_UNDO_MS).list().map((e) => e.id)).toEqual(['b']);
  });

  it('moves an unreadable file aside and starts afresh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-history-'));
    writeFileSync(join(dir, 'jobs.json'), '{"version":1,"jobs":[{"id":');
    const history = new JobHistory(dir, 5);
    expect(history.problem).toMatch(/unreadable.*kept at .*jobs\.json\.corrupt-5/);
    expect(history.list()).toEqual([]);
  });
});
