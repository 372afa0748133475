import { afterEach, describe, expect, it } from 'vitest';
import { stationSnapshotSchema, type StationSnapshot } from '../../shared/index.js';
import { readSnapshot } from '../sync/index.js';
import { createStationJob } from '../sync/test-helpers/builders.js';
import { ManualClock } from '../time/index.js';
import {
  NORTH_TOKEN,
  VIEWER_TOKEN,
  cleanUp,
  eventually,
  mirrorJob,
  onCleanUp,
  openDocument,
  tempDir,
  testOffice,
  urlOf,
} from './test-helpers/office-fixture.js';
import { startRedis } from './test-helpers/redis-server.js';

afterEach(cleanUp);

async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two office nodes sharing documents through Redis', () => {
  it('a station writes to one node and a viewer on the other sees it live', async () => {
    const redis = await startRedis();
    onCleanUp(() => redis.stop());
    const a = await testOffice({ redis });
    const b = await testOffice({ redis });
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(a), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    const viewer = openDocument(urlOf(b), 'north/job-1', VIEWER_TOKEN);
    await eventually(
      () => readSnapshot(viewer.doc).sections.length === job.snapshot().sections.length,
    );
    job.assign('s3', 't2', 'rebalanced');
    await eventually(() => readSnapshot(viewer.doc).sections[2]?.tractorId === 't2');
    expect(readSnapshot(viewer.doc)).toEqual(job.snapshot());
    expect([...a.refusals, ...b.refusals]).toEqual([]);
  });

  it("keeps a job a page reads open on its node, so the page's next read is live", async () => {
    const redis = await startRedis();
    onCleanUp(() => redis.stop());
    const dataDir = tempDir();
    const a = await testOffice({ redis, dataDir });
    const b = await testOffice({ redis, dataDir });
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(a), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    // No client has the job open on B: B knows it from the data folder the nodes share.
    const view = async (): Promise<StationSnapshot | null> => {
      const answer = await fetch(`http://127.0.0.1:${b.port}/api/office/jobs/north/job-1`, {
        headers: { authorization: `Bearer ${VIEWER_TOKEN}` },
      });
      return answer.ok ? stationSnapshotSchema.parse(await answer.json()) : null;
    };
    // A stores the job at most 10 s after it changed (Hocuspocus's debounce).
    await eventuallyAsync(async () => (await view())?.sections.length === 4, 15_000);
    job.assign('s3', 't2', 'rebalanced');
    // Far sooner than A stores it again: B hears it through Redis.
    await eventuallyAsync(async () => (await view())?.sections[2]?.tractorId === 't2', 1_500);
    expect(b.hocuspocus.documents.has('north/job-1')).toBe(true);
  });

  it('shares awareness: a viewer on one node sees who is on the other', async () => {
    const redis = await startRedis();
    onCleanUp(() => redis.stop());
    const a = await testOffice({ redis });
    const b = await testOffice({ redis });
    const job = createStationJob(new ManualClock());
    await mirrorJob(urlOf(a), 'north/job-1', job, NORTH_TOKEN).whenSynced();
    const onA = openDocument(urlOf(a), 'north/job-1', VIEWER_TOKEN);
    const onB = openDocument(urlOf(b), 'north/job-1', VIEWER_TOKEN);
    await eventually(() => readSnapshot(onB.doc).jobId === 'job-1');
    onA.provider.setAwarenessField('user', { name: 'agronomist' });
    const names = (): unknown[] =>
      [...(onB.provider.awareness?.getStates().values() ?? [])].map(
        (s) => (s as { user?: { name?: string } }).user?.name,
      );
    await eventually(() => names().includes('agronomist'));
  });
});
