/**
 * One job of a data folder rendered in one format, as a single file for a download (the UI's
 * export, served by `headland serve` at /api/export/<job>?format=…): ISOXML as a zipped
 * TASKDATA, everything else as `headland export` writes it.
 */
import { type ExportFormat, renderExport } from './export-job.js';
import { readJob } from './job-reader.js';

export interface ExportDownload {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

const FILE: Record<ExportFormat, { suffix: string; contentType: string }> = {
  isoxml: { suffix: '-taskdata.zip', contentType: 'application/zip' },
  shapefile: { suffix: '-shapefile.zip', contentType: 'application/zip' },
  geojson: { suffix: '.geojson', contentType: 'application/geo+json' },
  kml: { suffix: '.kml', contentType: 'application/vnd.google-earth.kml+xml' },
  csv: { suffix: '.csv', contentType: 'text/csv; charset=utf-8' },
};

export async function exportDownload(
  dataDir: string,
  jobId: string,
  format: ExportFormat,
  softwareVersion: string,
): Promise<ExportDownload> {
  const job = await readJob(dataDir, jobId);
  const { output } = await renderExport(job, format, { zipTaskData: true, softwareVersion });
  if (output.kind !== 'file') throw new Error('a download is one file');
  const safeName = job.name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80) || job.jobId;
  return {
    fileName: `${safeName}${FILE[format].suffix}`,
    contentType: FILE[format].contentType,
    bytes: output.bytes,
  };
}
