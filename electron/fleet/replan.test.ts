import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import type { AllocationInput } from './allocation-types.js';
import { reassignSection, replan } from './replan.js';
import { sections, tractor } from './test-helpers/fleet.js';

const base: AllocationInput = {
  sections: sections(new Array<number>(20).fill(1000)),
  tractors: [tractor('a', 6, 2), tractor('b', 6, 2), tractor('c', 6, 2)],
  operation: 'tillage',
};

describe('replan', () => {
  it('hands a lost tractor’s remaining work to the others, leaving done ground alone', () => {
    const first = allocate(base);
    const progress = {
      S0: { doneFraction: 1, tractorId: 'a' },
      S1: { doneFraction: 0.4, tractorId: 'a' },
      S19: { doneFraction: 1, tractorId: 'c' },
    };
    const { plan } = replan({ ...base, progress }, first, { kind: 'tractor-lost', tractorId: 'a' });
    expect(plan.tractors.map((t) => t.tractorId).sort()).toEqual(['b', 'c']);
    const by = new Map(plan.assignments.map((x) => [x.sectionId, x]));
    expect(by.get('S0')).toMatchObject({ status: 'done', tractorId: 'a' });
    expect(by.get('S19')).toMatchObject({ status: 'done', tractorId: 'c' });
    expect(by.get('S1')!.remainingM2).toBeCloseTo(600, 6);
    expect(['b', 'c']).toContain(by.get('S1')!.tractorId);
    expect(plan.tractors.reduce((s, t) => s + t.remainingM2, 0)).toBeCloseTo(17600, 6);
  });

  it('shortens the job when a tractor joins', () => {
    const first = allocate(base);
    const { plan } = replan(base, first, { kind: 'tractor-joined', tractor: tractor('d', 6, 2) });
    expect(plan.makespanS).toBeLessThan(first.makespanS);
    expect(plan.tractors.find((t) => t.tractorId === 'd')!.sectionIds.length).toBeGreaterThan(0);
  });

  it('moves work off a tractor that falls behind', () => {
    const first = allocate(base);
    const { plan } = replan(base, first, {
      kind: 'tractor-behind',
      tractorId: 'b',
      measuredRateM2PerS: 4,
    });
    expect(plan.tractors.find((t) => t.tractorId === 'b')!.sectionIds.length).toBeLessThan(
      first.tractors.find((t) => t.tractorId === 'b')!.sectionIds.length,
    );
  });
});

describe('replan: sections moved live', () => {
  it('moves only the named sections, keeps every other run, and pins nothing for later', () => {
    const first = allocate(base);
    const holders = Object.fromEntries(first.assignments.map((x) => [x.sectionId, x.tractorId]));
    const runs = Object.fromEntries(first.tractors.map((t) => [t.tractorId, t.sectionIds]));
    const aRun = first.tractors.find((t) => t.tractorId === 'a')!.sectionIds;
    const tail = aRun.slice(-2);
    // A neighbour's sliver in a section does not take it out of its run.
    const progress = { [aRun[1]!]: { doneFraction: 0.001, tractorId: 'b' } };
    const { plan, input } = replan({ ...base, progress }, first, {
      kind: 'sections-moved',
      sectionIds: tail,
      toTractorId: 'c',
      runs,
    });
    for (const x of plan.assignments) {
      const expected = tail.includes(x.sectionId) ? 'c' : holders[x.sectionId];
      expect([x.sectionId, x.tractorId]).toEqual([x.sectionId, expected]);
      expect(x.locked).toBe(false);
    }
    const c = plan.tractors.find((t) => t.tractorId === 'c')!;
    // The moved sections come after the receiver's own run; every run keeps its order.
    expect(c.sectionIds).toEqual([...runs['c']!, ...tail]);
    expect(plan.tractors.find((t) => t.tractorId === 'a')!.sectionIds).toEqual(aRun.slice(0, -2));
    expect(input.keep).toBeUndefined();
    expect(input.locks).toBeUndefined();
    // A later replan is free to lay the runs out again.
    const later = replan(input, plan, { kind: 'tractor-joined', tractor: tractor('d', 6, 2) });
    expect(later.plan.tractors.find((t) => t.tractorId === 'd')!.sectionIds.length).toBeGreaterThan(
      0,
    );
  });
});

describe('reassignSection', () => {
  it('moves one section, locks it, and reports each tractor’s finish before and after', () => {
    const plan = allocate(base);
    const fromA = plan.tractors.find((t) => t.tractorId === 'a')!.sectionIds[0]!;
    const r = reassignSection(base, plan, fromA, 'c');
    const a = r.tractors.find((t) => t.tractorId === 'a')!;
    const c = r.tractors.find((t) => t.tractorId === 'c')!;
    expect(a.finishAfterS).toBeCloseTo(a.finishBeforeS - 1000 / 12, 6);
    expect(c.finishAfterS).toBeCloseTo(c.finishBeforeS + 1000 / 12, 6);
    expect(r.makespanAfterS).toBeGreaterThanOrEqual(r.makespanBeforeS);
    expect(r.input.locks).toEqual({ [fromA]: 'c' });
    expect(r.plan.assignments.find((x) => x.sectionId === fromA)).toMatchObject({
      tractorId: 'c',
      locked: true,
    });
    // A later replan keeps the operator's choice.
    const again = allocate(r.input);
    expect(again.assignments.find((x) => x.sectionId === fromA)!.tractorId).toBe('c');
  });

  it('refuses to move a done section or to a tractor not in the plan', () => {
    const input = { ...base, progress: { S0: { doneFraction: 1, tractorId: 'a' } } };
    const plan = allocate(input);
    expect(() => reassignSection(input, plan, 'S0', 'b')).toThrow(/done/);
    expect(() => reassignSection(input, plan, 'S3', 'zz')).toThrow(/not in the plan/);
  });
});
