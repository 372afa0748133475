// The dependency direction of docs/architecture.md as lint rules. Kept apart from eslint.config.mjs so a
// test can lint fixtures against exactly these rules (electron/lint-layers.test.ts).
import { builtinModules } from 'node:module';
import { layersPlugin } from './eslint-rules/layers.mjs';

/**
 * Core folders by rank: a folder may import only folders of a lower rank (and shared/), through
 * their `index.js`; test code may also import the `test-helpers/` of its own or a lower folder.
 */
export const CORE_RANKS = {
  time: 0,
  storage: 0,
  threads: 0,
  geometry: 0,
  can: 1,
  isobus: 2,
  link: 3,
  sync: 4,
  fleet: 5,
  safety: 6,
  records: 7,
  'safety-core': 7,
  station: 8,
  server: 9,
  sim: 10,
  'safety-process': 11,
  office: 11,
  runtime: 12,
  commands: 13,
  shell: 14,
};

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noNodeModules = (message) => [
  'error',
  { paths: nodeBuiltins.map((name) => ({ name, message })) },
];

export const layerConfigs = [
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/vite.preload.config.ts', 'renderer/vite.config.ts'],
    plugins: { layers: layersPlugin },
    rules: {
      'layers/direction': ['error', { root: import.meta.dirname, ranks: CORE_RANKS }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': noNodeModules(
        'The renderer runs in a browser sandbox: no Node modules.',
      ),
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': noNodeModules('shared/ is pure TypeScript: no Node modules.'),
    },
  },
];
