#!/usr/bin/env node
// Builds only what is older than its sources (core, renderer, preload), so `npm run serve`,
// the e2e tests and the benchmarks always run the current code without rebuilding every time.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMs(dir, extensions) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMs(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext)))
      newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const targets = [
  {
    script: 'build:core',
    output: 'dist/electron/cli.js',
    sources: ['electron', 'shared'],
    ext: ['.ts', '.json'],
  },
  {
    script: 'build:renderer',
    output: 'dist/renderer/index.html',
    sources: ['renderer', 'shared'],
    ext: ['.ts', '.tsx', '.css', '.html'],
  },
  {
    script: 'build:preload',
    output: 'dist/preload.cjs',
    sources: ['shared'],
    ext: ['.ts'],
    files: ['electron/preload.ts'],
  },
];

for (const target of targets) {
  const output = join(root, target.output);
  const builtMs = existsSync(output) ? statSync(output).mtimeMs : 0;
  const sourceMs = Math.max(
    ...target.sources.map((dir) => newestMs(join(root, dir), target.ext)),
    ...(target.files ?? []).map((file) => statSync(join(root, file)).mtimeMs),
  );
  if (sourceMs > builtMs) {
    console.error(
      `build-if-stale: ${target.output} is out of date, running npm run ${target.script}`,
    );
    execFileSync('npm', ['run', '--silent', target.script], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
}
