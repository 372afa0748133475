#!/usr/bin/env node
// Runs the compiled CLI from dist/ when it is at least as new as the sources; otherwise runs
// the TypeScript sources through tsx, so a fresh checkout works before `npm run build`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'electron', 'cli.js');

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  if (!existsSync(compiled)) return false;
  const builtMs = statSync(compiled).mtimeMs;
  return ['electron', 'shared'].every((dir) => newestSourceMs(join(root, dir)) <= builtMs);
}

let cli;
if (compiledIsFresh()) {
  cli = await import(pathToFileURL(compiled).href);
} else {
  const { tsImport } = await import('tsx/esm/api');
  cli = await tsImport(pathToFileURL(join(root, 'electron', 'cli.ts')).href, import.meta.url);
}
await cli.main();
