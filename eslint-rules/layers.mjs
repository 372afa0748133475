// The layering rule of docs/architecture.md as one small ESLint rule. Each relative import is
// resolved against the importing file's path (as VS Code's layering rule does), so a file deep
// in a folder (`electron/sim/test-helpers/x.ts` importing `../../runtime/index.js`) is judged by
// where it and its target are, not by how the import string happens to look.
import { basename, dirname, relative, resolve, sep } from 'node:path';

const DOCS = 'docs/architecture.md, "Layers and the dependency direction"';
const ELECTRON_IMPORTERS = 'electron/main.ts, electron/preload.ts and electron/shell/';

/**
 * Where a file sits: a core folder of electron/ (with its rank), a file at the electron/ root,
 * shared/, renderer/, an electron/ folder missing from the rank map, or outside the product.
 */
function zoneOf(root, ranks, file) {
  const parts = relative(root, file).split(sep);
  const [top, second] = parts;
  if (top === 'shared' || top === 'renderer') return { kind: top };
  if (top !== 'electron' || second === undefined) return { kind: 'outside' };
  if (parts.length === 2) return { kind: 'root', file: second.replace(/\.js$/, '.ts') };
  if (!Object.hasOwn(ranks, second)) return { kind: 'unranked', folder: second };
  return {
    kind: 'core',
    folder: second,
    rank: ranks[second],
    inner: parts.slice(2).join('/'),
    testHelper: parts.slice(2, -1).includes('test-helpers'),
  };
}

const isTestCode = (file, zone) =>
  /\.test\.tsx?$/.test(basename(file)) || (zone.kind === 'core' && zone.testHelper);

const isPublicEntry = (zone) => zone.inner === 'index.js' || zone.inner === 'index.ts';

/** The problem with `from` importing `to`, or null. */
function coreImportProblem(from, to, fromTest) {
  const here = from.kind === 'core' ? `electron/${from.folder}/` : `electron/${from.file}`;
  if (to.kind === 'renderer')
    return `${here} may not import the renderer: the core talks to the UI only through shared/ (docs/architecture.md, rule 3: one contract).`;
  if (to.kind === 'root' && from.kind === 'core')
    return `${here} may not import electron/${to.file}: the files at the electron/ root are entry points that compose the core, and the core never imports them (${DOCS}).`;
  if (to.kind !== 'core') return null;
  const there = `electron/${to.folder}/`;
  if (to.testHelper && !fromTest)
    return `${here} may not import ${there}test-helpers/: test helpers are for tests and other test helpers only (${DOCS}).`;
  if (from.kind === 'core' && to.folder === from.folder) return null;
  if (from.kind === 'core' && to.rank >= from.rank)
    return `${here} may not import ${to.rank > from.rank ? 'a higher layer' : 'a layer of the same rank'} (${there}): see the layer order in ${DOCS}.`;
  if (!isPublicEntry(to) && !to.testHelper)
    return `${here} may import another core folder only through its public entry '${there}index.js' (or, from tests, its test-helpers/), not '${there}${to.inner}' (${DOCS}).`;
  return null;
}

/** The problem with a file of `from` importing the relative path that resolves to `target`. */
function relativeImportProblem(root, ranks, file, from, target) {
  const to = zoneOf(root, ranks, target);
  if (to.kind === 'unranked')
    return `electron/${to.folder}/ has no rank in the layer map (CORE_RANKS in eslint.layers.mjs): give it one (${DOCS}).`;
  switch (from.kind) {
    case 'shared':
      return to.kind === 'outside' || to.kind === 'shared'
        ? null
        : 'shared/ depends on nothing in the product (docs/architecture.md, rule 3: one contract).';
    case 'renderer':
      return to.kind === 'core' || to.kind === 'root'
        ? 'The renderer reaches the core only through the contract in shared/ (docs/architecture.md, rule 3: one contract).'
        : null;
    case 'core':
    case 'root':
      return coreImportProblem(from, to, isTestCode(file, from));
    default:
      return null;
  }
}

function mayImportElectron(from) {
  if (from.kind === 'core') return from.folder === 'shell';
  return from.kind === 'root' && (from.file === 'main.ts' || from.file === 'preload.ts');
}

/** The literal source of an import, export-from, dynamic `import()` or `import('…')` type. */
function sourceOf(node) {
  const source =
    node.type === 'TSImportType' ? (node.argument?.literal ?? node.source) : node.source;
  return source?.type === 'Literal' && typeof source.value === 'string' ? source : null;
}

const direction = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer order of docs/architecture.md.' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          ranks: { type: 'object', additionalProperties: { type: 'number' } },
        },
        required: ['root', 'ranks'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { root, ranks } = context.options[0];
    const file = context.filename;
    const from = zoneOf(root, ranks, file);
    if (from.kind === 'outside') return {};
    if (from.kind === 'unranked') {
      return {
        Program(node) {
          context.report({
            node,
            message: `electron/${from.folder}/ has no rank in the layer map (CORE_RANKS in eslint.layers.mjs): give it one (${DOCS}).`,
          });
        },
      };
    }
    const check = (node) => {
      const source = sourceOf(node);
      if (!source) return;
      const spec = source.value;
      let message = null;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!mayImportElectron(from))
          message = `Only ${ELECTRON_IMPORTERS} may import electron (docs/architecture.md, rule 2: the core is plain Node).`;
      } else if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        message = relativeImportProblem(root, ranks, file, from, target);
      }
      if (message) context.report({ node: source, message });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
      TSImportType: check,
    };
  },
};

export const layersPlugin = { meta: { name: 'headland-layers' }, rules: { direction } };
