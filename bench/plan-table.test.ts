import { describe, expect, it } from 'vitest';
import type { ExecutedRun } from './plan-executed.js';
import type { RecordedRun } from './plan-runs-file.js';
import { codeHeading, planTable } from './plan-table.js';

const REV = { code: '0123456789abcdef', commit: 'a'.repeat(40), dirty: false };

function recorded(run: Partial<ExecutedRun> & { field: string; tractors: number }): RecordedRun {
  const refill = run.refill !== undefined;
  return {
    kind: refill ? 'refill' : 'plain',
    revision: REV,
    recordedAt: '2026-12-07T20:00:00.000Z',
    wallS: 30,
    run: {
      plannedS: 200,
      lowerBoundS: 180,
      executedS: 210,
      capped: false,
      fraction: 0.98,
      idleShares: [0.01, 0.052],
      etaErrorPct: [4, 1.6],
      etaSignedPct: [4, -1.6, null],
      etaMissing: 0,
      ...run,
    },
  };
}

const FULL = {
  plain: [
    { field: 'Small paddock', tractors: 2 },
    { field: 'Small paddock', tractors: 3 },
    { field: 'Wedge', tractors: 2 },
  ],
  refill: [{ field: 'Small paddock', tractors: 2 }],
};

describe('the executed-plan table', () => {
  it('gives a row per field and fleet in the benchmark order, the figures, and what is left', () => {
    const text = planTable(
      [
        recorded({ field: 'Wedge', tractors: 2, capped: true, fraction: 0.939, executedS: 600 }),
        recorded({ field: 'Small paddock', tractors: 2 }),
        // The same key again (two sessions at once): the first counts.
        recorded({ field: 'Small paddock', tractors: 2, executedS: 999 }),
        recorded({
          field: 'Small paddock',
          tractors: 2,
          refill: { trips: 5, plannedQueueS: 0, waitedS: 2.46 },
        }),
      ],
      FULL,
    );
    const lines = text.split('\n');
    const rows = lines.filter((l) => /^\| (Small|Wedge)/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /^\| Small paddock \| 2 +\| 200\.0 +\| 210\.0 +\| 1\.050 +\| 1\.167 +\| 5\.2 +\| \+4\.0\/−1\.6\/— +\| no +\|$/,
    );
    expect(rows[1]).toMatch(/^\| Wedge +\| 2 .*\| 600\.0 .*\| 3\.000 .*\| yes \(93\.9% done\) \|$/);
    expect(rows[2]).toMatch(/\| no +\| 5 +\| 0\.0 +\| 2\.5 +\|$/);
    expect(lines.find((l) => l.startsWith('| field') && l.includes('trips'))).toContain(
      'planned queue s | waited s',
    );
    expect(text).toContain("Figures over these 2 runs, 1 of the full run's not yet made:");
    expect(text).toContain('- `plan.executed_vs_planned_ratio_max` 3 ratio (worst Wedge × 2)');
    expect(text).toContain('- `plan.refill_queue_s_max` 2.5 s (worst Small paddock × 2)');
    expect(text).toContain('Not yet run: Small paddock × 3.');
  });

  it('says when a kind has no runs', () => {
    const text = planTable([recorded({ field: 'Small paddock', tractors: 3 })], FULL);
    expect(text).toContain('### With a refill point\n\nNo runs recorded.');
    expect(text).toContain('Not yet run: Small paddock × 2, Wedge × 2.');
  });

  it('heads the runs of one code with its key and the commits they were recorded at', () => {
    const before = recorded({ field: 'Small paddock', tractors: 2 });
    // Recorded after a commit of documentation alone: the same code, another commit.
    const after = {
      ...recorded({ field: 'Wedge', tractors: 2 }),
      revision: { ...REV, commit: 'b'.repeat(40) },
    };
    expect(codeHeading(REV, [before, after, before])).toBe(
      '## Executed-plan runs of code 0123456789abcdef (recorded at aaaaaaa, bbbbbbb)',
    );
    const edited = { ...REV, dirty: true, diff: 'c'.repeat(64) };
    expect(codeHeading(edited, [])).toBe(
      '## Executed-plan runs of code 0123456789abcdef+dirty(cccccccc)',
    );
  });
});
