/**
 * An offline basemap folder: XYZ tiles ({z}/{x}/{y}.png) with an optional tiles.json giving
 * name, zoom range and bounds. Read once at start; a bad tiles.json is reported, not fatal.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Basemap } from '../../shared/index.js';

/** URL path under which the HTTP server serves the basemap tiles. */
export const BASEMAP_URL_PATH = '/basemap/';

const tilesJsonSchema = z.object({
  name: z.string().optional(),
  minZoom: z.number().int().min(0).max(24).optional(),
  maxZoom: z.number().int().min(0).max(24).optional(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
});

export class BasemapError extends Error {
  override readonly name = 'BasemapError';
}

/** Describes the tile folder for the UI; `urlTemplate` is where the UI will find the tiles. */
export function describeBasemapDir(dir: string, urlTemplate: string): Basemap {
  if (!existsSync(dir)) throw new BasemapError(`basemap folder ${dir} does not exist`);
  const zooms = readdirSync(dir)
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  if (zooms.length === 0) throw new BasemapError(`basemap folder ${dir} has no {z}/{x}/{y} tiles`);
  const metaPath = join(dir, 'tiles.json');
  let meta: z.infer<typeof tilesJsonSchema> = {};
  if (existsSync(metaPath)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(metaPath, 'utf8'));
    } catch (err) {
      throw new BasemapError(`${metaPath}: ${err instanceof Error ? err.message : 'unreadable'}`);
    }
    const parsed = tilesJsonSchema.safeParse(json);
    if (!parsed.success)
      throw new BasemapError(`${metaPath}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    meta = parsed.data;
  }
  return {
    name: meta.name ?? 'Offline basemap',
    urlTemplate,
    minZoom: meta.minZoom ?? Math.min(...zooms),
    maxNativeZoom: meta.maxZoom ?? Math.max(...zooms),
    bounds: meta.bounds ?? null,
  };
}
