import fs, {
  existsSync,
  fstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppendFile, writeFileAtomically } from './durable-file.js';

const folder = (): string => mkdtempSync(join(tmpdir(), 'headland-durable-'));
const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

/** Records what fsync is called on (patched into node:fs for one test). */
function spyOnFsync(): { synced: ('file' | 'folder')[]; restore(): void } {
  const original = fs.fsyncSync;
  const synced: ('file' | 'folder')[] = [];
  fs.fsyncSync = (fd: number) => {
    synced.push(fstatSync(fd).isDirectory() ? 'folder' : 'file');
    original(fd);
  };
  syncBuiltinESMExports();
  return {
    synced,
    restore() {
      fs.fsyncSync = original;
      syncBuiltinESMExports();
    },
  };
}

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('writeFileAtomically', () => {
  it('replaces the content, fsyncing the file and then its folder', () => {
    const file = join(folder(), 'job.json');
    writeFileSync(file, 'old');
    const spy = spyOnFsync();
    restore = () => spy.restore();
    writeFileAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(spy.synced).toEqual(['file', 'folder']);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('leaves the old content, no temporary file and no open descriptor when the write fails', () => {
    const file = join(folder(), 'job.json');
    writeFileSync(file, 'old');
    const before = openDescriptors();
    // Not bytes: writeSync throws after the temporary file was opened.
    expect(() => writeFileAtomically(file, { length: 3 } as unknown as Uint8Array)).toThrow();
    expect(openDescriptors()).toBe(before);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('creates a file with the mode asked for', () => {
    const file = join(folder(), 'fleet.key');
    writeFileAtomically(file, 'secret', { mode: 0o600 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('AppendFile', () => {
  it('makes a new log durable in its folder and syncs every append', () => {
    const file = join(folder(), 'audit.log');
    const spy = spyOnFsync();
    restore = () => spy.restore();
    const log = new AppendFile(file, 'full');
    log.append('a\n');
    log.append(Buffer.from('b\n'));
    log.close();
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
    expect(spy.synced).toEqual(['folder', 'file', 'file']);
    expect(() => log.append('c\n')).toThrow(/closed/);
  });
});

describe('AppendFile syncing in the background', () => {
  const until = async (ok: () => boolean): Promise<void> => {
    for (let waited = 0; !ok(); waited += 5) {
      if (waited > 5_000) throw new Error('waited 5 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('writes at once and syncs in a thread of its own, never on the appending thread', async () => {
    const file = join(folder(), 'outbox.log');
    const original = fs.fdatasyncSync;
    let syncedOnCaller = 0;
    fs.fdatasyncSync = (fd: number) => {
      syncedOnCaller++;
      original(fd);
    };
    syncBuiltinESMExports();
    restore = () => {
      fs.fdatasyncSync = original;
      syncBuiltinESMExports();
    };
    const log = new AppendFile(file, 'data-background');
    for (let i = 0; i < 200; i++) log.append(`${i}\n`);
    // Written before append returned (kill -9 loses nothing); synced off this thread.
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(201);
    expect(log.syncPending).toBe(true);
    await until(() => !log.syncPending);
    log.append('after\n');
    await until(() => !log.syncPending);
    log.close();
    expect(syncedOnCaller).toBe(0);
    expect(readFileSync(file, 'utf8').endsWith('199\nafter\n')).toBe(true);
  });

  it('closes with appends still unsynced: syncs them, leaks no descriptor, refuses later appends', () => {
    const file = join(folder(), 'outbox.log');
    const before = openDescriptors();
    const log = new AppendFile(file, 'data-background');
    log.append('a\n');
    log.close();
    expect(readFileSync(file, 'utf8')).toBe('a\n');
    expect(openDescriptors()).toBe(before);
    expect(() => log.append('b\n')).toThrow(/closed/);
  });

  it('tells the appending thread when the disk refused a sync', async () => {
    const file = join(folder(), 'null.log');
    symlinkSync('/dev/null', file); // takes writes, refuses fdatasync
    const log = new AppendFile(file, 'data-background');
    log.append('a\n');
    await until(() => !log.syncPending);
    expect(() => log.append('b\n')).toThrow(/null\.log: the disk refused a sync/);
    log.close();
  });
});
