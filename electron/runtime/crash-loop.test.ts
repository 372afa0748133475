/**
 * kill -9 at random moments of a running job — and inside a compaction of sync.db and halfway
 * through a recording chunk — then a restart, compared with what the station had reported: at
 * most the last second of the fleet's work is lost, and no stop. A few quick rounds on a
 * simulated clock; `npm run bench -- durability` runs many on the real one.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingReader } from '../records/index.js';
import { crashLoop } from './test-helpers/crash-loop.js';

describe('a station killed with -9 at random moments', () => {
  it('loses at most the last second of reported work and never a stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-kill-'));
    const results = await crashLoop({
      dataDir,
      rounds: ['random', 'compaction', 'chunk'],
      clock: 'manual',
      link: 'local',
      seed: 18,
      minRunMs: 1_000,
      maxRunMs: 3_000,
      armMinMs: 20_000,
      armMaxMs: 60_000,
    });
    const summary = results.map((r) => ({
      point: r.crashPoint,
      lostM2: Math.round(r.lostM2),
      lostS: Number(r.lostS.toFixed(3)),
      rate: Math.round(r.rateM2PerS),
      reported: Math.round(r.reportedM2),
      stopsLost: r.stopsLost,
      held: r.heldAtStart,
    }));
    // Work was done and reported in every round (the kills did not all come before any).
    expect(results.at(-1)?.reportedM2 ?? 0, JSON.stringify(summary)).toBeGreaterThan(1_000);
    for (const r of results) {
      expect(r.lostS, JSON.stringify(summary)).toBeLessThanOrEqual(1);
      expect(r.stopsLost).toEqual([]);
      // A crash is not damage: no restart after a kill is held in doubt.
      expect(r.heldAtStart, JSON.stringify(summary)).toBe(false);
      expect(r.jobState).toMatch(/paused|stopped/);
    }
    expect(results.flatMap((r) => r.stops).length, JSON.stringify(summary)).toBeGreaterThan(0);
    // The recording survived a kill halfway through a chunk: readable, the torn part cut.
    const recordings = join(dataDir, 'recordings');
    const file = readdirSync(recordings).find((f) => f.endsWith('.hrec'));
    expect(file).toBeDefined();
    expect(RecordingReader.open(join(recordings, file ?? '')).durationMs).toBeGreaterThan(10_000);
  }, 120_000);
});
