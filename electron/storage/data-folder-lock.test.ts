import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DataFolderLock,
  DataFolderLockedError,
  LOCK_FILE,
  type LockEnvironment,
} from './data-folder-lock.js';

const folder = (): string => mkdtempSync(join(tmpdir(), 'headland-lock-'));

function env(
  pid: number,
  alive: readonly number[] = [],
  bootId: string | null = 'boot-1',
): LockEnvironment {
  return {
    pid,
    host: 'laptop',
    bootId,
    wallNow: () => 1_700_000_000_000,
    alive: (p) => alive.includes(p),
  };
}

describe('the data folder lock', () => {
  it('refuses a second station while the first runs, naming it', () => {
    const dir = folder();
    const first = DataFolderLock.acquire(dir, env(100));
    expect(() => DataFolderLock.acquire(dir, env(200, [100]))).toThrow(DataFolderLockedError);
    expect(() => DataFolderLock.acquire(dir, env(200, [100]))).toThrow(
      /in use by another Headland station \(pid 100 on laptop/,
    );
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    DataFolderLock.acquire(dir, env(200, [100])).release();
  });

  it('refuses a second station in the same process', () => {
    const dir = folder();
    const first = DataFolderLock.acquire(dir, env(100, [100]));
    expect(() => DataFolderLock.acquire(dir, env(100, [100]))).toThrow(DataFolderLockedError);
    first.release();
  });

  it('takes over the lock of a station that died (kill -9, power cut)', () => {
    const dir = folder();
    DataFolderLock.acquire(dir, env(100)); // never released: the process died
    const next = DataFolderLock.acquire(dir, env(200, []));
    expect(next.tookOver).toMatch(/pid 100 is no longer running/);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 200 });
    next.release();
  });

  it('takes over a lock taken before the machine restarted, even if its pid runs again', () => {
    const dir = folder();
    DataFolderLock.acquire(dir, env(100, [], 'boot-1'));
    const next = DataFolderLock.acquire(dir, env(200, [100], 'boot-2'));
    expect(next.tookOver).toMatch(/before the machine restarted/);
    next.release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    const next = DataFolderLock.acquire(dir, env(200));
    expect(next.tookOver).toMatch(/unreadable/);
    next.release();
  });

  it('does not remove a lock another station took after this one was declared stale', () => {
    const dir = folder();
    const old = DataFolderLock.acquire(dir, env(100));
    const next = DataFolderLock.acquire(dir, env(200, []));
    old.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 200 });
    next.release();
  });
});
