/**
 * Which code a benchmark figure came from, keyed by what a benchmark run executes rather than by
 * the commit: the files of the code folders (`electron/`, `shared/`, `bench/`, `assets/`) and
 * `package-lock.json` as committed, and a hash of uncommitted edits to those files. A commit that
 * touches only documentation (`docs/`, `README.md`, any `*.md`, also inside the code folders)
 * keeps the key, so runs recorded before it still count after it; the commit is kept beside the
 * key for information.
 *
 * Untracked files are not in it: a new file the code imports shows only once it is added, and
 * files a run writes into the checkout (its own runs file) must not change the key between one
 * run and the next.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export interface CodeRevision {
  /**
   * The first 16 hex digits of sha256 over `git ls-tree -r HEAD` of the code paths (mode, blob
   * id and path of each file), documentation left out.
   */
  code: string;
  /** `git rev-parse HEAD` when the key was taken; information only, not part of the key. */
  commit: string;
  /** Tracked files in the code paths differ from HEAD (`git diff HEAD` there is not empty). */
  dirty: boolean;
  /** With `dirty`: sha256 of `git diff HEAD --binary` over the code paths. */
  diff?: string;
}

/** What the benchmark runs execute: the code folders and the installed dependencies' versions. */
const CODE_PATHS = ['electron', 'shared', 'bench', 'assets', 'package-lock.json'];
/** Documentation: no run reads it, so a change to it keeps the key. */
const DOC_FILE = /\.md$/;
/** 64 bits: two different trees sharing a key by chance is out of the question at this scale. */
const CODE_HEX_DIGITS = 16;
/** A diff of a whole working tree can run to megabytes; git's output above this is refused. */
const MAX_DIFF_BYTES = 256 * 1024 * 1024;

/**
 * The key of the checkout whose top folder is `dir`. Throws (with git's message) outside a git
 * checkout.
 */
export function codeRevision(dir: string): CodeRevision {
  const git = (...args: string[]): Buffer =>
    execFileSync('git', args, { cwd: dir, maxBuffer: MAX_DIFF_BYTES, stdio: 'pipe' });
  const commit = git('rev-parse', 'HEAD').toString('utf8').trim();
  // `mode type blob\tpath` per file, NUL-ended; the blob ids are the committed contents.
  const files = git('ls-tree', '-r', '-z', 'HEAD', '--', ...CODE_PATHS)
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry !== '' && !DOC_FILE.test(entry));
  const code = createHash('sha256')
    .update(files.join('\0'))
    .digest('hex')
    .slice(0, CODE_HEX_DIGITS);
  // `:!*.md` leaves out documentation at any depth (a pathspec's `*` matches `/` as well).
  const diff = git('diff', 'HEAD', '--binary', '--no-ext-diff', '--', ...CODE_PATHS, ':!*.md');
  if (diff.length === 0) return { code, commit, dirty: false };
  return { code, commit, dirty: true, diff: createHash('sha256').update(diff).digest('hex') };
}

/** Both name the same code, whatever commits they were taken at. */
export function sameRevision(a: CodeRevision, b: CodeRevision): boolean {
  return a.code === b.code && a.dirty === b.dirty && a.diff === b.diff;
}

/** `code 1f0c9e2ab4d3c871` or `code 1f0c9e2ab4d3c871+dirty(3be2a1c0)`, for logs and headings. */
export function revisionLabel(r: CodeRevision): string {
  return `code ${r.code}${r.dirty ? `+dirty(${(r.diff ?? '').slice(0, 8)})` : ''}`;
}
