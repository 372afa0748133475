import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quarantine, quarantineCopy } from './quarantine.js';

describe('quarantine', () => {
  it('moves a damaged file aside under a name that never overwrites earlier evidence', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'headland-q-')), 'job.json');
    writeFileSync(file, 'first');
    expect(quarantine(file, { wallMs: 5 })).toBe(`${file}.corrupt-5`);
    writeFileSync(file, 'second');
    expect(quarantine(file, { wallMs: 5 })).toBe(`${file}.corrupt-5-2`);
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.corrupt-5`, 'utf8')).toBe('first');
    expect(readFileSync(`${file}.corrupt-5-2`, 'utf8')).toBe('second');
  });

  it('keeps a copy aside and leaves the file in place', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'headland-q-')), 'a.hrec');
    writeFileSync(file, 'bytes');
    const copy = quarantineCopy(file, { wallMs: 9, label: 'damaged' });
    expect(copy).toBe(`${file}.damaged-9`);
    expect(readFileSync(copy, 'utf8')).toBe('bytes');
    expect(readFileSync(file, 'utf8')).toBe('bytes');
  });
});
