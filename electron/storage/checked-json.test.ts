import { describe, expect, it } from 'vitest';
import { readCheckedJson, stampJson } from './checked-json.js';

describe('checked JSON', () => {
  const record = { version: 2, id: 'job-1', stops: [{ id: 'stop-a', at: 1.25 }], areaHa: 1.484 };

  it('reads back what it stamped, as plain JSON with one more member', () => {
    const text = stampJson(record);
    expect(JSON.parse(text)).toMatchObject(record);
    expect(readCheckedJson(text)).toEqual({ ok: true, value: record, checked: true });
  });

  it('finds a flipped bit that still parses', () => {
    const text = stampJson(record).replace('stop-a', 'stop-c').replace('1.484', '1.485');
    const result = readCheckedJson(text);
    expect(result).toEqual({ ok: false, error: 'checksum mismatch (the file was damaged)' });
    // Every single flipped character of the body is caught or fails to parse.
    const stamped = stampJson(record);
    for (let i = 0; i < stamped.length - 1; i++) {
      const flipped =
        stamped.slice(0, i) + String.fromCharCode(stamped.charCodeAt(i) ^ 1) + stamped.slice(i + 1);
      const read = readCheckedJson(flipped);
      if (!read.ok) continue;
      // Still readable: only when the flip renamed the checksum member (the body is intact).
      expect(read.checked).toBe(false);
      expect(read.value).toMatchObject(record);
    }
  });

  it('accepts a file written before checksums, saying it was not checked', () => {
    expect(readCheckedJson(JSON.stringify(record))).toEqual({
      ok: true,
      value: record,
      checked: false,
    });
    expect(readCheckedJson('[1]')).toEqual({ ok: false, error: 'not a JSON object' });
    expect(readCheckedJson('{"a":').ok).toBe(false);
  });
});
