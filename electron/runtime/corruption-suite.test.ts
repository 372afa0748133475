/**
 * Every file of a station's data folder damaged one at a time — truncated, emptied, one bit
 * flipped — after a clean close and after a kill: each start ends in recovery or a clear
 * refusal, with an alert for any loss; never a loss nobody is told of, never a stop lifted.
 * One flip per file here; `npm run bench -- durability` flips many bytes of each.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../time/index.js';
import { buildBaseline, runSuite, type CaseResult } from './test-helpers/corruption-suite.js';

function failures(results: readonly CaseResult[]): CaseResult[] {
  return results.filter((r) => r.outcome === 'silent-loss' || r.outcome === 'stop-lifted');
}

describe('a data folder with one damaged file', () => {
  for (const kind of ['closed', 'crashed'] as const) {
    it(`recovers or refuses clearly, never silently, after the station was ${kind}`, async () => {
      const baseline = await buildBaseline(kind);
      expect(baseline.view.workedM2).toBeGreaterThan(500);
      expect(baseline.view.stops.length).toBeGreaterThan(0);
      const expected = ['audit.log', 'fleet.key', 'job.json', 'jobs.json', 'sync.db'];
      for (const file of expected) expect(baseline.files).toContain(file);
      expect(baseline.files).toContain('link/fleet-outbox.log');
      expect(baseline.files.some((f) => f.endsWith('.hrec'))).toBe(true);
      if (kind === 'crashed') expect(baseline.files).toContain('station.lock');
      // After a kill, the files a clean close does not leave (the rest are covered above).
      const files =
        kind === 'closed'
          ? baseline.files
          : baseline.files.filter((f) => f.startsWith('sync.db') || f === 'station.lock');
      const results = await runSuite(baseline, seededRandom(kind === 'closed' ? 1 : 2), 1, (f) =>
        files.includes(f),
      );
      expect(results).toHaveLength(files.length * 3);
      expect(failures(results), JSON.stringify(failures(results), null, 1)).toEqual([]);
      // A job record cut short or emptied is always said (and every machine held).
      for (const r of results.filter((c) => c.file === 'job.json' && !c.damage.startsWith('bit')))
        expect(r.outcome, JSON.stringify(r)).toBe('recovered');
    }, 120_000);
  }
});
