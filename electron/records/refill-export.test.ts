import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtendedTimeLog, ISOXMLManager, TimeTypeEnum } from 'isoxml';
import JSZip from 'jszip';
import { read } from 'shapefile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFields, type LonLat } from '../fleet/index.js';
import type { SwathSegment } from '../sync/index.js';
import { exportJob, type ExportFormat } from './export-job.js';
import {
  FRAME,
  JOB_ID,
  WORK_START_MS,
  buildJobFolder,
  lane,
  standardCoverage,
} from './test-helpers/job-folder.js';
import { timeLogArea } from './test-helpers/timelog-area.js';

/** The refill point: 5 m west of the field's south-west corner. */
const POINT: LonLat = FRAME.toLonLat([-5, 0]);
const at = (s: number): number => WORK_START_MS + s * 1000;
/** t2 between its first two lanes (50–130 s, 150–230 s); t1 between its lanes 1 and 2. */
const STOPS = [
  { tractorId: 't1', arrivedAtWallMs: at(185), leftAtWallMs: at(195.5), position: POINT },
  { tractorId: 't2', arrivedAtWallMs: at(135), leftAtWallMs: at(145), position: POINT },
];

const expected = standardCoverage();
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'records-refill-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (format: ExportFormat, out: string) =>
  exportJob({
    dataDir: dir,
    jobRef: JOB_ID,
    format,
    outPath: join(dir, out),
    softwareVersion: 't',
  });

const within = (actual: number, want: number, share = 0.001): void =>
  expect(Math.abs(actual - want)).toBeLessThanOrEqual(want * share);

async function taskData(file: string): Promise<ISOXMLManager> {
  const manager = new ISOXMLManager();
  await manager.parseISOXMLFile(new Uint8Array(readFileSync(join(dir, file))), 'application/zip');
  return manager;
}

/** Every time log's records: [device element, time, lon, lat, work state]. */
function records(
  manager: ISOXMLManager,
): { log: string; tMs: number; at: LonLat; state: number }[] {
  const out: { log: string; tMs: number; at: LonLat; state: number }[] = [];
  for (const log of manager.rootElement.attributes.Task?.[0]?.attributes.TimeLog ?? []) {
    if (!(log instanceof ExtendedTimeLog)) throw new Error('isoxml did not read the time log');
    const info = log.parseBinaryFile();
    if (log.parsingErrors.length > 0) throw new Error(log.parsingErrors.join('; '));
    const state = info.valuesInfo.find((v) => v.valueKey.startsWith('008D'))?.valueKey ?? '';
    for (const rec of info.timeLogs)
      out.push({
        log: log.attributes.Filename,
        tMs: rec.time.getTime(),
        at: [rec.position.PositionEast, rec.position.PositionNorth],
        state: rec.values[state] ?? -1,
      });
  }
  return out;
}

const atPoint = (p: LonLat): boolean =>
  Math.abs(p[0] - POINT[0]) < 2e-7 && Math.abs(p[1] - POINT[1]) < 2e-7;

