#!/usr/bin/env node
/**
 * Dead-export check (part of `npm run lint`): an export no other file imports is a public name
 * nothing needs, which keeps code alive after its last user is gone. Every tsconfig project is
 * loaded with the TypeScript compiler; each import (named, namespace member, `import('…')` type,
 * re-export chains followed to the declaration) marks the declaration it reaches as used. Tests
 * count as users. Files loaded by name at run time (entry points, benchmark suites, configs) are
 * not checked. Exit 1 with the list when an unused export is found.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Projects whose programs together cover every checked file (bench's takes in electron/). */
export const PROJECTS = ['bench', 'renderer', 'e2e', 'shared'];
/** Checked folders; files elsewhere only count as users. */
const CHECKED = /^(electron|shared|renderer|bench|e2e)\//;
/** Loaded by name, not imported: entry points, suites found by directory listing, configs. */
const ENTRY_FILES = [
  /^electron\/(main|preload|cli)\.ts$/,
  /^bench\/suites\/[^/]+\.ts$/,
  /^bench\/(run|workflow-child|serve-process)\.ts$/,
  /(^|\/)[^/]*\.config\.ts$/,
  /(^|\/)test-helpers\/[^/]*-child\.ts$/,
  /^renderer\/main\.tsx$/,
];

/** `file:position` of the declaration a symbol stands for, following aliases and re-exports. */
function declarationKey(root, checker, symbol) {
  let target = symbol;
  if (target.flags & ts.SymbolFlags.Alias) target = checker.getAliasedSymbol(target);
  const decl = target.declarations?.[0];
  if (!decl) return null;
  return `${relative(root, decl.getSourceFile().fileName)}:${decl.pos}`;
}

function programOf(root, project) {
  const configPath = join(root, project, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  return ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
}

const ownFiles = (program) =>
  program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/'));

/** The name of a declaration (or of an export specifier), not a use of it. */
function isDeclarationName(node) {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isExportSpecifier(parent)) return true;
  return isNamedDeclaration(parent) && parent.name === node;
}

const isNamedDeclaration = (node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isClassDeclaration(node) ||
  ts.isInterfaceDeclaration(node) ||
  ts.isTypeAliasDeclaration(node) ||
  ts.isEnumDeclaration(node) ||
  ts.isVariableDeclaration(node) ||
  ts.isModuleDeclaration(node);

/**
 * Declarations reached from another file by an import (`used`), and those only referred to in
 * their own file (`usedHere`).
 */
function collectUses(root, program, used, usedHere) {
  const checker = program.getTypeChecker();
  const markAll = (moduleSymbol) => {
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const key = declarationKey(root, checker, e);
      if (key) used.add(key);
    }
  };
  for (const sf of ownFiles(program)) {
    const from = relative(root, sf.fileName);
    const mark = (symbol) => {
      const key = symbol && declarationKey(root, checker, symbol);
      if (key && !key.startsWith(`${from}:`)) used.add(key);
    };
    const visit = (node) => {
      if (ts.isImportSpecifier(node)) mark(checker.getSymbolAtLocation(node.name));
      else if (ts.isImportClause(node) && node.name) mark(checker.getSymbolAtLocation(node.name));
      else if (ts.isNamespaceImport(node)) {
        // `import * as m`: each member read through m is a use; so is m passed on whole.
        const target = checker.getAliasedSymbol(checker.getSymbolAtLocation(node.name));
        if (target) markAll(target);
      } else if (ts.isImportTypeNode(node) && node.qualifier)
        mark(
          checker.getSymbolAtLocation(
            ts.isIdentifier(node.qualifier) ? node.qualifier : node.qualifier.right,
          ),
        );
      else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteralLike(node.arguments[0])
      ) {
        const moduleSymbol = checker.getSymbolAtLocation(node.arguments[0]);
        if (moduleSymbol) markAll(moduleSymbol);
      } else if (ts.isIdentifier(node) && !isDeclarationName(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        const key = symbol && declarationKey(root, checker, symbol);
        if (key?.startsWith(`${from}:`)) usedHere.add(key);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

/** Exports (own declarations, not re-exports) of checked files, by declaration key. */
function collectExports(root, program, exported) {
  const checker = program.getTypeChecker();
  for (const sf of ownFiles(program)) {
    const file = relative(root, sf.fileName);
    if (!CHECKED.test(file) || ENTRY_FILES.some((re) => re.test(file))) continue;
    if (/\.test\.tsx?$/.test(file)) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const key = declarationKey(root, checker, e);
      if (!key || !key.startsWith(`${file}:`)) continue; // re-exported from elsewhere
      const decl = (e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e)
        .declarations?.[0];
      const line = decl ? sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1 : 0;
      exported.set(key, `${file}:${line} ${e.name}`);
    }
  }
}

/**
 * Exports no other file imports, as `file:line name`, sorted: `dead` are referred to nowhere
 * (dead code), `localOnly` only in their own file (the export keyword is what is unneeded).
 */
export function findDeadExports({ root = REPO_ROOT, projects = PROJECTS } = {}) {
  const used = new Set();
  const usedHere = new Set();
  const exported = new Map();
  for (const project of projects) {
    const program = programOf(root, project);
    collectUses(root, program, used, usedHere);
    collectExports(root, program, exported);
  }
  const unused = [...exported].filter(([key]) => !used.has(key));
  const names = (list) => list.map(([, where]) => where).sort();
  return {
    dead: names(unused.filter(([key]) => !usedHere.has(key))),
    localOnly: names(unused.filter(([key]) => usedHere.has(key))),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { dead, localOnly } = findDeadExports();
  if (process.argv.includes('--all')) {
    console.error(`${localOnly.length} export(s) used only in their own file:`);
    for (const line of localOnly) console.error(`  ${line}`);
  }
  if (dead.length > 0) {
    console.error(`${dead.length} export(s) used nowhere (remove them, or use them):`);
    for (const line of dead) console.error(`  ${line}`);
    process.exit(1);
  }
}
