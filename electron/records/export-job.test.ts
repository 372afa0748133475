import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ISOXMLManager } from 'isoxml';
import JSZip from 'jszip';
import { read } from 'shapefile';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFields } from '../fleet/index.js';
import { JobDoc, UpdateStore, openPersistedJob } from '../sync/index.js';
import { ManualClock } from '../time/index.js';
import { exportJob, type ExportFormat } from './export-job.js';
import { JobHistory } from './job-history.js';
import {
  FRAME,
  JOB_ID,
  WORK_START_MS,
  buildJobFolder,
  lane,
  standardCoverage,
} from './test-helpers/job-folder.js';
import { timeLogArea } from './test-helpers/timelog-area.js';

let dir: string;
const expected = standardCoverage();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'records-export-'));
  buildJobFolder(dir, expected.coverage);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (format: ExportFormat, out: string, jobRef = 'latest') =>
  exportJob({ dataDir: dir, jobRef, format, outPath: join(dir, out), softwareVersion: 'test' });

const within = (actual: number, want: number, share = 0.001): void =>
  expect(Math.abs(actual - want)).toBeLessThanOrEqual(want * share);

describe('ISOXML TASKDATA', () => {
  async function parse(bytes: Uint8Array): Promise<ISOXMLManager> {
    const manager = new ISOXMLManager();
    await manager.parseISOXMLFile(bytes, 'application/zip');
    return manager;
  }

  it('re-reads with the isoxml package: partfield with its hole, task, one device and time log per tractor', async () => {
    await run('isoxml', 'task.zip');
    const manager = await parse(new Uint8Array(readFileSync(join(dir, 'task.zip'))));
    // isoxml only notes that ISO's upper-case file names differ from its lower-case lookups.
    expect(manager.getWarnings().filter((w) => !w.includes('Letter case'))).toEqual([]);
    const root = manager.rootElement.attributes;
    const pfd = root.Partfield?.[0];
    expect(pfd?.attributes.PartfieldDesignator).toBe('Test field');
    expect(pfd?.attributes.PartfieldArea).toBe(79_600);
    const strings = pfd?.attributes.PolygonnonTreatmentZoneonly?.[0]?.attributes.LineString ?? [];
    expect(strings.map((s) => s.attributes.LineStringType)).toEqual(['1', '2']);
    // The name the operator screen shows, and the machine's id as the serial number.
    expect(root.Device?.map((d) => d.attributes.DeviceDesignator)).toEqual([
      'Tractor 1',
      'Tractor 2',
    ]);
    expect(root.Device?.map((d) => d.attributes.DeviceSerialNumber)).toEqual(['t1', 't2']);
    expect(
      root.Device?.map((d) => d.attributes.DeviceElement?.[0]?.attributes.DeviceElementDesignator),
    ).toEqual(['Tractor 1', 'Tractor 2']);
    const task = root.Task?.[0];
    expect(task?.attributes.TaskStatus).toBe('3'); // paused
    expect(task?.attributes.PartfieldIdRef?.xmlId).toBe('PFD1');
    const totals = task?.attributes.Time?.[0]?.attributes.DataLogValue ?? [];
    expect(totals.map((v) => [v.attributes.ProcessDataDDI, v.attributes.ProcessDataValue])).toEqual(
      [
        ['0074', 7080],
        ['0074', 4800],
      ],
    );
    expect(task?.attributes.TimeLog).toHaveLength(2);
  });

  it('its time logs give back the worked area the station counts (unique within 0.1%)', async () => {
    await run('isoxml', 'task.zip');
    const area = await timeLogArea(new Uint8Array(readFileSync(join(dir, 'task.zip'))));
    // One record per end of each straight run: 11 passes, each a run with a start and an end.
    expect(area.records).toBe(22);
    within(area.uniqueM2, expected.uniqueM2);
    // Binary positions are 1e-7° (ISO 11783-10): ~1 cm of shift along the 200 m overlap lane
    // is ~2 m² of its 1,200 m², so the overlap comes back within 0.5%, not 0.1%.
    within(area.overlapM2, expected.overlapM2, 0.005);
  });

  it('imports through our importer as the same field, hole included', async () => {
    await run('isoxml', 'task.zip');
    const result = await importFields(join(dir, 'task.zip'));
    if (!result.ok) throw result.error;
    expect(result.value.format).toBe('isoxml-zip');
    expect(result.value.fields).toHaveLength(1);
    expect(result.value.fields[0]?.holes).toBe(1);
    within(result.value.fields[0]?.areaM2 ?? 0, 79_600, 1e-6);
  });

  it('writes a TASKDATA folder when the path is not a .zip', async () => {
    await run('isoxml', 'out');
    const xml = readFileSync(join(dir, 'out', 'TASKDATA', 'TASKDATA.XML'), 'utf8');
    expect(xml).toContain('<TLG A="TLG00001"');
    expect(readFileSync(join(dir, 'out', 'TASKDATA', 'TLG00002.BIN')).length).toBeGreaterThan(0);
  });
});

