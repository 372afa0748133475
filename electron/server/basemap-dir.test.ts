import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BasemapError, describeBasemapDir } from './basemap-dir.js';

const DEMO_BASEMAP_DIR = fileURLToPath(new URL('../../assets/basemap/demo', import.meta.url));

describe('basemap folders', () => {
  it('describes the bundled demo basemap from its tiles.json', () => {
    const basemap = describeBasemapDir(DEMO_BASEMAP_DIR, 'basemap/{z}/{x}/{y}.png');
    expect(basemap).toMatchObject({
      minZoom: 14,
      maxNativeZoom: 18,
      urlTemplate: 'basemap/{z}/{x}/{y}.png',
    });
    expect(basemap.bounds).toHaveLength(4);
  });

  it('infers the zoom range of a folder without tiles.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-xyz-'));
    mkdirSync(join(dir, '12', '1'), { recursive: true });
    mkdirSync(join(dir, '16', '1'), { recursive: true });
    expect(describeBasemapDir(dir, 't')).toMatchObject({
      minZoom: 12,
      maxNativeZoom: 16,
      bounds: null,
    });
  });

  it('refuses a folder that is missing, empty or has a bad tiles.json', () => {
    expect(() => describeBasemapDir('/nonexistent/tiles', 't')).toThrow(BasemapError);
    const empty = mkdtempSync(join(tmpdir(), 'headland-xyz-'));
    expect(() => describeBasemapDir(empty, 't')).toThrow(/no \{z\}/);
    mkdirSync(join(empty, '3'));
    writeFileSync(join(empty, 'tiles.json'), JSON.stringify({ minZoom: 'low' }));
    expect(() => describeBasemapDir(empty, 't')).toThrow(BasemapError);
  });
});
