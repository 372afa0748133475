#!/usr/bin/env node
// Builds only what is older than its sources (core, renderer, preload), so `npm run serve`,
// the e2e tests and the benchmarks always run the current code without rebuilding every time.
import { spawn } from 'node:child_process';
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

const stale = targets.filter((target) => {
  const output = join(root, target.output);
  const builtMs = existsSync(output) ? statSync(output).mtimeMs : 0;
  const sourceMs = Math.max(
    ...target.sources.map((dir) => newestMs(join(root, dir), target.ext)),
    ...(target.files ?? []).map((file) => statSync(join(root, file)).mtimeMs),
  );
  return sourceMs > builtMs;
});

// A first build takes tens of seconds with nothing else on screen: say what runs and how far.
if (stale.length > 0)
  console.error(
    `build-if-stale: building ${stale.map((t) => t.output).join(', ')} (out of date; a first build takes about half a minute)`,
  );
/** How often a running build says it is still at work: a silent minute looks like a hang. */
const STILL_BUILDING_MS = 10_000;

function run(script) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`npm run ${script} exited with ${code}`)),
    );
  });
}

for (const [i, target] of stale.entries()) {
  const startedMs = Date.now();
  const step = `build-if-stale: [${i + 1}/${stale.length}]`;
  console.error(`${step} npm run ${target.script} …`);
  const ticker = setInterval(
    () =>
      console.error(`${step} still building (${Math.round((Date.now() - startedMs) / 1000)} s)`),
    STILL_BUILDING_MS,
  );
  try {
    await run(target.script);
  } catch (error) {
    console.error(`${step} ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  } finally {
    clearInterval(ticker);
  }
  console.error(
    `${step} ${target.output} built in ${((Date.now() - startedMs) / 1000).toFixed(1)} s`,
  );
}
