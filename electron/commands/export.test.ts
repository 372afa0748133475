import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISOXMLManager } from 'isoxml';
import JSZip from 'jszip';
import { read } from 'shapefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationSnapshot } from '../../shared/index.js';
import { importFields } from '../fleet/index.js';
import { JobRecorder, JobStore, RECORDINGS_DIR } from '../records/index.js';
// A running station on a manual clock makes the data folder, and an independent reading of the
// exported time logs checks it.
import { timeLogArea } from '../records/test-helpers/timelog-area.js';
import { demoFleet } from '../sim/test-helpers/demo-fleet.js';
import { runCli } from './test-helpers/cli-process.js';

/** Simulated work before the station is shut down and its folder exported. */
const WORK_MS = 90_000;

let dir: string;
let snapshot: StationSnapshot;

const within = (actual: number, want: number, share = 0.001): void =>
  expect(Math.abs(actual - want)).toBeLessThanOrEqual(want * share);

const noStackTrace = (stderr: string): void => expect(stderr).not.toMatch(/\n\s+at /);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'headland-export-'));
  let recorder: JobRecorder | undefined;
  const fleet = demoFleet(3, new JobStore(dir), dir, undefined, (clock) => {
    recorder = new JobRecorder({ dir: join(dir, RECORDINGS_DIR), clock, station: 'test' });
    return recorder;
  });
  expect(fleet.station.command({ type: 'startJob' }).ok).toBe(true);
  fleet.run(WORK_MS);
  snapshot = fleet.station.snapshot();
  fleet.close();
  recorder?.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('headland export of a job a station worked', () => {
  it('writes ISOXML whose task totals agree with the station to 0.1% and whose field imports back', async () => {
    expect(snapshot.job.progress.workedHa).toBeGreaterThan(0.4);
    const out = join(dir, 'task.zip');
    const run = await runCli([
      'export',
      '--data',
      dir,
      '--format',
      'isoxml',
      '--out',
      out,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      jobId: string;
      uniqueHa: number;
      overlapHa: number;
    };
    expect(summary.jobId).toBe(snapshot.job.id);
    within(summary.uniqueHa, snapshot.job.progress.workedHa);

    const manager = new ISOXMLManager();
    await manager.parseISOXMLFile(new Uint8Array(readFileSync(out)), 'application/zip');
    const task = manager.rootElement.attributes.Task?.[0];
    const totalM2 = (task?.attributes.Time?.[0]?.attributes.DataLogValue ?? []).reduce(
      (n, v) => n + v.attributes.ProcessDataValue,
      0,
    );
    within(totalM2 / 1e4, snapshot.job.progress.workedHa);
    expect(task?.attributes.TimeLog).toHaveLength(snapshot.tractors.length);
    const logged = await timeLogArea(new Uint8Array(readFileSync(out)));
    within(logged.uniqueM2 / 1e4, snapshot.job.progress.workedHa);

    const imported = await importFields(out);
    if (!imported.ok) throw imported.error;
    expect(imported.value.fields).toHaveLength(1);
    within(imported.value.fields[0]?.areaHa ?? 0, snapshot.field.areaHa, 1e-4);
    expect(imported.value.fields[0]?.holes).toBe(snapshot.field.rings.length - 1);
  });

  it('writes a shapefile zip whose per-pass areas add up to the station figures', async () => {
    const out = join(dir, 'worked.zip');
    const run = await runCli([
      'export',
      snapshot.job.id,
      '--data',
      dir,
      '--format',
      'shapefile',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`exported job ${snapshot.job.id} as shapefile`);
    const zip = await JSZip.loadAsync(readFileSync(out));
    const bytes = (name: string) => zip.file(name)?.async('uint8array');
    const [shp, dbf] = await Promise.all([bytes('passes.shp'), bytes('passes.dbf')]);
    if (!shp || !dbf) throw new Error('passes layer missing');
    const passes = await read(shp, dbf);
    const sum = (key: string): number =>
      passes.features.reduce(
        (n, f) => n + Number((f.properties as Record<string, unknown>)[key]),
        0,
      );
    within(sum('unique_ha'), snapshot.job.progress.workedHa);
    // The export splits the passes' own outlines into unique and overlap where the station folds
    // coverage on its grid: the two splits of the same ground agree to 0.1% of the ground worked
    // (a pass that curves round another leaves a sliver only one of them counts).
    expect(Math.abs(sum('overlap_ha') - snapshot.job.progress.overlapHa)).toBeLessThanOrEqual(
      snapshot.job.progress.workedHa * 0.001,
    );
    // Each machine by its id and by the name the operator screen shows.
    const tractors = new Set(
      passes.features.map((f) => {
        const p = f.properties as Record<string, unknown>;
        return `${String(p['tractor'])}=${String(p['tractor_nm'])}`;
      }),
    );
    expect([...tractors].sort()).toEqual(snapshot.tractors.map((t) => `${t.id}=${t.name}`).sort());
    expect(snapshot.tractors.every((t) => t.name !== t.id)).toBe(true);
  });

  it('writes CSV totals per tractor and per section that sum to the station figures', async () => {
    const out = join(dir, 'totals.csv');
    expect(
      (await runCli(['export', 'latest', '--data', dir, '--format', 'csv', '--out', out])).code,
    ).toBe(0);
    const [header = [], ...rows] = readFileSync(out, 'utf8')
      .trim()
      .split('\r\n')
      .map((r) => r.split(','));
    const column = (name: string): number => header.indexOf(name);
    const total = (scope: string): number =>
      rows.filter((r) => r[0] === scope).reduce((n, r) => n + Number(r[column('unique_ha')]), 0);
    within(total('tractor'), snapshot.job.progress.workedHa);
    within(total('job'), snapshot.job.progress.workedHa);
    expect(rows.filter((r) => r[0] === 'section')).toHaveLength(snapshot.sections.length);
    const named = rows
      .filter((r) => r[0] === 'tractor')
      .map((r) => [r[column('tractor')], r[column('tractor_nm')]]);
    expect(named).toEqual(
      [...snapshot.tractors].sort((a, b) => a.id.localeCompare(b.id)).map((t) => [t.id, t.name]),
    );
  });
});

describe('headland export with bad input', () => {
  it('exits 2 with the usage for a bad format or a missing --out', async () => {
    const bad = await runCli(['export', '--data', dir, '--format', 'pdf', '--out', join(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown format 'pdf'");
    expect(bad.stderr).toContain('Usage: headland export');
    const missing = await runCli(['export', '--data', dir, '--format', 'csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --out');
  });

  it('exits 1 with one clear line for an unknown job, a missing folder or an unwritable path', async () => {
    const cases: [string[], string][] = [
      [['nope', '--data', dir], "no job 'nope'"],
      [['--data', join(dir, 'absent')], 'no data folder'],
      [['--data', dir, '--out', join(dir, 'no', 'such', 'x.csv')], 'does not exist'],
    ];
    for (const [args, message] of cases) {
      const withOut = args.includes('--out') ? args : [...args, '--out', join(dir, 'x.csv')];
      const run = await runCli(['export', ...withOut, '--format', 'csv']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      noStackTrace(run.stderr);
    }
  });

  it('exports with a warning on stderr naming a damaged refill stop entry it left out', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'headland-export-refill-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const store = new JobStore(copy);
      const loaded = store.load(0);
      if (loaded.kind !== 'loaded') throw new Error(`job record ${loaded.kind}`);
      store.save({ ...loaded.record, refillStops: [{ tractorId: 'sim-01', position: [0, 95] }] });
      const out = join(copy, 'x.csv');
      const run = await runCli(['export', '--data', copy, '--format', 'csv', '--out', out]);
      expect(run.code).toBe(0);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^headland export: warning: job\.json: refill stop 1 refused: /),
      ]);
      expect(run.stdout).toContain('0 refill stop(s)');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('exits 1 for a damaged store and leaves it as it was', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'headland-export-broken-'));
    try {
      writeFileSync(join(broken, 'job.json'), readFileSync(join(dir, 'job.json')));
      writeFileSync(join(broken, 'sync.db'), 'SQLite format 3\0 but torn');
      const run = await runCli([
        'export',
        '--data',
        broken,
        '--format',
        'kml',
        '--out',
        join(broken, 'x.kml'),
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('damaged');
      noStackTrace(run.stderr);
      expect(readFileSync(join(broken, 'sync.db'), 'utf8')).toBe('SQLite format 3\0 but torn');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
