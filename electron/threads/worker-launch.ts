/**
 * Starts a worker thread on a module beside the caller's, however the code runs: compiled
 * (`dist/`, `headland serve` once built) the worker runs the `.js` file; from the TypeScript
 * sources (vitest, `bin/headland.mjs` before a build, `npm run bench`) it runs the `.ts` file
 * through tsx's loader, as bin/headland.mjs does for the main thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  const entry = JSON.stringify(new URL(`./${moduleName}.ts`, besides).href);
  const loader = JSON.stringify(tsxEsmApi(besides));
  return new Worker(`import(${loader}).then(({ tsImport }) => tsImport(${entry}, ${entry}))`, {
    eval: true,
    workerData,
    transferList: [...transferList],
  });
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
