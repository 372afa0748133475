import fs, {
  existsSync,
  fstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
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
