/**
 * One station per data folder. Two stations writing one folder interleave their audit chains
 * and overwrite each other's job record, so the second one must not start. The lock is a file
 * `<data>/station.lock` created exclusively (O_EXCL) holding the owner's pid, host and boot; a
 * lock whose owner is gone (its pid is not running, or it was taken before the machine last
 * booted) is stale and taken over, so a station killed with -9 or by a power cut does not lock
 * its folder for good. Node has no flock(2); O_EXCL creation is atomic on local file systems.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { fsyncDirectory, writeFully } from './durable-file.js';

export const LOCK_FILE = 'station.lock';
/** Linux: a new value every boot (proc(5)); elsewhere the lock relies on the pid alone. */
const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';

const lockSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  bootId: z.string().nullable(),
  since: z.number(),
});
export type LockOwner = z.infer<typeof lockSchema>;

export class DataFolderLockedError extends Error {
  override readonly name = 'DataFolderLockedError';
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the data folder ${dir} is in use by another Headland station (pid ${owner.pid} on ${owner.host}, since ${new Date(owner.since).toISOString()}); stop it first, or use another --data folder (if no station runs there, remove ${join(dir, LOCK_FILE)})`,
    );
  }
}

export interface LockEnvironment {
  pid: number;
  host: string;
  bootId: string | null;
  wallNow(): number;
  /** Whether a process with this pid runs on this machine. */
  alive(pid: number): boolean;
}

export function systemLockEnvironment(wallNow: () => number): LockEnvironment {
  return { pid: process.pid, host: hostname(), bootId: readBootId(), wallNow, alive: pidAlive };
}

/** Lock files this process holds: a lock naming our own pid that is not here was left by an
 * earlier process that had the same pid. */
const heldHere = new Set<string>();

export class DataFolderLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
    /** What was found in the way and taken over (a stale lock), for the log. */
    readonly tookOver: string | null,
  ) {}

  /** Takes the folder's lock, or throws DataFolderLockedError naming the station holding it. */
  static acquire(dir: string, env: LockEnvironment): DataFolderLock {
    const file = resolve(join(dir, LOCK_FILE));
    const owner: LockOwner = {
      pid: env.pid,
      host: env.host,
      bootId: env.bootId,
      since: env.wallNow(),
    };
    let tookOver: string | null = null;
    // Twice at most: a stale lock is removed once, then the exclusive create must win.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (createExclusive(file, `${JSON.stringify(owner)}\n`)) {
        fsyncDirectory(dir);
        heldHere.add(file);
        return new DataFolderLock(file, owner, tookOver);
      }
      const holder = readOwner(file);
      const stale = staleReason(holder, env, heldHere.has(file));
      if (stale === null && holder) throw new DataFolderLockedError(dir, holder);
      tookOver = `stale lock taken over (${stale ?? 'unreadable'})`;
      rmSync(file, { force: true });
    }
    const holder = readOwner(file);
    if (holder) throw new DataFolderLockedError(dir, holder);
    throw new Error(`cannot take the lock ${file}`);
  }

  /**
   * Lets go of the lock without removing its file, as a process killed with -9 does (tests that
   * emulate a crash inside one process): the next start finds a lock of an earlier process.
   */
  abandon(): void {
    this.released = true;
    heldHere.delete(this.file);
  }

  /** Removes the lock if it is still ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    heldHere.delete(this.file);
    const now = readOwner(this.file);
    if (now?.pid === this.owner.pid && now.since === this.owner.since)
      rmSync(this.file, { force: true });
  }
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeFully(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Null when the holder is alive; else why its lock is stale. */
function staleReason(
  holder: LockOwner | null,
  env: LockEnvironment,
  heldByThisProcess: boolean,
): string | null {
  if (!holder) return 'the lock file is unreadable';
  // Another host sharing the folder (a network drive) cannot be checked: trust its lock.
  if (holder.host !== env.host) return null;
  if (holder.bootId !== null && env.bootId !== null && holder.bootId !== env.bootId)
    return `pid ${holder.pid} held it before the machine restarted`;
  if (holder.pid === env.pid)
    return heldByThisProcess ? null : `pid ${holder.pid} (an earlier process) left it`;
  return env.alive(holder.pid) ? null : `pid ${holder.pid} is no longer running`;
}

function readBootId(): string | null {
  try {
    return readFileSync(BOOT_ID_FILE, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** kill(pid, 0) probes without signalling: ESRCH means gone, EPERM means alive (another user). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
