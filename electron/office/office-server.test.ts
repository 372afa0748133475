import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { JobDoc, readSnapshot } from '../sync/index.js';
import { createStationJob, station } from '../sync/test-helpers/builders.js';
import { ManualClock } from '../time/index.js';
import { stationSnapshotSchema, type OfficeJobSummary } from '../../shared/index.js';
import type { Office } from './office-server.js';
import {
  NORTH_TOKEN,
  SOUTH_TOKEN,
  VIEWER_TOKEN,
  cleanUp,
  eventually,
  mirrorJob,
  openDocument,
  tempDir,
  testOffice,
  urlOf,
} from './test-helpers/office-fixture.js';

afterEach(cleanUp);

const officeState = (office: Office, name: string): Uint8Array =>
  Y.encodeStateAsUpdate(office.hocuspocus.documents.get(name) ?? new Y.Doc());

/** Resolves once the office's copy of `name` holds everything `job` has. */
function untilOfficeHas(office: Office, name: string, job: JobDoc): Promise<void> {
  const want = Y.encodeStateVector(job.doc);
  return eventually(() => {
    const doc = office.hocuspocus.documents.get(name);
    return doc !== undefined && equalBytes(Y.encodeStateVector(doc), want);
  });
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

describe('the farm office', () => {
  it('a station writes its job and a viewer reads it', async () => {
    const office = await testOffice();
    const job = createStationJob(new ManualClock());
    const mirror = mirrorJob(urlOf(office), 'north/job-1', job, NORTH_TOKEN);
    await mirror.whenSynced();
    const viewer = openDocument(urlOf(office), 'north/job-1', VIEWER_TOKEN);
    await eventually(() => readSnapshot(viewer.doc).jobId === 'job-1');
    expect(readSnapshot(viewer.doc)).toEqual(job.snapshot());
    job.assign('s3', 't2', 'rebalanced');
    await eventually(() => readSnapshot(viewer.doc).sections[2]?.tractorId === 't2');
    expect(mirror.status().refusal).toBeNull();
  });

  it('refuses a station token on another station’s job: it reads nothing, is told why', async () => {
    const office = await testOffice();
    const north = createStationJob(new ManualClock());
    await mirrorJob(urlOf(office), 'north/job-1', north, NORTH_TOKEN).whenSynced();
    await untilOfficeHas(office, 'north/job-1', north);
    const before = officeState(office, 'north/job-1');
    const south = openDocument(urlOf(office), 'north/job-1', SOUTH_TOKEN);
    expect(await south.refused).toBe("station south may not open station north's jobs");
    expect(south.doc.share.size).toBe(0);
    // Writing through the refused provider changes nothing at the office.
    south.doc.getMap('alerts').set('x', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(officeState(office, 'north/job-1')).toEqual(before);
  });

  it('refuses a document name without a station and an unknown token', async () => {
    const office = await testOffice();
    expect(await openDocument(urlOf(office), 'job-1', NORTH_TOKEN).refused).toContain(
      'is not <station-id>/<job-id>',
    );
    expect(await openDocument(urlOf(office), 'north/job-1', 'not-a-token-at-all').refused).toBe(
      'unknown token',
    );
  });

  it('refuses a viewer’s write: the job is unchanged and the viewer told why', async () => {
    const office = await testOffice();
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(office), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    await untilOfficeHas(office, 'north/job-1', job);
    const viewer = openDocument(urlOf(office), 'north/job-1', VIEWER_TOKEN);
    await eventually(() => readSnapshot(viewer.doc).jobId === 'job-1');
    const before = officeState(office, 'north/job-1');
    viewer.doc.getMap('alerts').delete([...viewer.doc.getMap('alerts').keys()][0] ?? 'none');
    new JobDoc({ actor: station('rogue'), clock: new ManualClock(), doc: viewer.doc }).assign(
      's1',
      't2',
      'viewer tries',
    );
    expect(await viewer.refused).toBe('refused (forbidden): viewers may not write');
    expect(officeState(office, 'north/job-1')).toEqual(before);
    expect(office.refusals.at(-1)?.principal?.role).toBe('viewer');
  });

  it('lists the jobs it holds for a viewer, and leaves out a document no station wrote', async () => {
    const office = await testOffice();
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(office), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    await untilOfficeHas(office, 'north/job-1', job);
    const empty = openDocument(urlOf(office), 'south/nothing', VIEWER_TOKEN);
    await eventually(() => empty.provider.isSynced);
    const get = (path: string, token?: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${office.port}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const answer = await get('/api/office/jobs', VIEWER_TOKEN);
    expect(answer.status).toBe(200);
    const { jobs } = (await answer.json()) as { jobs: OfficeJobSummary[] };
    expect(jobs).toEqual([
      expect.objectContaining({
        stationId: 'north',
        jobId: 'job-1',
        sections: job.snapshot().sections.length,
        activeStops: 0,
      }),
    ]);
    expect(jobs[0]?.lastUpdateMs).toBeGreaterThan(0);
    expect((await get('/api/office/jobs')).status).toBe(401);
    expect((await get('/api/office/jobs', NORTH_TOKEN)).status).toBe(401);
    expect((await get('/api/elsewhere', VIEWER_TOKEN)).status).toBe(404);
  });

  it("answers one job's view for a viewer and serves the office page at every other path", async () => {
    const staticDir = tempDir();
    writeFileSync(join(staticDir, 'office.html'), '<title>office</title>');
    const office = await testOffice({ staticDir });
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(office), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    await untilOfficeHas(office, 'north/job-1', job);
    const get = (path: string, token?: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${office.port}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const view = await get('/api/office/jobs/north/job-1', VIEWER_TOKEN);
    expect(view.status).toBe(200);
    expect(stationSnapshotSchema.parse(await view.json()).sections).toHaveLength(
      job.snapshot().sections.length,
    );
    expect((await get('/api/office/jobs/north/job-1')).status).toBe(401);
    expect((await get('/api/office/jobs/north/job-1', NORTH_TOKEN)).status).toBe(401);
    expect((await get('/api/office/jobs/south/job-1', VIEWER_TOKEN)).status).toBe(404);
    expect((await get('/api/office/jobs/north', VIEWER_TOKEN)).status).toBe(404);
    for (const path of ['/', '/north/job-1']) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('<title>office</title>');
    }
  });

  it('keeps the documents in its data folder across a restart', async () => {
    const dataDir = tempDir();
    const first = await testOffice({ dataDir });
    const job = createStationJob(new ManualClock());
    const mirror = mirrorJob(urlOf(first), 'north/job-1', job, NORTH_TOKEN);
    await untilOfficeHas(first, 'north/job-1', job);
    mirror.destroy();
    await first.close();

    const again = await testOffice({ dataDir });
    expect(again.jobs().map((j) => `${j.stationId}/${j.jobId}`)).toEqual(['north/job-1']);
    const viewer = openDocument(urlOf(again), 'north/job-1', VIEWER_TOKEN);
    await eventually(() => readSnapshot(viewer.doc).jobId === 'job-1');
    expect(readSnapshot(viewer.doc)).toEqual(job.snapshot());
  });
});
