/**
 * The one durable write of the data folder. A file is replaced by writing a temporary file,
 * fsyncing it, renaming it over the old one and fsyncing the folder: rename(2) makes the swap
 * atomic, but only the folder's fsync makes the new directory entry survive a power cut
 * (POSIX rename(2), fsync(2): "calling fsync() on the file does not ensure that the entry in
 * the directory containing the file has also reached disk"). A crash at any moment leaves the
 * old content or the new, never a torn file. Descriptors are closed in `finally`, so a failed
 * write leaks none.
 */
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { registerForBackgroundSync, type SyncSlot } from './background-sync.js';

export interface AtomicWriteOptions {
  /** File mode of a newly created file (e.g. 0o600 for a key). */
  mode?: number;
}

/** Temp file, fsync, rename, fsync of the folder. Throws what the file system threw. */
export function writeFileAtomically(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): void {
  const tmp = `${file}.tmp`;
  try {
    const fd = openSync(tmp, 'w', options.mode ?? 0o666);
    try {
      writeFully(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(file));
}

/**
 * Makes a folder's entries (a file created, renamed or removed in it) durable. Windows cannot
 * open a folder for fsync and makes renames durable itself (MoveFileEx with write-through is
 * what Node uses), so there it is a no-op.
 */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** writeSync may write less than asked (a full disk, a signal): loop until all is written. */
export function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** How an append reaches the disk before `append` returns. */
export type AppendSync =
  /** fsync: data and metadata (a power cut loses nothing acknowledged). */
  | 'full'
  /** fdatasync: data and the size (enough for an append; cheaper where the FS tells them apart). */
  | 'data'
  /**
   * fdatasync in the background: `append` writes (so kill -9 loses nothing) and returns; a
   * thread of its own (background-sync.ts) then syncs, one fdatasync covering every append made
   * before it began. A power cut may lose the appends of the last few milliseconds; the thread
   * that appends never waits for the disk or for another thread (the safety core's outbox).
   */
  | 'data-background'
  /** No sync: survives kill -9 (the page cache holds it) but not a power cut (tests). */
  | 'none';

/**
 * An append-only file (a log): every `append` is one write of whole records, synced as asked
 * before it returns. Creating the file makes its folder entry durable too, so a log that was
 * just begun does not vanish on a power cut.
 */
export class AppendFile {
  private fd: number;
  private readonly sync: AppendSync;
  private readonly slot: SyncSlot | null = null;

  constructor(
    readonly file: string,
    sync: AppendSync = 'full',
  ) {
    this.fd = openSync(file, 'a');
    try {
      fsyncDirectory(dirname(file));
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
    if (sync === 'data-background') this.slot = registerForBackgroundSync(this.fd);
    // No place left with the syncing thread: every append waits for its own sync instead.
    this.sync = sync === 'data-background' && !this.slot ? 'data' : sync;
  }

  append(data: string | Uint8Array): void {
    if (this.fd < 0) throw new Error(`${this.file} is closed`);
    const refused = this.slot?.failure();
    if (refused) throw new Error(`${this.file}: the disk refused a sync: ${refused}`);
    writeFully(this.fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (this.sync === 'full') fsyncSync(this.fd);
    else if (this.sync === 'data') fdatasyncSync(this.fd);
    else this.slot?.ask();
  }

  /** Appends not yet covered by a background sync. */
  get syncPending(): boolean {
    return this.slot?.pending() ?? false;
  }

  get closed(): boolean {
    return this.fd < 0;
  }

  /** Closes the file; appends a background sync has not yet covered are synced first. */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    if (this.slot) {
      const pending = this.slot.pending();
      this.slot.release();
      if (pending) fdatasyncSync(fd);
    }
    closeSync(fd);
  }
}
