import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import type { AllocationPlan } from './allocation-types.js';
import { PlanningError } from './errors.js';
import { planField } from './plan-field.js';
import { rectField } from './test-helpers/fields.js';
import { sections, tractor } from './test-helpers/fleet.js';
import { validateField } from './validate-field.js';

function freeRuns(plan: AllocationPlan, order: string[]): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const a of plan.assignments)
    if (a.status === 'planned' && !a.locked)
      runs.set(a.tractorId, [...(runs.get(a.tractorId) ?? []), order.indexOf(a.sectionId)]);
  return runs;
}

describe('allocate', () => {
  it('splits equal work evenly between equal tractors, at the lower bound', () => {
    const plan = allocate({
      sections: sections(new Array<number>(12).fill(1000)),
      tractors: [tractor('a', 6, 2), tractor('b', 6, 2), tractor('c', 6, 2)],
      operation: 'tillage',
    });
    expect(plan.tractors.map((t) => t.sectionIds.length)).toEqual([4, 4, 4]);
    expect(plan.makespanS).toBeCloseTo(4000 / 12, 6);
    expect(plan.ratio).toBeCloseTo(1, 9);
  });

  it('gives a faster tractor proportionally more work', () => {
    const plan = allocate({
      sections: sections(new Array<number>(30).fill(500)),
      tractors: [tractor('slow', 3, 2), tractor('fast', 12, 2)],
      operation: 'tillage',
    });
    const fast = plan.tractors.find((t) => t.tractorId === 'fast')!;
    expect(fast.sectionIds.length).toBe(24);
    expect(plan.ratio).toBeLessThan(1.05);
  });

  it('bounds the makespan by the largest indivisible section on the fastest machine', () => {
    const plan = allocate({
      sections: sections([100, 100, 10000, 100]),
      tractors: [tractor('a', 3, 2), tractor('b', 10, 2)],
      operation: 'tillage',
    });
    expect(plan.lowerBoundS).toBeCloseTo(10000 / 20, 6);
    expect(plan.assignments.find((a) => a.sectionId === 'S2')!.tractorId).toBe('b');
  });

  it('charges no time for a section no swath reaches, which no machine drives', () => {
    // S1 and S2 are ground the lines do not cross (their swaths empty); S0 and S3 are worked.
    const plan = allocate({
      sections: sections([1000, 1000, 1000, 1000]).map((s) =>
        s.id === 'S1' || s.id === 'S2' ? { ...s, swaths: [] } : s,
      ),
      tractors: [tractor('a', 6, 2)],
      operation: 'tillage',
    });
    expect(plan.makespanS).toBeCloseTo(2000 / 12, 6);
    expect(plan.lowerBoundS).toBeCloseTo(2000 / 12, 6);
    const s1 = plan.assignments.find((a) => a.sectionId === 'S1');
    expect(s1).toMatchObject({ tractorId: 'a', remainingM2: 1000 });
    expect((s1?.finishS ?? 0) - (s1?.startS ?? 0)).toBe(0);
  });

  it('gives incompatible implements no work and says why', () => {
    const plan = allocate({
      sections: sections([1000, 1000]),
      tractors: [tractor('a', 6, 2), tractor('m', 9, 3, 1, 'mower')],
      operation: 'tillage',
    });
    expect(plan.excluded).toEqual([{ tractorId: 'm', reason: 'incompatible-implement' }]);
    expect(plan.assignments.every((a) => a.tractorId === 'a')).toBe(true);
  });

  it('refuses work no tractor is equipped for', () => {
    expect(() =>
      allocate({
        sections: sections([1000]),
        tractors: [tractor('m', 9, 3, 1, 'mower')],
        operation: 'spraying',
      }),
    ).toThrow(PlanningError);
  });

  it('never reassigns done sections and keeps locked ones where the operator put them', () => {
    const plan = allocate({
      sections: sections(new Array<number>(10).fill(1000)),
      tractors: [tractor('a', 6, 2), tractor('b', 6, 2)],
      operation: 'tillage',
      progress: {
        S0: { doneFraction: 1, tractorId: 'b' },
        S1: { doneFraction: 1, tractorId: 'b' },
      },
      locks: { S9: 'a' },
    });
    const by = new Map(plan.assignments.map((a) => [a.sectionId, a]));
    expect(by.get('S0')).toMatchObject({ status: 'done', tractorId: 'b', remainingM2: 0 });
    expect(by.get('S9')).toMatchObject({ tractorId: 'a', locked: true });
    expect(plan.tractors.reduce((s, t) => s + t.remainingM2, 0)).toBeCloseTo(8000, 6);
  });

  it('keeps a half-worked section with the tractor working it, counting only what is left', () => {
    const plan = allocate({
      sections: sections(new Array<number>(6).fill(1000)),
      tractors: [tractor('a', 6, 2), tractor('b', 6, 2)],
      operation: 'tillage',
      progress: { S5: { doneFraction: 0.5, tractorId: 'a' } },
    });
    const s5 = plan.assignments.find((a) => a.sectionId === 'S5')!;
    expect(s5).toMatchObject({
      tractorId: 'a',
      status: 'in-progress',
      remainingM2: 500,
      startS: 0,
    });
  });

  it('starts each run near its tractor when positions are known', () => {
    const secs = sections(new Array<number>(20).fill(1000)).map((s) => ({
      ...s,
      centroid: [s.order * 10, 0] as [number, number],
    }));
    const plan = allocate({
      sections: secs,
      tractors: [tractor('east', 6, 2), tractor('west', 6, 2)],
      operation: 'tillage',
      positions: { east: [200, 5], west: [-5, 5] },
    });
    expect(plan.tractorOrder).toEqual(['west', 'east']);
    expect(plan.tractors.find((t) => t.tractorId === 'west')!.sectionIds[0]).toBe('S0');
  });

  it('keeps each tractor on one contiguous run, covers every section once and never beats the bound (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 50, max: 5000, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.array(
          fc.record({
            w: fc.double({ min: 2, max: 15, noNaN: true }),
            v: fc.double({ min: 1, max: 4, noNaN: true }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (areas, fleet) => {
          const secs = sections(areas);
          const plan = allocate({
            sections: secs,
            tractors: fleet.map((t, i) => tractor(`t${i}`, t.w, t.v)),
            operation: 'tillage',
          });
          expect(plan.assignments.map((a) => a.sectionId).sort()).toEqual(
            secs.map((s) => s.id).sort(),
          );
          for (const idx of freeRuns(
            plan,
            secs.map((s) => s.id),
          ).values()) {
            idx.sort((a, b) => a - b);
            expect(idx.at(-1)! - idx[0]!).toBe(idx.length - 1);
          }
          expect(plan.makespanS).toBeGreaterThanOrEqual(plan.lowerBoundS * (1 - 1e-6));
          const finish = Math.max(...plan.assignments.map((a) => a.finishS));
          expect(finish).toBeCloseTo(plan.makespanS, 6);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('counts in its bound the way from where the machines stand to the work, and never beats the bound (property)', () => {
    const v = validateField(rectField('f', 240, 120));
    if (!v.ok) throw v.error;
    const field = planField(v.value, {
      swathWidthM: 6,
      headlandPasses: 0,
      maxSectionLengthM: 120,
      workDirectionDeg: 0,
    });
    const fleet = [tractor('a', 6, 3), tractor('b', 6, 3), tractor('c', 6, 2)];
    const far = allocate({
      sections: field.sections,
      tractors: fleet,
      operation: 'tillage',
      positions: { a: [-300, -300], b: [-300, -310], c: [-310, -300] },
    });
    const unknown = allocate({ sections: field.sections, tractors: fleet, operation: 'tillage' });
    // Every machine stands over 400 m from the field (90 s and more at transit speed); the bound
    // that counts that way counts only the turns inside sections, not those between, so it rises
    // by less.
    expect(far.lowerBoundS).toBeGreaterThan(unknown.lowerBoundS + 60);
    expect(far.makespanS).toBeGreaterThanOrEqual(far.lowerBoundS * (1 - 1e-6));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -100, max: 340 }), fc.double({ min: -100, max: 220 })), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.array(fc.double({ min: 0, max: 359 }), { minLength: 3, maxLength: 3 }),
        (spots, headings) => {
          const plan = allocate({
            sections: field.sections,
            tractors: fleet,
            operation: 'tillage',
            positions: { a: spots[0]!, b: spots[1]!, c: spots[2]! },
            headingsDeg: { a: headings[0]!, b: headings[1]!, c: headings[2]! },
          });
          expect(plan.makespanS).toBeGreaterThanOrEqual(plan.lowerBoundS * (1 - 1e-6));
        },
      ),
      { numRuns: 40, seed: 5 },
    );
  });

  it('charges nothing for a section in work whose swaths are all driven, nor times the run from it', () => {
    const v = validateField(rectField('f', 240, 120));
    if (!v.ok) throw v.error;
    const field = planField(v.value, {
      swathWidthM: 6,
      headlandPasses: 0,
      maxSectionLengthM: 120,
      workDirectionDeg: 0,
    });
    const [left, next] = field.sections;
    if (!left || !next) throw new Error('two sections expected');
    // The machine left a sliver no pass reaches in `left` and works `next` now.
    const plan = (drivenOut: boolean): AllocationPlan =>
      allocate({
        sections: field.sections,
        tractors: [tractor('a', 6, 3)],
        operation: 'tillage',
        progress: {
          [left.id]: { doneFraction: 0.9, tractorId: 'a', ...(drivenOut ? { drivenOut } : {}) },
          [next.id]: { doneFraction: 0.3, tractorId: 'a' },
        },
        keep: { a: field.sections.map((s) => s.id) },
      });
    const out = plan(true);
    const byId = (p: AllocationPlan, id: string) => p.assignments.find((a) => a.sectionId === id)!;
    const sliver = byId(out, left.id);
    // Still reported, never charged.
    expect(sliver.remainingM2).toBeCloseTo(left.areaM2 * 0.1, 6);
    expect(sliver.finishS - sliver.startS).toBe(0);
    // The run starts where the machine works: the section it is in needs no reaching.
    const working = byId(out, next.id);
    expect(working).toMatchObject({ startS: 0, status: 'in-progress' });
    const asBefore = byId(plan(false), next.id);
    expect(working.finishS).toBeLessThan(asBefore.finishS - 1);
  });
});
