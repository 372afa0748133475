/**
 * Refill stops from the field to the export: two simulated machines work the paddock to the end
 * with a refill point (in-process fleet link, ManualClock), the station notes each stop in the job
 * record, and the job's exports show every stop the simulator made — ISOXML time logs at the point
 * with the work state 0 and an ineffective time per stop, GeoJSON points — at the simulated times.
 * A station restarted on the folder keeps the stops, and refuses a damaged entry on its own.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtendedTimeLog, ISOXMLManager, TimeTypeEnum } from 'isoxml';
import JSZip from 'jszip';
import { read } from 'shapefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImplementCapacity, LonLat } from '../../shared/index.js';
import { TangentFrame, importFields, type ValidField } from '../fleet/index.js';
import { assetField } from '../fleet/test-helpers/fields.js';
import { JobHistory, JobStore, exportJob, type ExportFormat } from '../records/index.js';
import { timeLogArea } from '../records/test-helpers/timelog-area.js';
import { edgeRefillPoint } from '../sim/index.js';
import { ManualClock } from '../time/index.js';
import { createSimulatedStation } from './simulation.js';
import { startedJob } from './test-helpers/started-job.js';

const STEP_MS = 100;
const PADDOCK = join(import.meta.dirname, '..', '..', 'assets', 'fields', 'small-paddock.geojson');
/** The simulator stands at the point within the way finder's tolerance; the station's reach is 10 m. */
const AT_POINT_M = 3;
/** A machine standing this close to the point is at it for the station (station/fill-levels.ts). */
const STATION_REACH_M = 10;
/** Telemetry goes at 10 Hz: the station sees a stop begin and end within a report or two. */
const TIMING_MS = 200;

interface SimStop {
  tractorId: string;
  arrivedAtWallMs: number;
  leftAtWallMs: number;
}

let dir: string;
let field: ValidField;
let point: LonLat;
let refill: { point: LonLat; capacity: ImplementCapacity };
let simStops: SimStop[];
let workedHa: number;

/**
 * Runs the job to the end and notes, from the simulated machines themselves, when each stood at
 * the point on a refill trip and when its fill was done.
 */
