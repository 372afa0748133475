/**
 * Renders the bundled offline basemap for the demo field: a synthetic but plausible farm
 * landscape (neighbouring fields, hedgerows, a lane, a farm track, a brook, a farmyard,
 * woodland) around assets/fields/demo-farm.geojson, as XYZ PNG tiles in assets/basemap/demo/.
 * Deterministic: the same input gives the same tiles. Run: npx tsx scripts/basemap/render-demo-basemap.ts
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Raster, type PixelRing, type Rgb } from './raster.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'assets', 'basemap', 'demo');
const MIN_ZOOM = 14;
const MAX_ZOOM = 18;
const EXTENT_M = 800; // half-width of the rendered area around the field centre
const TILE = 256;
const EARTH_RADIUS_M = 6_378_137;

type Lonlat = [number, number];
interface Feature {
  rings: Lonlat[][];
  colour: Rgb;
  strokeM?: number;
}

const COLOURS = {
  background: [214, 222, 196] as Rgb,
  crops: [
    [226, 211, 150],
    [190, 214, 160],
    [171, 150, 118],
    [214, 224, 120],
    [200, 190, 140],
  ] as Rgb[],
  demoField: [236, 238, 222] as Rgb,
  hedge: [96, 130, 82] as Rgb,
  wood: [112, 150, 96] as Rgb,
  road: [250, 250, 246] as Rgb,
  roadEdge: [150, 150, 140] as Rgb,
  track: [205, 190, 160] as Rgb,
  water: [150, 190, 222] as Rgb,
  building: [120, 112, 108] as Rgb,
  yard: [196, 192, 182] as Rgb,
};

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const demo = JSON.parse(
  readFileSync(join(ROOT, 'assets', 'fields', 'demo-farm.geojson'), 'utf8'),
) as {
  features: { geometry: { coordinates: Lonlat[][] } }[];
};
const demoRing = demo.features[0]?.geometry.coordinates[0] ?? [];
const centre: Lonlat = [
  demoRing.reduce((s, p) => s + p[0], 0) / demoRing.length,
  demoRing.reduce((s, p) => s + p[1], 0) / demoRing.length,
];
const mPerDegLat = (Math.PI / 180) * EARTH_RADIUS_M;
const mPerDegLon = mPerDegLat * Math.cos((centre[1] * Math.PI) / 180);
const ll = (x: number, y: number): Lonlat => [
  centre[0] + x / mPerDegLon,
  centre[1] + y / mPerDegLat,
];

function landscape(): Feature[] {
  const random = seeded(20261125);
  const features: Feature[] = [];
  const cellW = 380;
  const cellH = 250;
  for (let col = -3; col <= 3; col++) {
    for (let row = -4; row <= 4; row++) {
      if (col === 0 && row === 0) continue; // the demo field's own cell
      const x0 = col * cellW - cellW / 2 + 6;
      const y0 = row * cellH - cellH / 2 + 6;
      const j = (): number => (random() - 0.5) * 40;
      const ring = [
        ll(x0 + j(), y0 + j()),
        ll(x0 + cellW - 12 + j(), y0 + j()),
        ll(x0 + cellW - 12 + j(), y0 + cellH - 12 + j()),
        ll(x0 + j(), y0 + cellH - 12 + j()),
      ];
      const wood = random() < 0.12;
      features.push({
        rings: [ring],
        colour: wood
          ? COLOURS.wood
          : (COLOURS.crops[Math.floor(random() * COLOURS.crops.length)] ?? COLOURS.background),
      });
    }
  }
  features.push({ rings: [demoRing], colour: COLOURS.demoField });
  // Hedgerows along the cell edges, a lane to the south, a farm track, a brook to the north.
  for (let col = -3; col <= 4; col++)
    features.push({
      rings: [
        [ll(col * cellW - cellW / 2, -EXTENT_M * 1.3), ll(col * cellW - cellW / 2, EXTENT_M * 1.3)],
      ],
      colour: COLOURS.hedge,
      strokeM: 5,
    });
  features.push({
    rings: [[ll(-EXTENT_M * 1.5, -cellH / 2 - 2), ll(EXTENT_M * 1.5, -cellH / 2 + 14)]],
    colour: COLOURS.roadEdge,
    strokeM: 9,
  });
  features.push({
    rings: [[ll(-EXTENT_M * 1.5, -cellH / 2 - 2), ll(EXTENT_M * 1.5, -cellH / 2 + 14)]],
    colour: COLOURS.road,
    strokeM: 6,
  });
  features.push({
    rings: [[ll(-cellW / 2, -cellH / 2), ll(-cellW / 2 - 10, cellH * 2.5)]],
    colour: COLOURS.track,
    strokeM: 4,
  });
  const brook: Lonlat[] = [];
  for (let x = -EXTENT_M * 1.5; x <= EXTENT_M * 1.5; x += 20)
    brook.push(ll(x, cellH * 1.5 + 30 * Math.sin(x / 90)));
  features.push({ rings: [brook], colour: COLOURS.water, strokeM: 6 });
  // Farmyard south of the lane with a few buildings.
  const yard = (x: number, y: number, w: number, h: number): Lonlat[] => [
    ll(x, y),
    ll(x + w, y),
    ll(x + w, y + h),
    ll(x, y + h),
  ];
  features.push({ rings: [yard(-330, -260, 140, 100)], colour: COLOURS.yard });
  for (const [x, y, w, h] of [
    [-320, -250, 50, 22],
    [-260, -250, 60, 30],
    [-320, -205, 30, 35],
    [-250, -200, 45, 25],
  ] as const) {
    features.push({ rings: [yard(x, y, w, h)], colour: COLOURS.building });
  }
  return features;
}

function worldPixel([lon, lat]: Lonlat, zoom: number): [number, number] {
  const scale = TILE * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [
    ((lon + 180) / 360) * scale,
    (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale,
  ];
}

function metresPerPixel(zoom: number): number {
  return (
    (2 * Math.PI * EARTH_RADIUS_M * Math.cos((centre[1] * Math.PI) / 180)) / (TILE * 2 ** zoom)
  );
}

function render(): number {
  rmSync(OUT, { recursive: true, force: true });
  const features = landscape();
  let count = 0;
  for (let zoom = MIN_ZOOM; zoom <= MAX_ZOOM; zoom++) {
    const [minX, minY] = worldPixel(ll(-EXTENT_M, EXTENT_M), zoom);
    const [maxX, maxY] = worldPixel(ll(EXTENT_M, -EXTENT_M), zoom);
    for (let tx = Math.floor(minX / TILE); tx <= Math.floor(maxX / TILE); tx++) {
      for (let ty = Math.floor(minY / TILE); ty <= Math.floor(maxY / TILE); ty++) {
        const raster = new Raster(TILE, TILE, COLOURS.background);
        const toTile = (p: Lonlat): [number, number] => {
          const [px, py] = worldPixel(p, zoom);
          return [px - tx * TILE, py - ty * TILE];
        };
        for (const feature of features) {
          const rings: PixelRing[] = feature.rings.map((ring) => ring.map(toTile));
          if (feature.strokeM === undefined) raster.fill(rings, feature.colour);
          else
            for (const line of rings)
              raster.stroke(line, feature.strokeM / metresPerPixel(zoom), feature.colour);
        }
        mkdirSync(join(OUT, String(zoom), String(tx)), { recursive: true });
        writeFileSync(join(OUT, String(zoom), String(tx), `${ty}.png`), raster.toPng());
        count++;
      }
    }
  }
  const [west, north] = ll(-EXTENT_M, EXTENT_M);
  const [east, south] = ll(EXTENT_M, -EXTENT_M);
  writeFileSync(
    join(OUT, 'tiles.json'),
    `${JSON.stringify({ name: 'Headland demo area (synthetic)', minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, bounds: [west, south, east, north], format: 'png' }, null, 2)}\n`,
  );
  return count;
}

console.log(`basemap: wrote ${render()} tiles to ${OUT}`);
