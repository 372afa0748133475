import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeRevision, revisionLabel, sameRevision } from './code-revision.js';
import { gitCheckout, type GitCheckout } from './test-helpers/git-checkout.js';

const checkouts: GitCheckout[] = [];
afterEach(() => {
  for (const c of checkouts.splice(0)) c.remove();
});

/** A checkout with a file in each code path and some documentation. */
function project(): GitCheckout {
  const c = gitCheckout({
    'electron/plan.ts': 'export const a = 1;\n',
    'electron/NOTES.md': 'how the planner works\n',
    'shared/types.ts': 'export type A = 1;\n',
    'bench/suite.ts': 'export const b = 1;\n',
    'assets/fields/f.geojson': '{}\n',
    'package-lock.json': '{"lockfileVersion":3}\n',
    'docs/benchmarks.md': '# Benchmarks\n',
    'README.md': '# Headland\n',
    'scripts/tool.mjs': 'export {};\n',
  });
  checkouts.push(c);
  return c;
}

describe('code revision', () => {
  it('keeps the key over a commit that changes only documentation, and says which commit', () => {
    const c = project();
    const before = codeRevision(c.dir);
    expect(before.code).toMatch(/^[0-9a-f]{16}$/);
    expect(before.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(before).toEqual({ code: before.code, commit: before.commit, dirty: false });

    c.write('docs/benchmarks.md', '# Benchmarks\n\nThe full table.\n');
    c.write('README.md', '# Headland, edited\n');
    c.write('electron/NOTES.md', 'how the planner works, edited\n');
    c.write('docs/new-page.md', 'new\n');
    c.commit('docs only');
    const after = codeRevision(c.dir);
    expect(after.commit).not.toBe(before.commit);
    expect(after.code).toBe(before.code);
    expect(sameRevision(after, before)).toBe(true);
    expect(revisionLabel(after)).toBe(`code ${before.code}`);
  });

  it('takes a new key for a commit to any code path or the lock file', () => {
    const c = project();
    const keys = [codeRevision(c.dir).code];
    for (const [path, text] of [
      ['electron/plan.ts', 'export const a = 2;\n'],
      ['shared/types.ts', 'export type A = 2;\n'],
      ['bench/suite.ts', 'export const b = 2;\n'],
      ['assets/fields/f.geojson', '{"type":"Feature"}\n'],
      ['package-lock.json', '{"lockfileVersion":3,"packages":{}}\n'],
      // A new file in a code folder counts once committed.
      ['electron/new-module.ts', 'export {};\n'],
    ] as const) {
      c.write(path, text);
      c.commit(`change ${path}`);
      keys.push(codeRevision(c.dir).code);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('hashes uncommitted edits to the code paths only', () => {
    const c = project();
    const clean = codeRevision(c.dir);
    // Edits outside the code paths, documentation inside them, and untracked files (a runs file
    // the benchmark writes into the checkout) leave the key as it was.
    c.write('README.md', '# Headland, being edited\n');
    c.write('docs/benchmarks.md', '# Benchmarks, being edited\n');
    c.write('scripts/tool.mjs', 'export const t = 1;\n');
    c.write('electron/NOTES.md', 'being edited\n');
    c.write('bench/out/runs.jsonl', '{}\n');
    expect(codeRevision(c.dir)).toEqual(clean);

    c.write('electron/plan.ts', 'export const a = 2;\n');
    const edited = codeRevision(c.dir);
    expect(edited.code).toBe(clean.code);
    expect(edited.dirty).toBe(true);
    expect(edited.diff).toMatch(/^[0-9a-f]{64}$/);
    expect(sameRevision(edited, clean)).toBe(false);
    expect(revisionLabel(edited)).toBe(`code ${clean.code}+dirty(${edited.diff?.slice(0, 8)})`);

    // The same edits give the same hash, whatever else changed outside the code paths.
    c.write('README.md', '# Headland, edited again\n');
    expect(sameRevision(codeRevision(c.dir), edited)).toBe(true);
    c.write('package-lock.json', '{"lockfileVersion":3,"packages":{}}\n');
    expect(sameRevision(codeRevision(c.dir), edited)).toBe(false);
    c.write('package-lock.json', '{"lockfileVersion":3}\n');
    expect(sameRevision(codeRevision(c.dir), edited)).toBe(true);
    c.write('electron/plan.ts', 'export const a = 1;\n');
    expect(sameRevision(codeRevision(c.dir), clean)).toBe(true);
  });

  it('throws outside a git checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-revision-'));
    try {
      expect(() => codeRevision(dir)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
