/**
 * The peer of records.export_shapefile_ms: GDAL's ogr2ogr (Debian's gdal-bin) writing the same
 * three layers (field, sections, passes) as shapefiles from the job's GeoJSON export, one
 * ogr2ogr per layer with the columns of our own shapefiles, then the folder zipped as ours is
 * (JSZip, DEFLATE). Not GDAL's own .shp.zip output: GDAL 3.6's update of a multi-layer
 * .shp.zip hung on its lock file here, and one zip per layer is not the same output.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { LAYER_ATTRIBUTES } from '../electron/records/export-layers.js';

const run = promisify(execFile);
const LAYERS = ['field', 'sections', 'passes'] as const;
/** A conversion that takes this long has hung: fail the run instead of waiting for ever. */
const OGR2OGR_TIMEOUT_MS = 300_000;

/** GDAL's version line when ogr2ogr runs here, or undefined. */
export function ogr2ogrVersion(): string | undefined {
  const r = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Converts `geojsonPath` (our GeoJSON export) to shapefiles in a zip at `outPath`. */
export async function ogr2ogrShapefiles(geojsonPath: string, outPath: string): Promise<void> {
  const dir = `${outPath}.d`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const layer of LAYERS) {
    const columns = LAYER_ATTRIBUTES[layer].map(([name]) => name).join(',');
    await run(
      'ogr2ogr',
      [
        '-f',
        'ESRI Shapefile',
        join(dir, `${layer}.shp`),
        geojsonPath,
        '-where',
        `layer = '${layer}'`,
        '-select',
        columns,
        '-nln',
        layer,
        '-nlt',
        'POLYGON',
        '-lco',
        'ENCODING=UTF-8',
      ],
      { timeout: OGR2OGR_TIMEOUT_MS },
    );
  }
  const zip = new JSZip();
  for (const name of readdirSync(dir)) zip.file(name, readFileSync(join(dir, name)));
  writeFileSync(outPath, await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  rmSync(dir, { recursive: true, force: true });
}
