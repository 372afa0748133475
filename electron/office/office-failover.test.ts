import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnapshot, type JobDoc } from '../sync/index.js';
import { createStationJob, segment } from '../sync/test-helpers/builders.js';
import { ManualClock } from '../time/index.js';
import type { Office } from './office-server.js';
import {
  NORTH_TOKEN,
  cleanUp,
  eventually,
  mirrorJob,
  onCleanUp,
  tempDir,
  testOffice,
  urlOf,
} from './test-helpers/office-fixture.js';
import { startRedis } from './test-helpers/redis-server.js';

afterEach(cleanUp);

/** Resolves once the office's copy of north/job-1 holds exactly what the station's job holds. */
function untilSame(office: Office, job: JobDoc, timeoutMs = 20_000): Promise<void> {
  const want = (): string => Y.encodeStateVector(job.doc).join();
  return eventually(() => {
    const doc = office.hocuspocus.documents.get('north/job-1');
    return doc !== undefined && Y.encodeStateVector(doc).join() === want();
  }, timeoutMs);
}

function officeDoc(office: Office): Y.Doc {
  const doc = office.hocuspocus.documents.get('north/job-1');
  if (!doc) throw new Error('the office does not hold north/job-1');
  return doc;
}

describe('a station mirroring to several office nodes', () => {
  it('moves to the next node when one goes, works on while none is there, and loses nothing', async () => {
    const redis = await startRedis();
    onCleanUp(() => redis.stop());
    const a = await testOffice({ redis });
    const bData = tempDir();
    const b = await testOffice({ redis, dataDir: bData });
    const job = createStationJob(new ManualClock());
    const mirror = mirrorJob([urlOf(a), urlOf(b)], 'north/job-1', job, NORTH_TOKEN);
    await untilSame(a, job);
    expect(mirror.status().url).toBe(urlOf(a));

    await a.close();
    job.assign('s3', 't2', 'while node A is gone');
    const t = setInterval(
      () => console.log(JSON.stringify(mirror.status()), [...b.hocuspocus.documents.keys()]),
      1000,
    );
    await untilSame(b, job).finally(() => clearInterval(t));
    expect(mirror.status().url).toBe(urlOf(b));
    expect(readSnapshot(officeDoc(b))).toEqual(job.snapshot());

    // No office at all: the station works on, its own store the source.
    const port = b.port;
    await b.close();
    await eventually(() => !mirror.status().connected);
    job.assign('s4', 't1', 'with no office');
    job.appendCoverage('t1', [segment(1_000, 0), segment(2_000, 10)]);
    job.raiseAlert({ id: 'a-offline', kind: 'test', severity: 'warning', message: 'offline' });

    const back = await testOffice({ redis, dataDir: bData, port });
    await untilSame(back, job);
    expect(readSnapshot(officeDoc(back))).toEqual(job.snapshot());
    expect([...a.refusals, ...b.refusals, ...back.refusals]).toEqual([]);
  }, 60_000);
});
