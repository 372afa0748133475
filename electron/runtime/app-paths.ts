/** Where the installed package lives, found from this file (works from sources and from dist/). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (parsed.name === 'headland') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the headland package root');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const RENDERER_DIST_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');
export const DEMO_BASEMAP_DIR = join(PACKAGE_ROOT, 'assets', 'basemap', 'demo');
export const DEMO_FIELD_PATH = join(PACKAGE_ROOT, 'assets', 'fields', 'demo-farm.geojson');

export const SOFTWARE_VERSION: string = (() => {
  const parsed = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
})();
