import { afterEach, describe, expect, it } from 'vitest';
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
  testOffice,
  urlOf,
} from './test-helpers/office-fixture.js';
import { startRedis } from './test-helpers/redis-server.js';

afterEach(cleanUp);

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
