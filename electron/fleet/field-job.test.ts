import { describe, expect, it } from 'vitest';
import { FieldJob } from './field-job.js';
import type { CoverageSegment } from './coverage-types.js';
import { drive } from './test-helpers/coverage-cases.js';
import { rectField, rectRing } from './test-helpers/fields.js';
import { tractor } from './test-helpers/fleet.js';
import { validateField } from './validate-field.js';

function job(): FieldJob {
  const v = validateField(rectField('job', 400, 240, [rectRing(180, 100, 220, 140)]));
  if (!v.ok) throw v.error;
  return new FieldJob({
    field: v.value,
    plan: { swathWidthM: 6, headlandPasses: 1, maxSectionLengthM: 80 },
    operation: 'tillage',
    tractors: [tractor('a', 6, 3, 0.8), tractor('b', 6, 3, 0.8), tractor('c', 9, 3, 0.8)],
  });
}

/** Drives the first `count` sections of a tractor's run; returns the log. */
function work(
  j: FieldJob,
  tractorId: string,
  count: number,
  speedMps: number,
  t0Ms = 0,
): CoverageSegment[] {
  const ids = j.allocation.tractors
    .find((t) => t.tractorId === tractorId)!
    .sectionIds.slice(0, count);
  const log: CoverageSegment[] = [];
  let t = t0Ms;
  for (const id of ids)
    for (const sw of j.plan.sections.find((s) => s.id === id)!.swaths) {
      const segs = drive(tractorId, sw.start, sw.end, 6, speedMps, 10, t);
      t = segs.at(-1)!.tMs;
      log.push(...segs);
    }
  return log;
}

describe('FieldJob', () => {
  it('tracks progress from coverage and keeps worked ground when a tractor is lost', () => {
    const j = job();
    const log = work(j, 'a', 4, 3);
    j.addCoverage(log);
    const before = j.progress();
    expect(before.uniqueM2).toBeGreaterThan(0);
    const plan = j.applyChange({ kind: 'tractor-lost', tractorId: 'a' });
    expect(plan.tractors.map((t) => t.tractorId).sort()).toEqual(['b', 'c']);
    const done = plan.assignments.filter((x) => x.status === 'done');
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.every((x) => x.tractorId === 'a')).toBe(true);
    expect(plan.tractors.reduce((s, t) => s + t.remainingM2, 0)).toBeCloseTo(
      j.progress().remainingM2,
      -1,
    );
  });

  it('flags a tractor that works far slower than planned', () => {
    const j = job();
    const log = work(j, 'b', 3, 1);
    // The station folds the log once a second, as it arrives.
    for (let i = 0; i < log.length; i += 10) j.addCoverage(log.slice(i, i + 10));
    expect(j.behindSchedule().map((b) => b.tractorId)).toEqual(['b']);
  });

  it('lets the operator drag a section and keeps it there through a replan', () => {
    const j = job();
    const id = j.allocation.tractors.find((t) => t.tractorId === 'a')!.sectionIds.at(-1)!;
    const r = j.reassign(id, 'b');
    expect(r.tractors.find((t) => t.tractorId === 'b')!.finishAfterS).toBeGreaterThan(
      r.tractors.find((t) => t.tractorId === 'b')!.finishBeforeS,
    );
    const plan = j.applyChange({ kind: 'tractor-joined', tractor: tractor('d', 6, 3) });
    expect(plan.assignments.find((x) => x.sectionId === id)!.tractorId).toBe('b');
  });

  it('replans an edited boundary without handing out worked ground, and ignores an invalid edit', () => {
    const j = job();
    const log = work(j, 'a', 3, 3);
    j.addCoverage(log);
    const worked = j.progress().uniqueM2;
    const bad = rectField('job', 400, 240);
    bad.boundary[0]!.pop();
    expect(j.editBoundary(bad, log).ok).toBe(false);
    const r = j.editBoundary(rectField('job', 460, 240, [rectRing(180, 100, 220, 140)]), log);
    expect(r.ok).toBe(true);
    expect(j.progress().uniqueM2).toBeCloseTo(worked, -1);
    const planned = j.allocation.tractors.reduce((s, t) => s + t.remainingM2, 0);
    expect(planned).toBeCloseTo(j.plan.fieldAreaM2 - worked, -2);
  });

  it('says when a machine has used its fill as far as the plan’s next trip for it', () => {
    const v = validateField(rectField('job', 400, 240));
    if (!v.ok) throw v.error;
    // 100 l/ha from 30 l: a fill covers 3000 m², well short of each machine's share.
    const capacity = { kind: 'tank', amount: 30, ratePerHa: 100, fillPerMin: 30 } as const;
    const j = new FieldJob({
      field: v.value,
      plan: { swathWidthM: 6, headlandPasses: 0, maxSectionLengthM: 80 },
      operation: 'tillage',
      tractors: [
        { ...tractor('a', 6, 3), capacity },
        { ...tractor('b', 6, 3), capacity },
      ],
      refillPoint: [0, -20],
    });
    const first = j.refills().trips.find((t) => t.tractorId === 'a');
    if (!first) throw new Error('a trip for a expected');
    const dueM2 = first.usedShare * 3000;
    expect(j.dueForRefill('a', dueM2 - 50)).toBe(false);
    expect(j.dueForRefill('a', dueM2)).toBe(true);
    expect(j.dueForRefill('nobody', 1e9)).toBe(false);
  });
});
