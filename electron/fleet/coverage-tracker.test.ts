import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageGrid } from './coverage-grid.js';
import { CoverageTracker } from './coverage-tracker.js';
import { insertInterval, newScratch } from './coverage-rows.js';
import { planField } from './plan-field.js';
import { coverageCases, drive, exactAnswer } from './test-helpers/coverage-cases.js';
import { rectField, rectRing } from './test-helpers/fields.js';
import { validateField } from './validate-field.js';

describe('insertInterval', () => {
  it('reports new and repeated parts and merges', () => {
    const row = [0, 2, 5, 7];
    const out = newScratch();
    insertInterval(row, 1, 6, out);
    expect(row).toEqual([0, 7]);
    expect(out.fresh.slice(0, out.freshN)).toEqual([2, 5]);
    expect(out.again.slice(0, out.againN)).toEqual([1, 2, 5, 6]);
  });

  it('keeps the row sorted and disjoint under random inserts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 100, noNaN: true }),
            fc.double({ min: 0, max: 10, noNaN: true }),
          ),
          { maxLength: 60 },
        ),
        (ivs) => {
          const row: number[] = [];
          let unique = 0;
          for (const [s, l] of ivs) {
            const out = newScratch();
            insertInterval(row, s, s + l, out);
            for (let i = 0; i < out.freshN; i += 2) unique += out.fresh[i + 1]! - out.fresh[i]!;
          }
          for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
          let len = 0;
          for (let i = 0; i < row.length; i += 2) len += row[i + 1]! - row[i]!;
          expect(unique).toBeCloseTo(len, 6);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('CoverageTracker', () => {
  it.each(coverageCases().map((c) => ({ name: c.name, c })))(
    'counts unique area within 0.5% of the exact polygon answer: $name',
    ({ c }) => {
      const tracker = new CoverageTracker({ field: c.field });
      tracker.addAll(c.segments);
      const exact = exactAnswer(c);
      expect(Math.abs(tracker.totals.uniqueM2 - exact) / exact).toBeLessThan(0.005);
    },
  );

  it('never counts a pass twice: driving the same swath again adds only overlap', () => {
    const tracker = new CoverageTracker({ field: [rectRing(0, 0, 100, 100)] });
    tracker.addAll(drive('a', [0, 50], [100, 50], 6));
    const once = tracker.totals.uniqueM2;
    tracker.addAll(drive('b', [0, 50], [100, 50], 6));
    expect(tracker.totals.uniqueM2).toBe(once);
    expect(tracker.tractor('b').uniqueM2).toBe(0);
    expect(tracker.tractor('b').overlapM2).toBeCloseTo(once, 6);
    expect(once).toBeGreaterThan(600 * 0.995);
    expect(once).toBeLessThan(600 * 1.005);
  });

  it('excludes holes and ground outside the field', () => {
    const tracker = new CoverageTracker({
      field: [rectRing(0, 0, 100, 100), rectRing(40, 40, 60, 60).reverse()],
    });
    tracker.addAll(drive('a', [-50, 50], [150, 50], 10));
    expect(tracker.totals.uniqueM2).toBeGreaterThan(800 * 0.995);
    expect(tracker.totals.uniqueM2).toBeLessThan(800 * 1.005);
  });

  it('splits unique and overlap area over sections and tractors consistently', () => {
    const v = validateField(rectField('f', 300, 200, [rectRing(120, 60, 170, 110)]));
    if (!v.ok) throw v.error;
    const plan = planField(v.value, {
      swathWidthM: 6,
      headlandPasses: 1,
      maxSectionLengthM: 80,
      workDirectionDeg: 0,
    });
    const tracker = new CoverageTracker({
      field: plan.field,
      sections: plan.sections,
      workDirectionDeg: 0,
    });
    for (const s of plan.sections.slice(0, 40))
      for (const sw of s.swaths) tracker.addAll(drive('a', sw.start, sw.end, sw.widthM));
    tracker.addAll(drive('b', [-200, -100], [200, 100], 8));
    const sum = tracker.summary();
    const bySection = Object.values(sum.sections).reduce((s, t) => s + t.uniqueM2, 0);
    const byTractor = Object.values(sum.tractors).reduce((s, t) => s + t.uniqueM2, 0);
    expect(bySection).toBeCloseTo(sum.uniqueM2, 3);
    expect(byTractor).toBeCloseTo(sum.uniqueM2, 6);
    const overlapBySection = Object.values(sum.sections).reduce((s, t) => s + t.overlapM2, 0);
    expect(overlapBySection).toBeCloseTo(sum.overlapM2, 3);
    expect(sum.overlapM2).toBeGreaterThan(0);
    // A fully driven swath section is (nearly) complete.
    const first = plan.sections[0]!;
    expect(tracker.section(first.id).uniqueM2 / first.areaM2).toBeGreaterThan(0.97);
  });

  it('gives the same totals whatever the order the segments arrive in', () => {
    const c = coverageCases()[1]!;
    const a = new CoverageTracker({ field: c.field });
    const b = new CoverageTracker({ field: c.field });
    a.addAll(c.segments);
    b.addAll([...c.segments].reverse());
    expect(b.totals.uniqueM2).toBeCloseTo(a.totals.uniqueM2, 6);
    expect(b.totals.overlapM2).toBeCloseTo(a.totals.overlapM2, 6);
  });

  it('counts the same on a grid built before (a copy, as from another thread), and trackers sharing it keep their own coverage', () => {
    const v = validateField(rectField('f', 300, 200, [rectRing(120, 60, 170, 110)]));
    if (!v.ok) throw v.error;
    const plan = planField(v.value, { swathWidthM: 6, maxSectionLengthM: 80, workDirectionDeg: 0 });
    const area = { field: plan.field, sections: plan.sections, workDirectionDeg: 0 };
    const grid = structuredClone(coverageGrid(area));
    const own = new CoverageTracker(area);
    const shared = new CoverageTracker(grid);
    const idle = new CoverageTracker(grid);
    const pass = drive('a', [-20, 30], [320, 150], 8);
    own.addAll(pass);
    shared.addAll(pass);
    expect(shared.summary()).toEqual(own.summary());
    expect(shared.totals.uniqueM2).toBeGreaterThan(1000);
    expect(idle.totals).toEqual({ uniqueM2: 0, overlapM2: 0 });
  });

  it('folds straight runs in one go with the same result as segment by segment', () => {
    for (const c of coverageCases()) {
      const one = new CoverageTracker({ field: c.field });
      for (const seg of c.segments) one.add(seg);
      const batch = new CoverageTracker({ field: c.field });
      batch.addAll(c.segments);
      expect(batch.totals.uniqueM2).toBeCloseTo(one.totals.uniqueM2, 3);
      expect(batch.totals.overlapM2).toBeCloseTo(one.totals.overlapM2, 3);
    }
  });

  it('measures worked ground inside any polygon', () => {
    const tracker = new CoverageTracker({ field: [rectRing(0, 0, 100, 100)] });
    tracker.addAll(drive('a', [0, 50], [100, 50], 10));
    expect(tracker.coveredAreaWithin([rectRing(0, 0, 50, 100)])).toBeCloseTo(500, -1);
  });
});
