// The dependency direction of docs/architecture.md as lint rules. Kept apart from eslint.config.mjs so a
// test can lint fixtures against exactly these rules (electron/lint-layers.test.ts).
import { builtinModules } from 'node:module';

/** Core folders by rank: a folder may import only folders of a lower rank (and shared/). */
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
  sim: 9,
  server: 9,
  'safety-thread': 10,
  commands: 10,
  shell: 11,
};

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = {
  name: 'electron',
  message:
    'Only electron/main.ts, electron/preload.ts and electron/shell/ may import electron (docs/architecture.md, rule 2: the core is plain Node).',
};

function coreFolderRule(folder, rank) {
  const higher = Object.entries(CORE_RANKS)
    .filter(([name, r]) => r > rank && name !== folder)
    .map(([name]) => name);
  const patterns = [
    {
      regex: '^\\.\\./(?:\\.\\./)*renderer(/|$)',
      message:
        'The core never imports the renderer; talk through shared/ (docs/architecture.md, rule 3: one contract).',
    },
    {
      regex: '^\\.\\./[a-z-]+/(?!index\\.js$).+',
      message: "Import another core folder only through its public entry '../<folder>/index.js'.",
    },
  ];
  if (higher.length > 0) {
    patterns.push({
      regex: `^\\.\\./(${higher.join('|')})(/|$)`,
      message: `electron/${folder}/ may not import a higher layer (${higher.join(', ')}): see the layer order in docs/architecture.md.`,
    });
  }
  if (rank < CORE_RANKS.commands) {
    patterns.push({
      regex: '^\\.\\./(station|cli)\\.js$',
      message: `electron/${folder}/ may not import the composition root.`,
    });
  }
  return {
    files: [`electron/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns }] },
  };
}

export const layerConfigs = [
  ...Object.entries(CORE_RANKS)
    .filter(([folder]) => folder !== 'shell')
    .map(([folder, rank]) => coreFolderRule(folder, rank)),
  {
    files: ['electron/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/vite.preload.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { regex: '^\\.\\./renderer(/|$)', message: 'The core never imports the renderer.' },
            {
              regex: '^\\./[a-z-]+/(?!index\\.js$).+',
              message: "Import a core folder only through its public entry './<folder>/index.js'.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer never imports electron; use the shared contract.',
            },
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer runs in a browser sandbox: no Node modules.',
            })),
          ],
          patterns: [
            {
              regex: '^(\\.\\./)+electron(/|$)',
              message:
                'The renderer reaches the core only through the contract in shared/ (docs/architecture.md, rule 3: one contract).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ is pure TypeScript: no electron.' },
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'shared/ is pure TypeScript: no Node modules.',
            })),
          ],
          patterns: [
            {
              regex: '^(\\.\\./)+(electron|renderer)(/|$)',
              message: 'shared/ depends on nothing in the product.',
            },
          ],
        },
      ],
    },
  },
];
