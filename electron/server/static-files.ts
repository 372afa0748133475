/** Serves the built renderer and the basemap tiles from their folders; never a path outside. */
import type { ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { REFERRER_POLICY } from './http-answers.js';

/** Content-Security-Policy for the UI (Electron security checklist item 7; same in the browser). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The UI is cross-origin isolated: no other origin's window can hold a reference to it, and it
 * loads nothing from other origins (everything, basemap tiles included, is served from here).
 * Isolation also gives the page fine-grained timers, which the UI benchmark's frame times use.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
} as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.geojson': 'application/geo+json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const full = join(rootDir, relative);
  if (!full.startsWith(rootDir.endsWith(sep) ? rootDir : rootDir + sep)) return null;
  try {
    const info = await stat(full);
    if (!info.isFile()) return null;
    return {
      body: await readFile(full),
      contentType: CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
    };
  } catch {
    return null;
  }
}

/** A basemap tile ({z}/{x}/{y}.png|jpg|webp) from `basemapDir`, or 404. */
export async function serveTile(
  basemapDir: string | null,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const file =
    basemapDir && /^\/\d+\/\d+\/\d+\.(png|jpg|webp)$/.test(path)
      ? await readStaticFile(basemapDir, path)
      : null;
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...REFERRER_POLICY });
    res.end('no such tile\n');
    return;
  }
  res.writeHead(200, {
    'content-type': file.contentType,
    'cache-control': 'max-age=86400',
    ...REFERRER_POLICY,
  });
  res.end(file.body);
}

/** A file of the built renderer (index.html for any path it does not hold), or 503 unbuilt. */
export async function serveStatic(
  staticDir: string,
  path: string,
  res: ServerResponse,
): Promise<void> {
  const file =
    (await readStaticFile(staticDir, path)) ?? (await readStaticFile(staticDir, '/index.html'));
  if (!file) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...REFERRER_POLICY });
    res.end('The renderer is not built: run `npm run build` (npm run serve does it for you).\n');
    return;
  }
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    ...CROSS_ORIGIN_ISOLATION,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
    ...REFERRER_POLICY,
  });
  res.end(file.body);
}
