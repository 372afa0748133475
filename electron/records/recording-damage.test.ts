/**
 * A damaged recording is never cut short or overwritten in silence: the reader skips a damaged
 * chunk and resynchronises on the next one that verifies (the chunks carry CRCs), the writer
 * keeps a damaged file aside before it carries on, and both say what was skipped.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_HEADER_BYTES, CHUNK_MAGIC } from './recording-format.js';
import { RecordingReader } from './recording-reader.js';
import { scanRecording } from './recording-scan.js';
import { RecordingWriter } from './recording-writer.js';

const HEADER = { version: 1 as const, jobId: 'job-d', startedAtWallMs: 1_000, station: 'test' };

/** One tractor for `durationMs`, an event every second: many event and telemetry chunks. */
function writeTrip(path: string, durationMs: number): void {
  const writer = RecordingWriter.open(path, HEADER);
  writer.event({
    atMs: 0,
    atWallMs: 1_000,
    type: 'tractor',
    idx: 0,
    id: 't0',
    name: 'T0',
    implementWidthM: 12,
  });
  for (let t = 0; t <= durationMs; t += 100) {
    writer.sample(
      { tractorIdx: 0, atMs: t, lon: 10 + t * 1e-8, lat: 52, headingDeg: 90, speedMps: 2.5 },
      { state: 'working', mode: 'autonomous', currentSectionId: 's1' },
    );
    if (t % 1_000 === 0)
      writer.event({
        atMs: t,
        atWallMs: 1_000 + t,
        type: 'audit',
        kind: 'confirm',
        actor: 't0',
        subject: 'stop',
        detail: `at ${t}`,
      });
  }
  writer.close();
}

/** Offsets of the chunk headers, in file order. */
function chunkOffsets(path: string): number[] {
  const scan = scanRecording(path);
  if (!scan.ok) throw new Error(scan.error);
  return scan.value.chunks.map((c) => c.bodyOffset - CHUNK_HEADER_BYTES);
}

/** Flips a byte inside the body of the chunk at `offset`. */
function damageChunkAt(path: string, offset: number): void {
  const bytes = readFileSync(path);
  expect(bytes.readUInt32LE(offset)).toBe(CHUNK_MAGIC);
  const at = offset + CHUNK_HEADER_BYTES + 3;
  bytes[at] = (bytes[at] ?? 0) ^ 0x40;
  writeFileSync(path, bytes);
}

const folder = (): string => mkdtempSync(join(tmpdir(), 'headland-recdmg-'));

describe('a damaged recording', () => {
  it('is read past a damaged chunk in the middle, saying what was skipped', () => {
    const path = join(folder(), 'job-d.hrec');
    writeTrip(path, 60_000);
    const whole = RecordingReader.open(path);
    const offsets = chunkOffsets(path);
    damageChunkAt(path, offsets[Math.floor(offsets.length / 2)] ?? 0);
    const read = RecordingReader.open(path);
    // Everything after the damage is still there (it was cut off at the bad chunk).
    expect(read.durationMs).toBe(whole.durationMs);
    expect(read.fleetAt(59_000)[0]?.sample).not.toBeNull();
    expect(read.events.length).toBeGreaterThan(whole.events.length * 0.9);
    expect(read.events.at(-1)).toEqual(whole.events.at(-1));
    expect(read.problems.join()).toMatch(/damaged byte\(s\) skipped at offset \d+/);
  });

  it('is carried on after a restart without cutting what follows the damage, a copy kept aside', () => {
    const path = join(folder(), 'job-d.hrec');
    writeTrip(path, 60_000);
    const size = statSync(path).size;
    const offsets = chunkOffsets(path);
    damageChunkAt(path, offsets[Math.floor(offsets.length / 3)] ?? 0);
    const writer = RecordingWriter.open(path, { ...HEADER, startedAtWallMs: 77 });
    expect(writer.problem).toMatch(
      /damaged byte\(s\) skipped at offset \d+ .*a copy of the damaged file is kept at .*job-d\.hrec\.corrupt-77/,
    );
    expect(writer.size()).toBe(size);
    writer.close();
    expect(readFileSync(`${path}.corrupt-77`).length).toBe(size);
    expect(RecordingReader.open(path).durationMs).toBe(60_000);
  });

  it('with a damaged header is put aside whole, never overwritten, and a new one begun', () => {
    const path = join(folder(), 'job-d.hrec');
    writeTrip(path, 20_000);
    const bytes = readFileSync(path);
    const at = bytes.indexOf('"jobId"');
    bytes[at + 2] = (bytes[at + 2] ?? 0) ^ 0x01;
    writeFileSync(path, bytes);
    const writer = RecordingWriter.open(path, { ...HEADER, startedAtWallMs: 88 });
    expect(writer.problem).toMatch(
      /could not be continued \(recording header is damaged\); kept at .*job-d\.hrec\.corrupt-88, a new recording begun/,
    );
    writer.close();
    expect(readFileSync(`${path}.corrupt-88`)).toEqual(bytes);
    expect(existsSync(path)).toBe(true);
  });

  it('whose tail was torn (a crash, or the file cut short) is cut there, saying how much', () => {
    const path = join(folder(), 'job-d.hrec');
    writeTrip(path, 20_000);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 7));
    const writer = RecordingWriter.open(path, HEADER);
    expect(writer.problem).toMatch(/ended in \d+ byte\(s\) that do not form a chunk .*cut off/);
    writer.close();
    // Closed cleanly, it reopens with nothing to say.
    expect(RecordingWriter.open(path, HEADER).problem).toBeNull();
  });
});
