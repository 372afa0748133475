import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeRevision, revisionLabel, sameRevision } from './code-revision.js';

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'headland-revision-'));
  folders.push(dir);
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  };
  git('init', '-q');
  writeFileSync(join(dir, 'code.ts'), 'export const a = 1;\n');
  git('add', 'code.ts');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first');
  return dir;
}

describe('code revision', () => {
  it('names the commit, and edits to tracked files by the hash of their diff', () => {
    const dir = repo();
    const clean = codeRevision(dir);
    expect(clean.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(clean).toEqual({ commit: clean.commit, dirty: false });
    // A file the run writes into the checkout (its runs file) does not change the revision.
    writeFileSync(join(dir, 'runs.jsonl'), '{}\n');
    expect(sameRevision(codeRevision(dir), clean)).toBe(true);

    writeFileSync(join(dir, 'code.ts'), 'export const a = 2;\n');
    const edited = codeRevision(dir);
    expect(edited.dirty).toBe(true);
    expect(edited.diff).toMatch(/^[0-9a-f]{64}$/);
    expect(sameRevision(edited, clean)).toBe(false);
    expect(revisionLabel(edited)).toBe(
      `${clean.commit.slice(0, 7)}+dirty(${edited.diff?.slice(0, 8)})`,
    );

    writeFileSync(join(dir, 'code.ts'), 'export const a = 3;\n');
    expect(sameRevision(codeRevision(dir), edited)).toBe(false);
    writeFileSync(join(dir, 'code.ts'), 'export const a = 2;\n');
    expect(sameRevision(codeRevision(dir), edited)).toBe(true);
  });

  it('throws outside a git checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-revision-'));
    folders.push(dir);
    expect(() => codeRevision(dir)).toThrow();
  });
});
