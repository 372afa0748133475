/**
 * `headland export`: one job of a data folder to a file farm software reads. Reads the job
 * (job-reader.ts), counts its worked area the station's way (job-figures.ts) and writes one
 * format. Every failure is an ExportError with a message for the operator.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import { writeFileAtomically } from '../storage/index.js';
import { writeCsv } from './csv-writer.js';
import { ExportError, messageOf } from './export-error.js';
import { LAYER_ATTRIBUTES, POLYGON_LAYERS, buildLayers } from './export-layers.js';
import { writeGeoJson } from './geojson-writer.js';
import { writeTaskData } from './isoxml-writer.js';
import { computeFigures, type JobFigures } from './job-figures.js';
import { readJob, type JobData } from './job-reader.js';
import { writeKml } from './kml-writer.js';
import { writePointShapefile, writeShapefile, type ShapefileFiles } from './shapefile-writer.js';

export const EXPORT_FORMATS = ['isoxml', 'shapefile', 'geojson', 'kml', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

/** What an export produces before it touches the disk: one file, or a TASKDATA folder's files. */
export type ExportOutput =
  | { kind: 'file'; bytes: Uint8Array }
  | { kind: 'taskdata'; files: Map<string, string | Uint8Array> };

export interface ExportSummary {
  jobId: string;
  format: ExportFormat;
  outPath: string;
  uniqueHa: number;
  overlapHa: number;
  fieldHa: number;
  tractors: number;
  passes: number;
  segments: number;
  /** Refill stops the export shows. */
  refillStops: number;
  /** What was left out of the export and why (a damaged refill stop entry); empty when nothing. */
  warnings: string[];
}

const encoder = new TextEncoder();

async function zipOf(files: Map<string, string | Uint8Array>, prefix: string): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, data] of files) zip.file(`${prefix}${name}`, data);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function shapefileZip(job: JobData, figures: JobFigures): Promise<Uint8Array> {
  const layers = buildLayers(job, figures);
  const files = new Map<string, string | Uint8Array>();
  const date = new Date(job.createdAtMs);
  const add = (layer: string, shp: ShapefileFiles): void => {
    files.set(`${layer}.shp`, shp.shp);
    files.set(`${layer}.shx`, shp.shx);
    files.set(`${layer}.dbf`, shp.dbf);
    files.set(`${layer}.prj`, shp.prj);
    files.set(`${layer}.cpg`, shp.cpg);
  };
  for (const layer of POLYGON_LAYERS)
    add(layer, writeShapefile(layers[layer], LAYER_ATTRIBUTES[layer], date));
  // Written with no stop too: the same files in every export, an empty layer where none was made.
  add('refills', writePointShapefile(layers.refills, LAYER_ATTRIBUTES.refills, date));
  return zipOf(files, '');
}

function totals(job: JobData, figures: JobFigures): Record<string, number | string> {
  return {
    job: job.jobId,
    name: job.name,
    state: job.state,
    field_ha: figures.fieldAreaM2 / 1e4,
    unique_ha: figures.uniqueM2 / 1e4,
    overlap_ha: figures.overlapM2 / 1e4,
  };
}

/** Renders a read job in one format (no disk I/O). `zipTaskData` zips an ISOXML export. */
export async function renderExport(
  job: JobData,
  format: ExportFormat,
  options: { zipTaskData: boolean; softwareVersion: string },
): Promise<{ output: ExportOutput; figures: JobFigures }> {
  const figures = computeFigures(job);
  switch (format) {
    case 'isoxml': {
      const files = writeTaskData(job, figures, options.softwareVersion);
      if (!options.zipTaskData) return { output: { kind: 'taskdata', files }, figures };
      return { output: { kind: 'file', bytes: await zipOf(files, 'TASKDATA/') }, figures };
    }
    case 'shapefile':
      return { output: { kind: 'file', bytes: await shapefileZip(job, figures) }, figures };
    case 'geojson': {
      const text = writeGeoJson(buildLayers(job, figures), totals(job, figures));
      return { output: { kind: 'file', bytes: encoder.encode(text) }, figures };
    }
    case 'kml': {
      const text = writeKml(buildLayers(job, figures), `${job.name} (${job.jobId})`);
      return { output: { kind: 'file', bytes: encoder.encode(text) }, figures };
    }
    case 'csv':
      return { output: { kind: 'file', bytes: encoder.encode(writeCsv(job, figures)) }, figures };
  }
}

/** The output's folder must exist and be a folder (it is not created: a typo should not make one). */
function requireFolder(dir: string): void {
  let ok: boolean;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new ExportError('io', `cannot write the export: folder ${dir} does not exist`);
}

/** The data folder's durable write: a failed export leaves no half file, a finished one survives a power cut. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  try {
    writeFileAtomically(path, data);
  } catch (err) {
    throw new ExportError('io', `cannot write ${path}: ${messageOf(err)}`);
  }
}

function writeOutput(output: ExportOutput, outPath: string): void {
  if (output.kind === 'file') {
    writeAtomically(outPath, output.bytes);
    return;
  }
  const dir = join(outPath, 'TASKDATA');
  // Not recursive: the parent was checked, and a recursive mkdir can spin on special file systems.
  for (const d of [outPath, dir]) {
    try {
      if (!existsSync(d)) mkdirSync(d);
    } catch (err) {
      throw new ExportError('io', `cannot create ${d}: ${messageOf(err)}`);
    }
  }
  for (const [name, data] of output.files) writeAtomically(join(dir, name), data);
}

export interface ExportOptions {
  dataDir: string;
  /** A job id, or `latest` (the job job.json names). */
  jobRef: string;
  format: ExportFormat;
  outPath: string;
  softwareVersion: string;
}

export async function exportJob(options: ExportOptions): Promise<ExportSummary> {
  requireFolder(dirname(options.outPath));
  const job = await readJob(options.dataDir, options.jobRef);
  // ISOXML goes to a folder (TASKDATA/ inside it) unless the path names a .zip.
  const zipTaskData = /\.zip$/i.test(options.outPath);
  const { output, figures } = await renderExport(job, options.format, {
    zipTaskData,
    softwareVersion: options.softwareVersion,
  });
  writeOutput(output, options.outPath);
  return {
    jobId: job.jobId,
    format: options.format,
    outPath: options.outPath,
    uniqueHa: figures.uniqueM2 / 1e4,
    overlapHa: figures.overlapM2 / 1e4,
    fieldHa: figures.fieldAreaM2 / 1e4,
    tractors: Object.keys(figures.tractors).length,
    passes: figures.passes.length,
    segments: figures.segmentCount,
    refillStops: job.refillStops.length,
    warnings: [...job.warnings],
  };
}
