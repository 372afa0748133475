/**
 * Starts a worker thread, or a child process, on a module beside the caller's, however the code
 * runs: compiled (`dist/`, `headland serve` once built) it runs the `.js` file; from the
 * TypeScript sources (vitest, `bin/headland.mjs` before a build, `npm run bench`) it runs the
 * `.ts` file through tsx's loader, as bin/headland.mjs does for the main thread.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type Transferable } from 'node:worker_threads';

export function startWorker(
  /** The caller's import.meta.url: the worker's module sits beside it. */
  besides: string,
  /** The worker module's name without its extension, e.g. 'safety-worker'. */
  moduleName: string,
  workerData: unknown,
  transferList: readonly Transferable[] = [],
): Worker {
  // tsx marks the modules it loads with a query: the path says what the caller is.
  if (!new URL(besides).pathname.endsWith('.ts'))
    return new Worker(new URL(`./${moduleName}.js`, besides), {
      workerData,
      transferList: [...transferList],
    });
  return new Worker(tsEntry(besides, moduleName), {
    eval: true,
    workerData,
    transferList: [...transferList],
  });
}

/**
 * A child process of this same runtime on the module `moduleName` beside `besides`. Under
 * Electron the child runs its binary as plain Node (ELECTRON_RUN_AS_NODE).
 */
export function startProcess(
  besides: string,
  moduleName: string,
  options: { stdio: StdioOptions },
): ChildProcess {
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  const spawnOptions = { stdio: options.stdio, env };
  if (!new URL(besides).pathname.endsWith('.ts')) {
    const entry = fileURLToPath(new URL(`./${moduleName}.js`, besides));
    return spawn(process.execPath, [entry], spawnOptions);
  }
  return spawn(process.execPath, ['--eval', tsEntry(besides, moduleName)], spawnOptions);
}

/** Code that runs the `.ts` module beside `besides` through tsx's loader. */
function tsEntry(besides: string, moduleName: string): string {
  const entry = JSON.stringify(new URL(`./${moduleName}.ts`, besides).href);
  const loader = JSON.stringify(tsxEsmApi(besides));
  return `import(${loader}).then(({ tsImport }) => tsImport(${entry}, ${entry}))`;
}

/** The ES module entry of tsx's API (its `require` entry cannot load ES modules). */
function tsxEsmApi(from: string): string {
  const require = createRequire(from);
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const relative = pkg.exports['./esm/api']?.import?.default;
  if (!relative) throw new Error('tsx does not export an ES module API (./esm/api)');
  return pathToFileURL(join(dirname(manifest), relative)).href;
}