describe('shapefile', () => {
  async function layer(name: string) {
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'job.zip')));
    const file = (ext: string) => zip.file(`${name}.${ext}`)?.async('uint8array');
    const [shp, dbf] = await Promise.all([file('shp'), file('dbf')]);
    expect(await zip.file(`${name}.prj`)?.async('string')).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
    if (!shp || !dbf) throw new Error(`${name}.shp/.dbf missing`);
    return read(shp, dbf);
  }

  it('passes layer: per-pass unique and overlap ha that add up to the station count per tractor', async () => {
    await run('shapefile', 'job.zip');
    const passes = await layer('passes');
    const sum = (tractor: string, key: string): number =>
      passes.features
        .filter((f) => f.properties?.['tractor'] === tractor)
        .reduce((n, f) => n + Number(f.properties?.[key]), 0);
    expect(passes.features).toHaveLength(11);
    const names = new Set(
      passes.features.map((f) => `${f.properties?.['tractor']}=${f.properties?.['tractor_nm']}`),
    );
    expect([...names].sort()).toEqual(['t1=Tractor 1', 't2=Tractor 2']);
    within(sum('t1', 'unique_ha') * 1e4, 7080);
    within(sum('t2', 'unique_ha') * 1e4, 4800);
    within(sum('t2', 'overlap_ha') * 1e4, 1200);
    expect(sum('t1', 'overlap_ha')).toBe(0);
    const last = passes.features.find((f) => f.properties?.['overlap_ha'] !== 0);
    expect(last?.properties?.['section']).toBe('S1');
  });

  it('sections and field layers carry the areas; the field keeps its hole', async () => {
    await run('shapefile', 'job.zip');
    const sections = await layer('sections');
    const byId: Record<string, Record<string, unknown> | undefined> = {};
    for (const f of sections.features) {
      const props = (f.properties ?? {}) as Record<string, unknown>;
      byId[String(props['section'])] = props;
    }
    within(Number(byId['S1']?.['unique_ha']) * 1e4, 7080);
    within(Number(byId['S1']?.['overlap_ha']) * 1e4, 1200);
    within(Number(byId['S2']?.['unique_ha']) * 1e4, 4800);
    expect(byId['S2']?.['tractor']).toBe('t2');
    expect(byId['S2']?.['tractor_nm']).toBe('Tractor 2');
    const field = await layer('field');
    const geometry = field.features[0]?.geometry;
    expect(geometry?.type).toBe('Polygon');
    if (geometry?.type === 'Polygon') expect(geometry.coordinates).toHaveLength(2);
  });

  it('imports through our importer: the field (with its hole), the sections and every pass', async () => {
    await run('shapefile', 'job.zip');
    const result = await importFields(join(dir, 'job.zip'));
    if (!result.ok) throw result.error;
    const field = result.value.fields.find((f) => f.holes === 1);
    within(field?.areaM2 ?? 0, 79_600, 1e-6);
    expect(result.value.fields).toHaveLength(1 + 2 + 11);
  });
});

