import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDeadExports } from './dead-exports.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A one-project repository: electron/ with the given files and a NodeNext tsconfig. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'headland-dead-exports-'));
  dirs.push(root);
  mkdirSync(join(root, 'electron', 'lib'), { recursive: true });
  writeFileSync(
    join(root, 'electron', 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
      },
      include: ['**/*.ts'],
    }),
  );
  for (const [path, text] of Object.entries(files))
    writeFileSync(join(root, 'electron', path), text);
  return root;
}

describe('dead-export check', () => {
  it('counts a namespace import as a use of every export of its module', () => {
    const root = fixture({
      'lib/shapes.ts': [
        'export type Side = number;',
        'export function area(s: Side): number { return s * s; }',
        'export function perimeter(s: Side): number { return 4 * s; }',
        'export const UNUSED_LIMIT = 3;',
        'export function viaIndex(): number { return 1; }',
        'export function viaNamespace(): number { return 2; }',
        'export function viaTest(): number { return 3; }',
      ].join('\n'),
      'lib/index.ts': "export { area, viaIndex, perimeter } from './shapes.js';\n",
      'use.ts': [
        "import { area, viaIndex } from './lib/index.js';",
        "import * as shapes from './lib/shapes.js';",
        'export const used = area(2) + viaIndex() + shapes.viaNamespace();',
      ].join('\n'),
      'shapes.test.ts': "import { viaTest } from './lib/shapes.js';\nviaTest();\n",
      'main.ts': "import { used } from './use.js';\nconsole.log(used);\n",
    });
    const { dead, localOnly } = findDeadExports({ root, projects: ['electron'] });
    // perimeter and UNUSED_LIMIT are imported by no name, but `shapes.` may reach any of them.
    expect(dead).toEqual([]);
    expect(localOnly).toEqual([]);
  });

  it('follows re-exports to the declaration and reports what no file imports', () => {
    const root = fixture({
      'lib/shapes.ts': [
        'export type Side = number;',
        'export function area(s: Side): number { return s * s; }',
        'export function perimeter(s: Side): number { return 4 * s; }',
        'export const UNUSED_LIMIT = 3;',
        'export function viaTest(): number { return 3; }',
      ].join('\n'),
      'lib/index.ts': "export { area, perimeter } from './shapes.js';\n",
      'use.ts': "import { area } from './lib/index.js';\nconsole.log(area(2));\n",
      'shapes.test.ts': "import { viaTest } from './lib/shapes.js';\nviaTest();\n",
    });
    const { dead, localOnly } = findDeadExports({ root, projects: ['electron'] });
    expect(dead).toEqual([
      'electron/lib/shapes.ts:3 perimeter',
      'electron/lib/shapes.ts:4 UNUSED_LIMIT',
    ]);
    expect(localOnly).toEqual(['electron/lib/shapes.ts:1 Side']);
  });
});
