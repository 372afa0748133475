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
});
