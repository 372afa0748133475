import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PEER_LIMITS } from '../sync/index.js';
import { createStationJob } from '../sync/test-helpers/builders.js';
import { ManualClock } from '../time/index.js';
import type { Office } from './office-server.js';
import {
  NORTH_TOKEN,
  cleanUp,
  eventually,
  mirrorJob,
  onCleanUp,
  testOffice,
  urlOf,
} from './test-helpers/office-fixture.js';
import { SYNC_STEP_2, frame, rawClient } from './test-helpers/raw-client.js';

afterEach(cleanUp);

/** An office holding north's job-1, and the job's state there before anything is tried. */
async function officeWithJob(): Promise<{ office: Office; before: Uint8Array }> {
  const office = await testOffice();
  const job = createStationJob(new ManualClock());
  await mirrorJob(urlOf(office), 'north/job-1', job, NORTH_TOKEN).whenSynced();
  const want = Y.encodeStateVector(job.doc).join();
  await eventually(() => {
    const doc = office.hocuspocus.documents.get('north/job-1');
    return doc !== undefined && Y.encodeStateVector(doc).join() === want;
  });
  return { office, before: stateOf(office) };
}

function stateOf(office: Office): Uint8Array {
  const doc = office.hocuspocus.documents.get('north/job-1');
  if (!doc) throw new Error('the office does not hold north/job-1');
  return Y.encodeStateAsUpdate(doc);
}

async function station(office: Office) {
  const client = await rawClient(urlOf(office), 'north/job-1', NORTH_TOKEN);
  onCleanUp(() => client.close());
  return client;
}

/** An update from a fresh client that writes `fn`'s changes and nothing else. */
function updateOf(fn: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  let update: Uint8Array = new Uint8Array();
  doc.on('update', (u: Uint8Array) => (update = u));
  fn(doc);
  return update;
}

describe('what the office refuses from a station on its own job', () => {
  it('a malformed update: nothing changes, the station is told why', async () => {
    const { office, before } = await officeWithJob();
    const client = await station(office);
    client.sendUpdate(new Uint8Array([1, 200, 7, 3, 0, 255, 255, 255]));
    expect(await client.refused).toMatch(/^refused \(malformed\): /);
    expect(stateOf(office)).toEqual(before);
    expect(office.refusals.at(-1)?.reason).toBe('malformed');
  });

  it('a sync message cut short: its update’s length runs past the end', async () => {
    const { office, before } = await officeWithJob();
    const client = await station(office);
    client.send(
      frame('north/job-1', (e) => encoding.writeUint8Array(e, new Uint8Array([0, 2, 250]))),
    );
    expect(await client.refused).toMatch(/^refused \(malformed\): undecodable message/);
    expect(stateOf(office)).toEqual(before);
  });

  it('an update the station’s validator refuses: a root the job has not', async () => {
    const { office, before } = await officeWithJob();
    const client = await station(office);
    client.sendUpdate(
      updateOf((d) => d.getMap('evil').set('x', 1)),
      SYNC_STEP_2,
    );
    expect(await client.refused).toBe("refused (forbidden): unknown root type 'evil'");
    expect(stateOf(office)).toEqual(before);
  });

  it('an update past the station’s per-message cap', async () => {
    const { office, before } = await officeWithJob();
    const client = await station(office);
    const big = new Uint8Array(DEFAULT_PEER_LIMITS.maxMessageBytes + 1);
    client.sendUpdate(updateOf((d) => d.getMap('alerts').set('a', big)));
    expect(await client.refused).toMatch(/^refused \(too-large\): \d+ bytes in one message/);
    expect(stateOf(office)).toEqual(before);
  });
});
