import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layerConfigs } from '../eslint.layers.mjs';

/** Lints `code` as if it were the file at `filePath`, with only the layering rules. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: new URL('..', import.meta.url).pathname,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parser: (await import('typescript-eslint')).parser },
      },
      ...layerConfigs,
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('layering lint (the dependency direction of docs/architecture.md)', () => {
  it('fails a core file that imports electron', async () => {
    const errors = await layerErrors(
      'electron/fleet/bad.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errors.join('\n')).toMatch(/Only electron\/main.ts/);
  });

  it('lets the Electron shell import electron', async () => {
    expect(
      await layerErrors(
        'electron/main.ts',
        "import { app } from 'electron';\nexport const a = app;\n",
      ),
    ).toEqual([]);
  });

  it('fails a renderer file that imports a core module', async () => {
    const errors = await layerErrors(
      'renderer/components/Bad.tsx',
      "import { Station } from '../../electron/station/index.js';\nexport const s = Station;\n",
    );
    expect(errors.join('\n')).toMatch(/only through the contract in shared/);
  });

  it('fails a renderer file that imports a Node module', async () => {
    const errors = await layerErrors(
      'renderer/Bad.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/browser sandbox/);
  });

  it('fails a lower core layer that imports a higher one', async () => {
    const errors = await layerErrors(
      'electron/can/bad.ts',
      "import { Station } from '../station/index.js';\nexport const s = Station;\n",
    );
    expect(errors.join('\n')).toMatch(/may not import a higher layer/);
  });

  it("fails an import of another folder's internals", async () => {
    const errors = await layerErrors(
      'electron/sim/bad.ts',
      "import { WorkTracker } from '../station/work-tracker.js';\nexport const w = WorkTracker;\n",
    );
    expect(errors.join('\n')).toMatch(/public entry/);
  });

  it('accepts the renderer importing the shared contract', async () => {
    expect(
      await layerErrors(
        'renderer/ok.ts',
        "import { commandSchema } from '../shared/index.js';\nexport const c = commandSchema;\n",
      ),
    ).toEqual([]);
  });

  it('accepts a folder importing a lower one through its public entry', async () => {
    expect(
      await layerErrors(
        'electron/sim/ok.ts',
        "import { Station } from '../station/index.js';\nexport const s = Station;\n",
      ),
    ).toEqual([]);
  });
});

// Each case below escaped the earlier rules, which matched the import string only.
describe('layering lint on resolved paths (nested folders, root files, test helpers)', () => {
  it('fails a nested file that imports a higher layer', async () => {
    const errors = await layerErrors(
      'electron/sim/test-helpers/bad.ts',
      "import { Runtime } from '../../runtime/index.js';\nexport const r = Runtime;\n",
    );
    expect(errors.join('\n')).toMatch(/electron\/sim\/ may not import a higher layer/);
  });

  it("fails a nested file that reaches into another folder's internals", async () => {
    const errors = await layerErrors(
      'electron/sim/test-helpers/bad.ts',
      "import { WorkTracker } from '../../station/work-tracker.js';\nexport const w = WorkTracker;\n",
    );
    expect(errors.join('\n')).toMatch(/public entry 'electron\/station\/index.js'/);
  });

  it('fails a core folder that imports a file at the electron/ root', async () => {
    const errors = await layerErrors(
      'electron/can/test-helpers/bad.ts',
      "import { main } from '../../cli.js';\nexport const m = main;\n",
    );
    expect(errors.join('\n')).toMatch(
      /may not import electron\/cli.ts: the files at the electron\/ root/,
    );
    expect(
      await layerErrors('electron/server/bad.ts', "import '../main.js';\nexport const x = 1;\n"),
    ).toHaveLength(1);
  });

  it("fails the Electron main file reaching into a folder's internals", async () => {
    const errors = await layerErrors(
      'electron/main.ts',
      "import { WorkTracker } from './station/work-tracker.js';\nexport const w = WorkTracker;\n",
    );
    expect(errors.join('\n')).toMatch(/electron\/main.ts may import another core folder only/);
  });

  it('fails product code that imports test helpers, even its own', async () => {
    const own = await layerErrors(
      'electron/sim/sim-fleet.ts',
      "import { demoFleet } from './test-helpers/demo-fleet.js';\nexport const d = demoFleet;\n",
    );
    expect(own.join('\n')).toMatch(/test helpers are for tests/);
    const other = await layerErrors(
      'electron/station/parts/bad.ts',
      "import { sampleJobInit } from '../../sync/test-helpers/builders.js';\nexport const s = sampleJobInit;\n",
    );
    expect(other.join('\n')).toMatch(/test helpers are for tests/);
  });

  it('fails a test helper that imports the test helpers of a higher layer', async () => {
    const errors = await layerErrors(
      'electron/can/test-helpers/bad.ts',
      "import { demoFleet } from '../../sim/test-helpers/demo-fleet.js';\nexport const d = demoFleet;\n",
    );
    expect(errors.join('\n')).toMatch(/may not import a higher layer \(electron\/sim\/\)/);
  });

  it('accepts tests and test helpers importing the test helpers of their own or a lower layer', async () => {
    expect(
      await layerErrors(
        'electron/commands/export.test.ts',
        "import { demoFleet } from '../sim/test-helpers/demo-fleet.js';\nexport const d = demoFleet;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'electron/sim/test-helpers/replica-fleet.ts',
        "import { sampleJobInit } from '../../sync/test-helpers/builders.js';\nexport const s = sampleJobInit;\n",
      ),
    ).toEqual([]);
  });

  it('fails a folder that has no rank in the layer map', async () => {
    const errors = await layerErrors(
      'electron/gadgets/thing.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errors.join('\n')).toMatch(/electron\/gadgets\/ has no rank in the layer map/);
  });
});
