import { resolve } from 'node:path';
import { SOFTWARE_VERSION } from '../runtime/index.js';
import {
  EXPORT_FORMATS,
  ExportError,
  LATEST_JOB,
  exportJob,
  isExportFormat,
} from '../records/index.js';
import { UsageError, type CliCommand, type CliIo } from './command.js';
import { parseCommandLine } from './flags.js';

const USAGE = `Usage: headland export [JOB] --format FORMAT --out PATH [--data DIR] [--json]

Exports job JOB (its id, or 'latest' = the job that last worked ground, else the station's
current job; the default) from the
data folder 'headland serve --data DIR' writes (default ./data) for farm software:

  isoxml     ISO 11783-10 TASKDATA: partfield boundary, task, per-tractor time logs and totals,
             refill stops (work state off); a zip when PATH ends in .zip, else PATH/TASKDATA/
  shapefile  zipped shapefiles (WGS84, .prj): field, sections and passes layers with unique and
             overlap hectares per pass, per tractor and per section; refill stops as points
  geojson    the same layers in one FeatureCollection ('layer' property)
  kml        the same for a quick look in Google Earth and other viewers
  csv        per-tractor and per-section totals: unique ha, overlap ha, passes

  --json     print a summary {"jobId","format","outPath","uniqueHa","overlapHa",...} on stdout`;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export a job as ISOXML, shapefile, GeoJSON, KML or CSV',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      1,
    );
    const format = values.format;
    if (format === undefined)
      throw new UsageError(`missing --format (${EXPORT_FORMATS.join('|')})`);
    if (!isExportFormat(format))
      throw new UsageError(`unknown format '${format}' (expected ${EXPORT_FORMATS.join('|')})`);
    if (values.out === undefined || values.out === '') throw new UsageError('missing --out PATH');
    try {
      const summary = await exportJob({
        dataDir: resolve(values.data ?? './data'),
        jobRef: positionals[0] ?? LATEST_JOB,
        format,
        outPath: resolve(values.out),
        softwareVersion: SOFTWARE_VERSION,
      });
      // Exported all the same: the rest of the job is good, and what was left out is named.
      for (const warning of summary.warnings) io.stderr(`headland export: warning: ${warning}`);
      if (values.json) io.stdout(JSON.stringify(summary));
      else
        io.stdout(
          `exported job ${summary.jobId} as ${format} to ${summary.outPath}: worked ${summary.uniqueHa.toFixed(4)} ha unique, ${summary.overlapHa.toFixed(4)} ha overlap, ${summary.tractors} tractor(s), ${summary.passes} pass(es), ${summary.refillStops} refill stop(s)`,
        );
      return 0;
    } catch (err) {
      if (err instanceof ExportError) {
        if (err.problem === 'usage') throw new UsageError(err.message);
        io.stderr(`headland export: ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