describe('refill stops in the ISOXML export', () => {
  it('logs each stop in its machine’s time log at the point, work state 0, and the worked area stays the same', async () => {
    buildJobFolder(dir, expected.coverage, { refillStops: STOPS });
    const summary = await run('isoxml', 'task.zip');
    expect(summary.refillStops).toBe(2);
    expect(summary.warnings).toEqual([]);
    const manager = await taskData('task.zip');
    expect(manager.getWarnings().filter((w) => !w.includes('Letter case'))).toEqual([]);
    const stopRecords = records(manager).filter((r) => atPoint(r.at));
    expect(stopRecords.map((r) => [r.log, r.tMs - WORK_START_MS, r.state])).toEqual([
      ['TLG00001', 185_000, 0],
      ['TLG00001', 195_500, 0],
      ['TLG00002', 135_000, 0],
      ['TLG00002', 145_000, 0],
    ]);
    // Records stay in time order in every log.
    for (const log of ['TLG00001', 'TLG00002']) {
      const times = records(manager)
        .filter((r) => r.log === log)
        .map((r) => r.tMs);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    // Two records a stop and nothing worked on the way: the as-applied area is the count.
    const area = await timeLogArea(new Uint8Array(readFileSync(join(dir, 'task.zip'))));
    expect(area.records).toBe(22 + 4);
    within(area.uniqueM2, expected.uniqueM2);
    within(area.overlapM2, expected.overlapM2, 0.005);
  });

  it('gives each stop an ineffective time in the task with the point and the machine’s work state 0', async () => {
    buildJobFolder(dir, expected.coverage, { refillStops: STOPS });
    await run('isoxml', 'task.zip');
    const task = (await taskData('task.zip')).rootElement.attributes.Task?.[0];
    const times = task?.attributes.Time ?? [];
    expect(times.map((t) => t.attributes.Type)).toEqual(['4', '5', '5']);
    const ineffective = times.filter((t) => t.attributes.Type === TimeTypeEnum.Ineffective);
    // Whole seconds: TIM times are xs:dateTime, written as the task's effective time is.
    const iso = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d));
    expect(ineffective.map((t) => [iso(t.attributes.Start), iso(t.attributes.Stop)])).toEqual([
      ['2026-05-01T08:02:15.000Z', '2026-05-01T08:02:25.000Z'],
      ['2026-05-01T08:03:05.000Z', '2026-05-01T08:03:15.000Z'],
    ]);
    // The span of the whole seconds written (10.5 s from 08:03:05.0 reads 08:03:05–08:03:15).
    expect(ineffective.map((t) => t.attributes.Duration)).toEqual([10, 10]);
    for (const t of ineffective) {
      const ptn = t.attributes.Position?.[0]?.attributes;
      expect(Number(ptn?.PositionNorth)).toBeCloseTo(POINT[1], 9);
      expect(Number(ptn?.PositionEast)).toBeCloseTo(POINT[0], 9);
    }
    const states = ineffective.map((t) => {
      const dlv = t.attributes.DataLogValue?.[0]?.attributes;
      return [dlv?.ProcessDataDDI, dlv?.ProcessDataValue, dlv?.DeviceElementIdRef.xmlId];
    });
    expect(states).toEqual([
      ['008D', 0, 'DET2'],
      ['008D', 0, 'DET1'],
    ]);
  });

  it('breaks the stretch at a stop where the machine picks up where it left off', async () => {
    // t1 stops halfway along a lane and comes back to the same spot: the way to the point and
    // back must not read as worked ground.
    const coverage: Record<string, SwathSegment[]> = {
      t1: [...lane(3, 0, 100, 0), ...lane(3, 100, 200, 60_000)],
    };
    const stop = {
      tractorId: 't1',
      arrivedAtWallMs: at(45),
      leftAtWallMs: at(55),
      position: POINT,
    };
    buildJobFolder(dir, coverage, { refillStops: [stop] });
    await run('isoxml', 'task.zip');
    const area = await timeLogArea(new Uint8Array(readFileSync(join(dir, 'task.zip'))));
    within(area.uniqueM2, 200 * 6);
    // Where the two stretches meet, 1e-7° positions may cross by a hair (well under 0.01 m²).
    expect(area.overlapM2).toBeLessThan(0.01);
    const states = records(await taskData('task.zip')).map((r) => r.state);
    expect(states).toEqual([1, 0, 0, 0, 1, 0]);
  });
});

