/**
 * The peer of ui.frame_p95_ms: an empty Leaflet map page — the same Leaflet, the same offline
 * basemap tiles with the station's tile options, the same map options, fitted to the same field
 * — served from a small HTTP server of its own, measured in the same browser. What any map page
 * costs the browser before it draws a field, a tractor or a panel.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Basemap } from '../shared/index.js';

const ROOT = join(import.meta.dirname, '..');
const LEAFLET_DIST = join(ROOT, 'node_modules', 'leaflet', 'dist');
/** The folder `headland serve` draws by default (its --basemap default). */
export const DEMO_BASEMAP_DIR = join(ROOT, 'assets', 'basemap', 'demo');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.html': 'text/html; charset=utf-8',
};

export interface EmptyMapPage {
  url: string;
  close(): Promise<void>;
}

type LonLat = readonly [number, number];

/** The page: a full-window map with the station map's options and its basemap layer's. */
function page(basemap: Basemap, fieldRing: readonly LonLat[]): string {
  const lats = fieldRing.map((p) => p[1]);
  const lons = fieldRing.map((p) => p[0]);
  const fieldBounds = [
    [Math.min(...lats), Math.min(...lons)],
    [Math.max(...lats), Math.max(...lons)],
  ];
  const [west, south, east, north] = basemap.bounds ?? [-180, -85, 180, 85];
  const tileOptions = {
    minZoom: Math.max(0, basemap.minZoom - 1),
    maxZoom: 22,
    maxNativeZoom: basemap.maxNativeZoom,
    bounds: [
      [south, west],
      [north, east],
    ],
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Empty map</title>
<link rel="stylesheet" href="/leaflet/leaflet.css">
<style>html,body,#map{margin:0;height:100%}</style></head>
<body><div id="map"></div><script src="/leaflet/leaflet.js"></script><script>
const map = L.map('map', { preferCanvas: true, zoomControl: true, attributionControl: false, zoomSnap: 0.25 });
map.setView([0, 0], 2);
const o = ${JSON.stringify(tileOptions)};
L.tileLayer('/basemap/{z}/{x}/{y}.png', { ...o, bounds: L.latLngBounds(o.bounds) }).addTo(map);
map.fitBounds(${JSON.stringify(fieldBounds)}, { padding: [24, 24] });
</script></body></html>`;
}

function sendFile(res: import('node:http').ServerResponse, base: string, rel: string): void {
  const path = normalize(join(base, rel));
  if (!path.startsWith(base) || !existsSync(path) || !statSync(path).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
  createReadStream(path).pipe(res);
}

export async function startEmptyMapPage(
  basemap: Basemap,
  fieldRing: readonly LonLat[],
  tilesDir = DEMO_BASEMAP_DIR,
): Promise<EmptyMapPage> {
  const html = page(basemap, fieldRing);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
    else if (url.pathname.startsWith('/leaflet/'))
      sendFile(res, LEAFLET_DIST, url.pathname.slice('/leaflet/'.length));
    else if (url.pathname.startsWith('/basemap/'))
      sendFile(res, tilesDir, url.pathname.slice('/basemap/'.length));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