describe('GeoJSON, KML and CSV', () => {
  it('GeoJSON holds the three layers with unrounded coordinates and the totals', async () => {
    await run('geojson', 'job.geojson');
    const json = JSON.parse(readFileSync(join(dir, 'job.geojson'), 'utf8')) as {
      headland: Record<string, number>;
      features: { properties: Record<string, unknown>; geometry: { coordinates: number[][][] } }[];
    };
    const layers = json.features.map((f) => f.properties['layer']);
    expect(layers.filter((l) => l === 'passes')).toHaveLength(11);
    const sections = json.features.filter((f) => f.properties['layer'] === 'sections');
    expect(sections.map((f) => [f.properties['section'], f.properties['tractor_nm']])).toEqual([
      ['S1', 'Tractor 1'],
      ['S2', 'Tractor 2'],
    ]);
    const pass = json.features.find((f) => f.properties['layer'] === 'passes');
    expect(pass?.properties).toMatchObject({ tractor: 't1', tractor_nm: 'Tractor 1' });
    within((json.headland['unique_ha'] ?? 0) * 1e4, expected.uniqueM2);
    const corner = json.features[0]?.geometry.coordinates[0]?.[1];
    const want = FRAME.toLonLat([400, 0]);
    expect(corner?.[0]).toBe(want[0]);
    expect(corner?.[1]).toBe(want[1]);
  });

  it('KML imports through our importer with the same field', async () => {
    await run('kml', 'job.kml');
    const result = await importFields(join(dir, 'job.kml'));
    if (!result.ok) throw result.error;
    expect(result.value.fields[0]?.geometry.name).toBe('Test field');
    within(result.value.fields[0]?.areaM2 ?? 0, 79_600, 1e-6);
    const kml = readFileSync(join(dir, 'job.kml'), 'utf8');
    expect(kml).toContain('<name>Section S2, Tractor 2 (t2)</name>');
    expect(kml).toContain('<name>Pass 1, Tractor 1 (t1)</name>');
    expect(kml).toContain('<Data name="tractor_nm"><value>Tractor 1</value></Data>');
  });

  it('CSV lists per-tractor and per-section totals', async () => {
    await run('csv', 'job.csv');
    const rows = readFileSync(join(dir, 'job.csv'), 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('scope,id,tractor,tractor_nm,unique_ha,overlap_ha,passes');
    expect(rows).toContain('tractor,t2,t2,Tractor 2,0.480000,0.120000,5');
    expect(rows).toContain('section,S1,t1,Tractor 1,0.708000,0.120000,7');
    expect(rows.at(-1)).toBe(`job,${JOB_ID},,,1.188000,0.120000,11`);
  });
});

describe('machine names', () => {
  it('calls a machine its recording does not name by its id, and a damaged recording names none', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'records-names-'));
    try {
      buildJobFolder(folder, expected.coverage, { names: { t1: 'Tractor 1' } });
      const csv = async (): Promise<string[]> => {
        const out = join(folder, 'job.csv');
        await exportJob({
          dataDir: folder,
          jobRef: JOB_ID,
          format: 'csv',
          outPath: out,
          softwareVersion: 't',
        });
        return readFileSync(out, 'utf8').trim().split('\r\n');
      };
      const rows = await csv();
      expect(rows).toContain('tractor,t1,t1,Tractor 1,0.708000,0.000000,6');
      expect(rows).toContain('tractor,t2,t2,t2,0.480000,0.120000,5');
      writeFileSync(join(folder, 'recordings', `${JOB_ID}.hrec`), 'not a recording');
      expect(await csv()).toContain('tractor,t1,t1,t1,0.708000,0.000000,6');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps ISOXML designators within 32 characters', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'records-long-'));
    try {
      const long = `Tractor ${'Ä'.repeat(40)}`;
      buildJobFolder(folder, expected.coverage, { names: { t1: long, t2: 'B & <C>' } });
      const out = join(folder, 'task.zip');
      await exportJob({
        dataDir: folder,
        jobRef: JOB_ID,
        format: 'isoxml',
        outPath: out,
        softwareVersion: 't',
      });
      const manager = new ISOXMLManager();
      await manager.parseISOXMLFile(new Uint8Array(readFileSync(out)), 'application/zip');
      const devices = manager.rootElement.attributes.Device ?? [];
      expect(devices.map((d) => d.attributes.DeviceDesignator)).toEqual([
        long.slice(0, 32),
        'B & <C>',
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a job with no work yet', () => {
  it('exports every format, with zero areas and empty pass layers', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'records-empty-'));
    try {
      buildJobFolder(empty, {});
      const out = (name: string): string => join(empty, name);
      for (const [format, name] of [
        ['isoxml', 'task.zip'],
        ['shapefile', 'job.zip'],
        ['geojson', 'job.geojson'],
        ['kml', 'job.kml'],
        ['csv', 'job.csv'],
      ] as const) {
        const summary = await exportJob({
          dataDir: empty,
          jobRef: JOB_ID,
          format,
          outPath: out(name),
          softwareVersion: 'test',
        });
        expect(summary).toMatchObject({ uniqueHa: 0, overlapHa: 0, passes: 0, tractors: 0 });
      }
      const manager = new ISOXMLManager();
      await manager.parseISOXMLFile(
        new Uint8Array(readFileSync(out('task.zip'))),
        'application/zip',
      );
      expect(manager.rootElement.attributes.Partfield).toHaveLength(1);
      const zip = await JSZip.loadAsync(readFileSync(out('job.zip')));
      const shp = await zip.file('passes.shp')?.async('uint8array');
      const dbf = await zip.file('passes.dbf')?.async('uint8array');
      if (!shp || !dbf) throw new Error('passes layer missing');
      expect((await read(shp, dbf)).features).toEqual([]);
      expect(readFileSync(out('job.csv'), 'utf8')).toContain(`job,${JOB_ID},,,0.000000,0.000000,0`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('a live station', () => {
  it('exports what a station still holding the store open has written, and the station goes on', async () => {
    const store = UpdateStore.open(join(dir, 'sync.db'));
    const clock = new ManualClock(0, WORK_START_MS);
    const persisted = openPersistedJob(store, JOB_ID);
    const job = new JobDoc({ actor: { role: 'station', id: 'st1' }, clock, doc: persisted.doc });
    try {
      job.appendCoverage('t3', lane(150, 200, 400, 2_000_000)); // 1,200 m² of new ground
      const summary = await run('csv', 'live.csv');
      within(summary.uniqueHa * 1e4, expected.uniqueM2 + 1200);
      job.appendCoverage('t3', lane(156, 200, 400, 2_100_000));
      expect(store.updateCount(JOB_ID)).toBeGreaterThan(0);
    } finally {
      persisted.detach();
      job.destroy();
      store.close();
    }
  });
});

describe('bad input', () => {
  it('names an unknown job and the jobs that exist', async () => {
    const failure = run('csv', 'x.csv', 'nope');
    await expect(failure).rejects.toMatchObject({ problem: 'not-found' });
    await expect(failure).rejects.toThrow(`no job 'nope'`);
    await expect(failure).rejects.toThrow(`jobs there: ${JOB_ID}`);
  });

  it('refuses a missing data folder', async () => {
    await expect(
      exportJob({
        dataDir: join(dir, 'none'),
        jobRef: 'latest',
        format: 'csv',
        outPath: join(dir, 'x.csv'),
        softwareVersion: 't',
      }),
    ).rejects.toMatchObject({ problem: 'not-found' });
  });

  it('reports a damaged job store without touching it', async () => {
    const db = join(dir, 'sync.db');
    writeFileSync(db, 'this is not a database');
    await expect(run('csv', 'x.csv')).rejects.toMatchObject({ problem: 'corrupt' });
    expect(readFileSync(db, 'utf8')).toBe('this is not a database');
  });

  it('reports a damaged job.json', async () => {
    writeFileSync(join(dir, 'job.json'), '{"version":');
    await expect(run('csv', 'x.csv')).rejects.toMatchObject({ problem: 'corrupt' });
  });

  it('refuses an output folder that does not exist or is a file', async () => {
    await expect(run('csv', join('missing', 'x.csv'))).rejects.toMatchObject({ problem: 'io' });
    writeFileSync(join(dir, 'plain-file'), '');
    await expect(run('kml', join('plain-file', 'x.kml'))).rejects.toMatchObject({ problem: 'io' });
  });

  it('exports a job by id when job.json names another or is absent', async () => {
    rmSync(join(dir, 'job.json'));
    await expect(run('csv', 'x.csv')).rejects.toMatchObject({ problem: 'not-found' });
    const summary = await run('csv', 'x.csv', JOB_ID);
    within(summary.uniqueHa * 1e4, expected.uniqueM2);
  });

  it("takes 'latest' as the job that last worked ground, not a job only opened since", async () => {
    // job.json names a job opened after the worked one (never started, not in the store).
    const record = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as { id: string };
    expect(record.id).toBe(JOB_ID);
    const history = new JobHistory(dir, Date.now());
    const line = { fieldName: 'f', totalHa: 8, createdAtWallMs: 1, name: 'j' };
    history.record({ ...line, id: JOB_ID, state: 'paused', updatedAtWallMs: 2, workedHa: 1 });
    history.record({
      ...line,
      id: 'job-opened',
      state: 'planned',
      updatedAtWallMs: 3,
      workedHa: 0,
    });
    writeFileSync(
      join(dir, 'job.json'),
      readFileSync(join(dir, 'job.json'), 'utf8').replace(JOB_ID, 'job-opened'),
    );
    const summary = await run('csv', 'x.csv');
    within(summary.uniqueHa * 1e4, expected.uniqueM2);
  });
});