describe('refill stops in the GIS exports', () => {
  it('GeoJSON: one point feature per stop, with the machine and its arrival and departure', async () => {
    buildJobFolder(dir, expected.coverage, { refillStops: STOPS });
    await run('geojson', 'job.geojson');
    const json = JSON.parse(readFileSync(join(dir, 'job.geojson'), 'utf8')) as {
      features: {
        properties: Record<string, unknown>;
        geometry: { type: string; coordinates: unknown };
      }[];
    };
    const refills = json.features.filter((f) => f.properties['layer'] === 'refills');
    expect(refills.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: POINT },
      { type: 'Point', coordinates: POINT },
    ]);
    expect(refills.map((f) => f.properties)).toEqual([
      {
        layer: 'refills',
        stop: 1,
        tractor: 't2',
        tractor_nm: 'Tractor 2',
        arrived: '2026-05-01T08:02:15.000Z',
        left: '2026-05-01T08:02:25.000Z',
        duration_s: 10,
      },
      {
        layer: 'refills',
        stop: 2,
        tractor: 't1',
        tractor_nm: 'Tractor 1',
        arrived: '2026-05-01T08:03:05.000Z',
        left: '2026-05-01T08:03:15.500Z',
        duration_s: 10.5,
      },
    ]);
    // Our importer still reads the field (points are not fields).
    const imported = await importFields(join(dir, 'job.geojson'));
    if (!imported.ok) throw imported.error;
    expect(imported.value.fields).toHaveLength(1 + 2 + 11);
  });

  it('shapefile: a refills point layer beside the others, and the zip still imports', async () => {
    buildJobFolder(dir, expected.coverage, { refillStops: STOPS });
    await run('shapefile', 'job.zip');
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'job.zip')));
    const shp = await zip.file('refills.shp')?.async('uint8array');
    const dbf = await zip.file('refills.dbf')?.async('uint8array');
    expect(await zip.file('refills.prj')?.async('string')).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
    if (!shp || !dbf) throw new Error('refills layer missing');
    const layer = await read(shp, dbf);
    expect(layer.features.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: POINT },
      { type: 'Point', coordinates: POINT },
    ]);
    expect(layer.features.map((f) => f.properties)).toEqual([
      {
        stop: 1,
        tractor: 't2',
        tractor_nm: 'Tractor 2',
        arrived: '2026-05-01T08:02:15.000Z',
        left: '2026-05-01T08:02:25.000Z',
        duration_s: 10,
      },
      {
        stop: 2,
        tractor: 't1',
        tractor_nm: 'Tractor 1',
        arrived: '2026-05-01T08:03:05.000Z',
        left: '2026-05-01T08:03:15.500Z',
        duration_s: 10.5,
      },
    ]);
    const imported = await importFields(join(dir, 'job.zip'));
    if (!imported.ok) throw imported.error;
    expect(imported.value.fields).toHaveLength(1 + 2 + 11);
  });

  it('KML: a pin per stop in a folder of its own; the field still imports', async () => {
    buildJobFolder(dir, expected.coverage, { refillStops: STOPS });
    await run('kml', 'job.kml');
    const kml = readFileSync(join(dir, 'job.kml'), 'utf8');
    expect(kml).toContain('<Folder><name>Refill stops</name>');
    expect(kml).toContain(`<Placemark><name>Refill stop 1, Tractor 2 (t2)</name>`);
    expect(kml).toContain(`<Point><coordinates>${POINT[0]},${POINT[1]}</coordinates></Point>`);
    expect(kml).toContain('<Data name="left"><value>2026-05-01T08:03:15.500Z</value></Data>');
    const imported = await importFields(join(dir, 'job.kml'));
    if (!imported.ok) throw imported.error;
    expect(imported.value.fields[0]?.geometry.name).toBe('Test field');
  });
});

describe('records without refill stops, and damaged entries', () => {
  it('exports a record written before stops were kept: no stop, an empty refills layer', async () => {
    buildJobFolder(dir, expected.coverage);
    const record = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as object;
    expect(record).not.toHaveProperty('refillStops');
    const summary = await run('isoxml', 'task.zip');
    expect(summary).toMatchObject({ refillStops: 0, warnings: [] });
    const task = (await taskData('task.zip')).rootElement.attributes.Task?.[0];
    expect(task?.attributes.Time?.map((t) => t.attributes.Type)).toEqual(['4']);
    await run('shapefile', 'job.zip');
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'job.zip')));
    const shp = await zip.file('refills.shp')?.async('uint8array');
    const dbf = await zip.file('refills.dbf')?.async('uint8array');
    if (!shp || !dbf) throw new Error('refills layer missing');
    expect((await read(shp, dbf)).features).toEqual([]);
  });

  it('refuses a damaged stop entry by name and exports the others', async () => {
    buildJobFolder(dir, expected.coverage, {
      refillStops: [
        STOPS[0],
        { ...STOPS[1], leftAtWallMs: at(100) },
        { ...STOPS[1], position: 'west gate' },
        STOPS[1],
      ],
    });
    const summary = await run('geojson', 'job.geojson');
    expect(summary.refillStops).toBe(2);
    expect(summary.warnings).toEqual([
      'job.json: refill stop 2 refused: left before it arrived',
      expect.stringMatching(/^job\.json: refill stop 3 refused: .* \(position\)$/),
    ]);
    const json = JSON.parse(readFileSync(join(dir, 'job.geojson'), 'utf8')) as {
      features: { properties: Record<string, unknown> }[];
    };
    const refills = json.features.filter((f) => f.properties['layer'] === 'refills');
    expect(refills.map((f) => f.properties['tractor'])).toEqual(['t2', 't1']);
  });
});
