import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, killStartedClis, startCli } from './test-helpers/cli-process.js';
import { readSnapshot } from '../sync/index.js';
import type { OfficeJobSummary } from '../../shared/index.js';
import type { Office } from '../office/index.js';
import {
  NORTH_TOKEN,
  SOUTH_TOKEN,
  VIEWER_TOKEN,
  cleanUp,
  testOffice,
  urlOf,
} from '../office/test-helpers/office-fixture.js';

afterEach(async () => {
  killStartedClis();
  await cleanUp();
});

function startStation(office: Office, stationId: string, token: string) {
  return startCli(
    [
      'serve',
      '--sim',
      '2',
      '--port',
      '0',
      '--data',
      mkdtempSync(join(tmpdir(), `headland-${stationId}-`)),
      '--upstream',
      urlOf(office),
      '--upstream-token',
      token,
      '--station-id',
      stationId,
    ],
    /mirroring job (\S+) to \S+ as (\S+)/,
  );
}

async function overview(office: Office, token = VIEWER_TOKEN): Promise<Response> {
  return fetch(`http://127.0.0.1:${office.port}/api/office/jobs`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('stations in processes of their own mirroring to the office', () => {
  it('each station’s running job arrives whole under its own name, and nothing is refused', async () => {
    const office = await testOffice();
    const [north, south] = await Promise.all([
      startStation(office, 'north', NORTH_TOKEN),
      startStation(office, 'south', SOUTH_TOKEN),
    ]);
    const names = [north.match[2]!, south.match[2]!];
    expect(names[0]).toBe(`north/${north.match[1]!}`);
    expect(names[1]).toBe(`south/${south.match[1]!}`);
    const assigned = (name: string): boolean => {
      const doc = office.hocuspocus.documents.get(name);
      const sections = doc ? readSnapshot(doc).sections : [];
      return sections.length > 10 && sections.every((s) => s.tractorId !== null);
    };
    const ok = await eventually(
      () => names.every(assigned),
      (v) => v,
      30_000,
    );
    expect(ok).toBe(true);
    expect(office.refusals).toEqual([]);

    const jobs = (await (await overview(office)).json()) as { jobs: OfficeJobSummary[] };
    expect(jobs.jobs.map((j) => `${j.stationId}/${j.jobId}`).sort()).toEqual(names.sort());
    for (const job of jobs.jobs) {
      expect(job.sections).toBeGreaterThan(10);
      expect(job.tractors).toBe(2);
      expect(job.lastUpdateMs).toBeGreaterThan(0);
    }
    // The overview is a viewer's: a station token does not open it.
    expect((await overview(office, NORTH_TOKEN)).status).toBe(401);
  }, 90_000);
});
