import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore, type JobRecord } from './job-store.js';

const record: JobRecord = {
  version: 2,
  id: 'job-1',
  name: 'Long Meadow — job',
  createdAtWallMs: 1_767_225_600_000,
  state: 'stopped',
  fieldName: 'Long Meadow',
  assignments: { s1: 'sim-01' },
  passes: {},
  stops: [
    { id: 'stop-1', scope: 'fleet', issuedAtWallMs: 5, issuedBy: 'op', tractorIds: ['sim-01'] },
  ],
  alerts: [],
};

describe('JobStore', () => {
  it('reads back what it saved', () => {
    const store = new JobStore(mkdtempSync(join(tmpdir(), 'headland-store-')));
    store.save(record);
    expect(store.load(1)).toEqual({ kind: 'loaded', record });
  });

  it('finds a flipped bit that still parses and keeps the record aside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-store-'));
    const store = new JobStore(dir);
    store.save(record);
    const file = join(dir, 'job.json');
    // 'stop-1' -> 'stop-0': valid JSON, valid record, another stop id.
    writeFileSync(file, readFileSync(file, 'utf8').replace('stop-1', 'stop-0'));
    expect(store.load(7)).toEqual({
      kind: 'corrupt',
      error: 'checksum mismatch (the file was damaged)',
      movedTo: `${file}.corrupt-7`,
    });
    expect(existsSync(`${file}.corrupt-7`)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('reads a record written before checksums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headland-store-'));
    writeFileSync(join(dir, 'job.json'), JSON.stringify(record));
    expect(new JobStore(dir).load(1)).toEqual({ kind: 'loaded', record });
  });
});
