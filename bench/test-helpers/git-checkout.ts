/** A throwaway git checkout in the temp folder, for tests of what keys a benchmark's code. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** An author of the test's own, and no signing: the machine's git config is not needed. */
const AUTHOR = ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false'];

export interface GitCheckout {
  dir: string;
  /** Writes `text` to `path` (relative to the checkout), making its folders. */
  write(path: string, text: string): void;
  /** Adds every change (new files too) and commits it. */
  commit(message: string): void;
  /** Deletes the checkout. */
  remove(): void;
}

/** A checkout holding `files` (path → text) in one first commit. */
export function gitCheckout(files: Record<string, string>): GitCheckout {
  const dir = mkdtempSync(join(tmpdir(), 'headland-checkout-'));
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  };
  const checkout: GitCheckout = {
    dir,
    write(path, text) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    },
    commit(message) {
      git('add', '-A');
      git(...AUTHOR, 'commit', '-qm', message);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  git('init', '-q');
  for (const [path, text] of Object.entries(files)) checkout.write(path, text);
  checkout.commit('first');
  return checkout;
}
