/**
 * Records benchmarks. Figures:
 *  - records.export_isoxml_ms: `headland export --format isoxml` (zip) of an 8 h × 20 tractor
 *    job, from its data folder (store copy and load, coverage count, TASKDATA with time logs,
 *    zip, write). Goal ≤ 5 s.
 *  - records.export_shapefile_ms: the same job as zipped shapefiles (field, sections, passes).
 *    Goal ≤ 5 s. Peer (records.export_vs_ogr2ogr): GDAL's ogr2ogr writing the same three layers as
 *    a .shp.zip from the job's GeoJSON export (bench/records-ogr.ts), alternating with ours.
 * The job (electron/records/test-helpers/long-job.ts): a 2 km × 4.16 km field with a 4 ha pond
 * (828 ha), 20 tractors each working its own strip in 1 km passes at 2.5 m/s with 15 s turns,
 * positions at 1 Hz with ±2 cm RTK noise through the CoverageRecorder (as a tractor records
 * them), appended to the job document once a minute.
 * The replay figures (recording size, open and seek of an 8 h × 20 recording) are in
 * ../records-replay.ts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJob, type ExportFormat, type ExportSummary } from '../../electron/records/index.js';
import {
  LONG_JOB_TRACTORS,
  writeLongJob,
  type LongJob,
} from '../../electron/records/test-helpers/long-job.js';
import {
  type BenchOptions,
  type BenchResult,
  type BenchSuite,
  percentile,
  round,
  trials,
} from '../harness.js';
import { alternate, ratioResult } from '../peer.js';
import { ogr2ogrShapefiles, ogr2ogrVersion } from '../records-ogr.js';
import { replayBenchmarks } from '../records-replay.js';

const HOURS = 8;
const RUNS = 3;
/** --quick: one hour of work, two runs of each export, 20 seeks. */
const QUICK_HOURS = 1;
const QUICK_RUNS = 2;
const QUICK_SEEKS = 20;

interface BuiltJob extends LongJob {
  dataDir: string;
}

function buildJob(hours: number): BuiltJob {
  const dataDir = mkdtempSync(join(tmpdir(), 'headland-bench-records-'));
  return {
    dataDir,
    ...writeLongJob(dataDir, { hours, jobId: 'bench-records', asStationJob: true }),
  };
}

interface ExportRun {
  ms: number;
  /** This process's CPU time: the wall figure follows the shared machine's load. */
  cpuMs: number;
  bytes: number;
  summary: ExportSummary;
}

function exportPath(built: BuiltJob, format: ExportFormat, k: number): string {
  return join(built.dataDir, `export-${format}-${k}.${format === 'geojson' ? 'geojson' : 'zip'}`);
}

async function exportOnce(built: BuiltJob, format: ExportFormat, k: number): Promise<ExportRun> {
  const outPath = exportPath(built, format, k);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const summary = await exportJob({
    dataDir: built.dataDir,
    jobRef: 'latest',
    format,
    outPath,
    softwareVersion: 'bench',
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpuBefore);
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes: statSync(outPath).size, summary };
}

const median = (v: readonly number[]): number => percentile(v, 50);

function exportResult(
  built: BuiltJob,
  runs: readonly ExportRun[],
  name: string,
  extra: BenchResult['conditions'] = {},
): BenchResult {
  const times = runs.map((r) => r.ms);
  const last = runs[runs.length - 1];
  return {
    name,
    value: round(median(times), 0),
    unit: 'ms',
    conditions: {
      tractors: LONG_JOB_TRACTORS,
      hours: built.hours,
      segments: built.segments,
      field_ha: round(built.fieldHa, 1),
      worked_unique_ha: round(last?.summary.uniqueHa ?? Number.NaN, 2),
      worked_overlap_ha: round(last?.summary.overlapHa ?? Number.NaN, 3),
      passes: last?.summary.passes ?? 0,
      output_bytes: last?.bytes ?? 0,
      runs: runs.length,
      statistic: 'median',
      min_ms: round(Math.min(...times), 0),
      max_ms: round(Math.max(...times), 0),
      cpu_ms: round(median(runs.map((r) => r.cpuMs)), 0),
      goal_ms: 5000,
      ...extra,
    },
  };
}

/** The shapefile export beside ogr2ogr converting the GeoJSON export of the same job. */
async function shapefileBesideOgr2ogr(built: BuiltJob, runs: number): Promise<BenchResult[]> {
  const gdal = ogr2ogrVersion();
  if (!gdal) {
    process.stderr.write(
      'bench records: ogr2ogr not found (gdal-bin): the shapefile export has no peer\n',
    );
    const ours: ExportRun[] = [];
    for (let k = 0; k < runs; k++) ours.push(await exportOnce(built, 'shapefile', k));
    return [
      exportResult(built, ours, 'records.export_shapefile_ms', { peer: 'ogr2ogr not found: none' }),
    ];
  }
  const geojson = await exportOnce(built, 'geojson', 0);
  const geojsonPath = exportPath(built, 'geojson', 0);
  const ours: ExportRun[] = [];
  let ogrBytes = 0;
  const pair = await alternate(
    runs,
    async (k) => {
      const r = await exportOnce(built, 'shapefile', k);
      ours.push(r);
      return r.ms;
    },
    async (k) => {
      const out = join(built.dataDir, `ogr2ogr-${k}.zip`);
      const t0 = performance.now();
      await ogr2ogrShapefiles(geojsonPath, out);
      const ms = performance.now() - t0;
      ogrBytes = statSync(out).size;
      return ms;
    },
  );
  return [
    exportResult(built, ours, 'records.export_shapefile_ms'),
    ratioResult({
      name: 'records.export_vs_ogr2ogr',
      ours: median(pair.ours),
      peer: median(pair.peer),
      unit: 'ms',
      peerName: `ogr2ogr (${gdal}) from our GeoJSON export, one process per layer, zipped with JSZip as ours`,
      better: 'lower',
      conditions: {
        runs,
        stat: 'median each',
        ours_includes: 'reading the job store, counting coverage, writing, zipping',
        peer_includes: 'parsing the GeoJSON (3 times, once per layer), writing, zipping',
        geojson_export_ms: round(geojson.ms, 0),
        geojson_bytes: geojson.bytes,
        ours_bytes: ours[ours.length - 1]?.bytes ?? 0,
        peer_bytes: ogrBytes,
        order: 'alternating (ABBA)',
        ...pair.machine,
      },
    }),
  ];
}

export const suite: BenchSuite = {
  name: 'records',
  description:
    'job export (ISOXML, shapefile beside ogr2ogr) and replay of an 8 h × 20 tractor job',
  async run(options: BenchOptions): Promise<BenchResult[]> {
    const hours = trials(options, HOURS, QUICK_HOURS);
    const runs = trials(options, RUNS, QUICK_RUNS);
    const built = buildJob(hours);
    try {
      const isoxml: ExportRun[] = [];
      for (let k = 0; k < runs; k++) isoxml.push(await exportOnce(built, 'isoxml', k));
      return [
        exportResult(built, isoxml, 'records.export_isoxml_ms'),
        ...(await shapefileBesideOgr2ogr(built, runs)),
        ...replayBenchmarks(options.quick ? { hours, runs, seeks: QUICK_SEEKS } : {}),
      ];
    } finally {
      rmSync(built.dataDir, { recursive: true, force: true });
    }
  },
};
