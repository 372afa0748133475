/**
 * Which code a benchmark figure came from: the commit checked out, and whether tracked files
 * differ from it (with a hash of that difference, so a run made on one set of edits is not
 * taken for a run of another). Untracked files are not in it: a new file the code imports shows
 * only once it is added, and files a run writes into the checkout (its own runs file) must not
 * change the revision between one run and the next.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export interface CodeRevision {
  /** `git rev-parse HEAD`. */
  commit: string;
  /** Tracked files differ from the commit (`git diff HEAD` is not empty). */
  dirty: boolean;
  /** With `dirty`: sha256 of `git diff HEAD --binary`. */
  diff?: string;
}

/** A diff of a whole working tree can run to megabytes; git's output above this is refused. */
const MAX_DIFF_BYTES = 256 * 1024 * 1024;

/** The revision of the checkout at `dir`. Throws (with git's message) outside a git checkout. */
export function codeRevision(dir: string): CodeRevision {
  const git = (...args: string[]): Buffer =>
    execFileSync('git', args, { cwd: dir, maxBuffer: MAX_DIFF_BYTES, stdio: 'pipe' });
  const commit = git('rev-parse', 'HEAD').toString('utf8').trim();
  const diff = git('diff', 'HEAD', '--binary');
  if (diff.length === 0) return { commit, dirty: false };
  return { commit, dirty: true, diff: createHash('sha256').update(diff).digest('hex') };
}

/** Both name the same code. */
export function sameRevision(a: CodeRevision, b: CodeRevision): boolean {
  return a.commit === b.commit && a.dirty === b.dirty && a.diff === b.diff;
}

/** `f654539` or `f654539+dirty(3be2a1c0)`, for log lines and table headings. */
export function revisionLabel(r: CodeRevision): string {
  const short = r.commit.slice(0, 7);
  return r.dirty ? `${short}+dirty(${(r.diff ?? '').slice(0, 8)})` : short;
}