function workTheField(): void {
  const clock = new ManualClock();
  const sim = createSimulatedStation({
    clock,
    field,
    simCount: 2,
    link: 'local',
    name: 'refill-export',
    store: new JobStore(dir),
    syncDir: dir,
    refill,
  });
  try {
    const { station } = sim;
    const tractors = sim.sim?.tractors ?? [];
    const plannedS = startedJob(sim, clock, 2, STEP_MS);
    const frame = new TangentFrame(field.origin);
    const [px, py] = frame.toLocal(point);
    const open = new Map<string, SimStop>();
    const startMs = clock.now();
    while (station.jobState() !== 'finished' && clock.now() - startMs < plannedS * 3000) {
      clock.advance(STEP_MS);
      for (const t of tractors) {
        const [x, y] = frame.toLocal(t.currentPosition);
        const there = Math.hypot(x - px, y - py) <= AT_POINT_M;
        const stop = open.get(t.id);
        const standing = t.currentSpeedMps === 0;
        const near = Math.hypot(x - px, y - py) <= STATION_REACH_M;
        if (!stop && t.refilling && there && standing)
          open.set(t.id, {
            tractorId: t.id,
            arrivedAtWallMs: clock.wallNow(),
            leftAtWallMs: NaN,
          });
        else if (stop && near && standing) stop.leftAtWallMs = clock.wallNow();
        else if (stop && !t.refilling && !near) {
          // The fill is done and the machine has driven off: it left when it last stood within
          // the station's reach (the step its fill ended, or later if the zone guard held it
          // there on its way out for a machine passing on its way to the point's waiting place).
          simStops.push(stop);
          open.delete(t.id);
        }
      }
    }
    if (station.jobState() !== 'finished') throw new Error('the job did not finish');
    workedHa = station.snapshot().job.progress.workedHa;
  } finally {
    sim.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headland-refill-export-'));
  field = await assetField('small-paddock.geojson');
  point = edgeRefillPoint(field);
  // A hopper for a fifth of the paddock: each of the two machines makes about two trips.
  const perFillHa = field.areaM2 / 10_000 / 5;
  refill = {
    point,
    capacity: {
      kind: 'hopper',
      amount: perFillHa * 100,
      ratePerHa: 100,
      fillPerMin: perFillHa * 300,
    },
  };
  simStops = [];
  workTheField();
  simStops.sort((a, b) => a.arrivedAtWallMs - b.arrivedAtWallMs);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (format: ExportFormat, out: string) =>
  exportJob({
    dataDir: dir,
    jobRef: 'latest',
    format,
    outPath: join(dir, out),
    softwareVersion: 'test',
  });

const metresFromPoint = (p: LonLat): number => {
  const frame = new TangentFrame({ lon: point[0], lat: point[1] });
  const [x, y] = frame.toLocal(p);
  return Math.hypot(x, y);
};

describe('refill stops of a simulated job in its exports', () => {
  it('the job record holds every stop the simulated machines made, at their times', () => {
    expect(simStops.length).toBeGreaterThanOrEqual(2);
    expect(new Set(simStops.map((s) => s.tractorId))).toEqual(new Set(['sim-01', 'sim-02']));
    const loaded = new JobStore(dir).load(0);
    if (loaded.kind !== 'loaded') throw new Error(`job record ${loaded.kind}`);
    const stops = (loaded.record.refillStops ?? []) as SimStop[];
    expect(stops.map((s) => s.tractorId)).toEqual(simStops.map((s) => s.tractorId));
    stops.forEach((s, i) => {
      expect(Math.abs(s.arrivedAtWallMs - (simStops[i]?.arrivedAtWallMs ?? 0))).toBeLessThanOrEqual(
        TIMING_MS,
      );
      expect(Math.abs(s.leftAtWallMs - (simStops[i]?.leftAtWallMs ?? 0))).toBeLessThanOrEqual(
        TIMING_MS,
      );
    });
  });

  it('ISOXML: each machine’s time log stands at the point with the work state 0 for each stop; the worked area reads back', async () => {
    const summary = await run('isoxml', 'task.zip');
    expect(summary).toMatchObject({ refillStops: simStops.length, warnings: [] });
    const bytes = new Uint8Array(readFileSync(join(dir, 'task.zip')));
    const manager = new ISOXMLManager();
    await manager.parseISOXMLFile(bytes, 'application/zip');
    expect(manager.getWarnings().filter((w) => !w.includes('Letter case'))).toEqual([]);
    const root = manager.rootElement.attributes;
    const serials = (root.Device ?? []).map((d) => d.attributes.DeviceSerialNumber);
    const task = root.Task?.[0];
    // The stops each time log records at the point: [machine, arrived, left], work state 0.
    const logged: SimStop[] = [];
    (task?.attributes.TimeLog ?? []).forEach((log, k) => {
      if (!(log instanceof ExtendedTimeLog)) throw new Error('isoxml did not read the time log');
      const info = log.parseBinaryFile();
      expect(log.parsingErrors).toEqual([]);
      const state = info.valuesInfo.find((v) => v.valueKey.startsWith('008D'))?.valueKey ?? '';
      const atPoint = info.timeLogs.filter(
        (r) => metresFromPoint([r.position.PositionEast, r.position.PositionNorth]) <= AT_POINT_M,
      );
      expect(atPoint.map((r) => r.values[state])).toEqual(atPoint.map(() => 0));
      for (let i = 0; i + 1 < atPoint.length; i += 2)
        logged.push({
          tractorId: serials[k] ?? '',
          arrivedAtWallMs: atPoint[i]?.time.getTime() ?? 0,
          leftAtWallMs: atPoint[i + 1]?.time.getTime() ?? 0,
        });
    });
    logged.sort((a, b) => a.arrivedAtWallMs - b.arrivedAtWallMs);
    expect(logged.map((s) => s.tractorId)).toEqual(simStops.map((s) => s.tractorId));
    logged.forEach((s, i) => {
      const sim = simStops[i];
      expect(Math.abs(s.arrivedAtWallMs - (sim?.arrivedAtWallMs ?? 0))).toBeLessThanOrEqual(
        TIMING_MS,
      );
      expect(Math.abs(s.leftAtWallMs - (sim?.leftAtWallMs ?? 0))).toBeLessThanOrEqual(TIMING_MS);
    });
    // An ineffective time per stop, the machine's work state 0 in it.
    const ineffective = (task?.attributes.Time ?? []).filter(
      (t) => t.attributes.Type === TimeTypeEnum.Ineffective,
    );
    expect(ineffective).toHaveLength(simStops.length);
    for (const t of ineffective) {
      const dlv = t.attributes.DataLogValue?.[0]?.attributes;
      expect([dlv?.ProcessDataDDI, dlv?.ProcessDataValue]).toEqual(['008D', 0]);
    }
    // The time logs, stops and all, give back the ground the station counted.
    const area = await timeLogArea(bytes);
    expect(Math.abs(area.uniqueM2 / 1e4 - workedHa)).toBeLessThanOrEqual(workedHa * 0.001);
    expect(Math.abs(summary.uniqueHa - workedHa)).toBeLessThanOrEqual(workedHa * 0.001);
  });

  it('GeoJSON and shapefile: a point per stop at the refill point with the simulated times', async () => {
    await run('geojson', 'job.geojson');
    const json = JSON.parse(readFileSync(join(dir, 'job.geojson'), 'utf8')) as {
      features: { properties: Record<string, unknown>; geometry: { coordinates: unknown } }[];
    };
    const refills = json.features.filter((f) => f.properties['layer'] === 'refills');
    expect(refills.map((f) => f.properties['tractor'])).toEqual(simStops.map((s) => s.tractorId));
    refills.forEach((f, i) => {
      expect(metresFromPoint(f.geometry.coordinates as LonLat)).toBeLessThanOrEqual(AT_POINT_M);
      const arrived = Date.parse(String(f.properties['arrived']));
      const left = Date.parse(String(f.properties['left']));
      expect(Math.abs(arrived - (simStops[i]?.arrivedAtWallMs ?? 0))).toBeLessThanOrEqual(
        TIMING_MS,
      );
      expect(Math.abs(left - (simStops[i]?.leftAtWallMs ?? 0))).toBeLessThanOrEqual(TIMING_MS);
    });
    // The shapefile's point layer holds the same stops.
    await run('shapefile', 'job.zip');
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'job.zip')));
    const shp = await zip.file('refills.shp')?.async('uint8array');
    const dbf = await zip.file('refills.dbf')?.async('uint8array');
    if (!shp || !dbf) throw new Error('refills layer missing');
    const layer = await read(shp, dbf);
    expect(layer.features.map((f) => f.properties)).toEqual(
      refills.map(({ properties: { layer: _, ...rest } }) => rest),
    );
    // The field comes back through our importer from the ISOXML export (the GIS exports hold
    // passes smaller than a field, which it refuses).
    await run('isoxml', 'task.zip');
    const imported = await importFields(join(dir, 'task.zip'));
    if (!imported.ok) throw imported.error;
    expect(Math.abs((imported.value.fields[0]?.areaM2 ?? 0) - field.areaM2)).toBeLessThan(
      field.areaM2 * 1e-4,
    );
  });

  it('a station restarted on the folder keeps the stops, and refuses a damaged entry on its own', async () => {
    const store = new JobStore(dir);
    const loaded = store.load(0);
    if (loaded.kind !== 'loaded') throw new Error(`job record ${loaded.kind}`);
    const good = loaded.record.refillStops ?? [];
    store.save({
      ...loaded.record,
      refillStops: [...good, { tractorId: 'sim-01', arrivedAtWallMs: -5 }],
    });
    const clock = new ManualClock(0, Date.UTC(2026, 0, 2));
    const restarted = createSimulatedStation({
      clock,
      field,
      simCount: 0,
      link: 'local',
      name: 'restarted',
      store: new JobStore(dir),
      syncDir: dir,
      refill,
    });
    try {
      const alerts = restarted.station.snapshot().alerts.map((a) => a.message);
      expect(alerts).toContainEqual(
        expect.stringMatching(
          new RegExp(`refill stop ${good.length + 1} refused: .*job\\.json\\.corrupt-`),
        ),
      );
    } finally {
      restarted.close();
    }
    const summary = await run('csv', 'job.csv');
    expect(summary).toMatchObject({ refillStops: good.length, warnings: [] });
  });

  it('an older job keeps its stops in its document: exported after another job opened, and reopened', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 3));
    const station = (): ReturnType<typeof createSimulatedStation> =>
      createSimulatedStation({
        clock,
        field,
        simCount: 0,
        link: 'local',
        name: 'next day',
        store: new JobStore(dir),
        syncDir: dir,
        history: new JobHistory(dir, clock.wallNow()),
        refill,
      });
    const first = station();
    const oldJobId = first.station.snapshot().job.id;
    try {
      const opened = await first.station.execute({
        type: 'openField',
        fileName: 'small-paddock.geojson',
        dataBase64: readFileSync(PADDOCK).toString('base64'),
      });
      expect(opened).toMatchObject({ ok: true });
      expect(first.station.snapshot().job.id).not.toBe(oldJobId);
      first.station.save();
    } finally {
      first.close();
    }
    // The record now holds the new job, without stops; the old job's come from its document.
    const loaded = new JobStore(dir).load(0);
    if (loaded.kind !== 'loaded') throw new Error(`job record ${loaded.kind}`);
    expect(loaded.record.refillStops ?? []).toEqual([]);
    const summary = await exportJob({
      dataDir: dir,
      jobRef: oldJobId,
      format: 'geojson',
      outPath: join(dir, 'old.geojson'),
      softwareVersion: 'test',
    });
    expect(summary).toMatchObject({ refillStops: simStops.length, warnings: [] });

    const second = station();
    try {
      expect(second.station.command({ type: 'reopenJob', jobId: oldJobId })).toMatchObject({
        ok: true,
      });
      second.station.save();
    } finally {
      second.close();
    }
    const reopened = new JobStore(dir).load(0);
    if (reopened.kind !== 'loaded') throw new Error(`job record ${reopened.kind}`);
    expect(reopened.record.id).toBe(oldJobId);
    const stops = (reopened.record.refillStops ?? []) as SimStop[];
    expect(stops.map((s) => s.tractorId)).toEqual(simStops.map((s) => s.tractorId));
  });
});
