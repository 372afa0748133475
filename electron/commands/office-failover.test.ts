import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readSnapshot } from '../sync/index.js';
import {
  NORTH_TOKEN,
  VIEWER_TOKEN,
  cleanUp,
  onCleanUp,
  openDocument,
} from '../office/test-helpers/office-fixture.js';
import { startRedis } from '../office/test-helpers/redis-server.js';
import { eventually, exited, killStartedClis, startCli } from './test-helpers/cli-process.js';

const STATION_VIEWER_TOKEN = 'station-viewer-token';

afterEach(async () => {
  killStartedClis();
  await cleanUp();
});

const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `headland-${name}-`));

async function officeNode(redisPort: number) {
  const { child, match } = await startCli(
    [
      'office',
      '--port',
      '0',
      '--data',
      tempDir('office'),
      '--redis',
      `redis://127.0.0.1:${redisPort}`,
      '--station-token',
      `north:${NORTH_TOKEN}`,
      '--viewer-token',
      VIEWER_TOKEN,
    ],
    /Headland office listening on http:\/\/(\S+)/,
  );
  return { child, url: `ws://${match[1]!}` };
}

/** The station's own document, read at its /sync endpoint as the station's viewer. */
function stationDoc(stationUrl: string, jobId: string): Y.Doc {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${stationUrl.replace('http', 'ws')}/sync`, jobId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: STATION_VIEWER_TOKEN },
    disableBc: true,
  });
  onCleanUp(() => provider.destroy());
  return doc;
}

/** True when `doc` holds at least everything the state vector `want` names. */
function covers(doc: Y.Doc, want: Map<number, number>): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  return [...want].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
}

describe('a station mirroring to two office nodes, each a process of its own', () => {
  it('node A killed: the station moves to node B and B ends with everything the station has', async () => {
    const redis = await startRedis();
    onCleanUp(() => redis.stop());
    const [a, b] = await Promise.all([officeNode(redis.port), officeNode(redis.port)]);
    const station = await startCli(
      [
        'serve',
        '--sim',
        '2',
        '--port',
        '0',
        '--data',
        tempDir('north'),
        '--viewer-token',
        STATION_VIEWER_TOKEN,
        '--upstream',
        `${a.url},${b.url}`,
        '--upstream-token',
        NORTH_TOKEN,
        '--station-id',
        'north',
      ],
      /^(?=[\s\S]*mirroring job (\S+) to \S+ \S+ as (\S+))(?=[\s\S]*listening on (http:\/\/\S+))/,
    );
    const [, jobId, name, stationUrl] = station.match;
    const own = stationDoc(stationUrl!, jobId!);
    // A viewer on node B sees the job the station writes to node A, through Redis.
    const viewer = openDocument(b.url, name!, VIEWER_TOKEN);
    const hasJob = (doc: Y.Doc): boolean => readSnapshot(doc).sections.length > 10;
    expect(
      await eventually(
        () => hasJob(own) && hasJob(viewer.doc),
        (ok) => ok,
        30_000,
      ),
    ).toBe(true);

    a.child.kill('SIGKILL');
    await exited(a.child);
    // The job runs on (two tractors covering ground): what it writes from here on never reached A.
    const atKill = Y.decodeStateVector(Y.encodeStateVector(own));
    await new Promise((r) => setTimeout(r, 2_000));
    const want = Y.decodeStateVector(Y.encodeStateVector(own));
    expect([...want].some(([client, clock]) => (atKill.get(client) ?? 0) < clock)).toBe(true);
    expect(
      await eventually(
        () => covers(viewer.doc, want),
        (ok) => ok,
        30_000,
      ),
    ).toBe(true);
    expect(station.output()).not.toContain('refused or ended');
  }, 120_000);
});
