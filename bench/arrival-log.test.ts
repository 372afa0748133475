import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFrame } from '../electron/can/index.js';
import { ArrivalLog } from './arrival-log.js';

describe('arrival log', () => {
  it('gives back every frame, stamp and arrival in the order heard, past its first capacity', () => {
    const log = new ArrivalLog();
    const frames = Array.from({ length: 70_000 }, (_, i) => ({
      id: i % 2 === 0 ? 0x18ff4180 + (i % 7) : 0x123,
      extended: i % 2 === 0,
      data: Uint8Array.from({ length: i % 9 }, (_, b) => (i + b) & 0xff),
      timestampMs: 1_767_225_600_000 + i * 0.25,
    }));
    frames.forEach((frame, i) => log.record(frame, 1_767_225_600_000.5 + i * 0.25));
    const lines = log.lines();
    expect(log.size).toBe(frames.length);
    expect(lines[0]).toBe(`${formatFrame(frames[0]!)} 1767225600000 1767225600000.5`);
    for (const i of [1, 8, 65_535, 65_536, 69_999]) {
      const [frame, stamp, arrived] = (lines[i] ?? '').split(' ');
      expect(frame).toBe(formatFrame(frames[i]!));
      expect(Number(stamp)).toBe(frames[i]!.timestampMs);
      expect(Number(arrived)).toBe(1_767_225_600_000.5 + i * 0.25);
    }
  });

  it('writes one line a frame', () => {
    const log = new ArrivalLog();
    log.record({ id: 0x7ff, extended: false, data: new Uint8Array([1, 2]), timestampMs: 5 }, 6);
    const path = join(mkdtempSync(join(tmpdir(), 'arrivals-')), 'arrivals.txt');
    log.writeTo(path);
    expect(readFileSync(path, 'utf8')).toBe('7FF#0102 5 6\n');
  });
});
