import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import type { AllocationPlan } from './allocation-types.js';
import type { CoverageSummary } from './coverage-types.js';
import { replanBoundary } from './boundary-change.js';
import { CoverageTracker } from './coverage-tracker.js';
import { planField } from './plan-field.js';
import { progressReport, sectionProgress, WorkRateMeter } from './progress.js';
import { drive } from './test-helpers/coverage-cases.js';
import { rectField } from './test-helpers/fields.js';
import { tractor } from './test-helpers/fleet.js';
import { validateField } from './validate-field.js';

function setup() {
  const v = validateField(rectField('f', 300, 120));
  if (!v.ok) throw v.error;
  const plan = planField(v.value, {
    swathWidthM: 6,
    headlandPasses: 0,
    maxSectionLengthM: 150,
    workDirectionDeg: 0,
  });
  const fleet = [tractor('a', 6, 3), tractor('b', 6, 3)];
  const alloc = allocate({ sections: plan.sections, tractors: fleet, operation: 'tillage' });
  const tracker = new CoverageTracker({
    field: plan.field,
    sections: plan.sections,
    workDirectionDeg: 0,
  });
  return { plan, alloc, tracker, fleet };
}

/** Machine a stands 300 m west of the field: its run starts with a long transit. */
function allocateWithAFarWest(
  plan: ReturnType<typeof setup>['plan'],
  fleet: ReturnType<typeof setup>['fleet'],
): ReturnType<typeof allocate> {
  return allocate({
    sections: plan.sections,
    tractors: fleet,
    operation: 'tillage',
    positions: { a: [-300, 60], b: [150, 60] },
  });
}

describe('WorkRateMeter', () => {
  it('measures unique area per second over its window and waits for enough data', () => {
    const meter = new WorkRateMeter(60_000);
    meter.record('a', 0, 0);
    meter.record('a', 5_000, 90);
    expect(meter.rateM2PerS('a')).toBeUndefined();
    for (let t = 10_000; t <= 200_000; t += 10_000) meter.record('a', t, (t / 1000) * 18);
    expect(meter.rateM2PerS('a')).toBeCloseTo(18, 6);
  });
});

describe('progressReport', () => {
  it('reports progress from unique area only and an ETA from the rate', () => {
    const { plan, alloc, tracker } = setup();
    const first = plan.sections.find((s) => alloc.tractors[0]!.sectionIds.includes(s.id))!;
    for (const sw of first.swaths) {
      tracker.addAll(drive(alloc.tractors[0]!.tractorId, sw.start, sw.end, 6));
      tracker.addAll(drive(alloc.tractors[0]!.tractorId, sw.start, sw.end, 6));
    }
    const report = progressReport(plan.sections, alloc, tracker.summary());
    const t0 = report.tractors[0]!;
    expect(report.uniqueM2).toBeCloseTo(first.areaM2, -1);
    expect(report.overlapM2).toBeCloseTo(first.areaM2, -1);
    expect(report.fraction).toBeCloseTo(first.areaM2 / (300 * 120), 2);
    expect(t0.remainingM2).toBeCloseTo(alloc.tractors[0]!.remainingM2 - first.areaM2, -1);
    // Without a measured pace the ETA is the plan's own time for what is left.
    const plannedLeft = alloc.assignments
      .filter((a) => a.tractorId === t0.tractorId && a.sectionId !== first.id)
      .reduce((sum, a) => sum + a.finishS - a.startS, 0);
    expect(t0.pace).toBe(1);
    expect(t0.etaS).toBeCloseTo(plannedLeft, 0);
    expect(report.etaS).toBe(Math.max(...report.tractors.map((t) => t.etaS)));
  });

  it('counts the way to a machine’s first section down while it drives there, never past it', () => {
    const { plan, tracker, fleet } = setup();
    const alloc = allocateWithAFarWest(plan, fleet);
    const a = alloc.tractors.find((t) => t.tractorId === 'a')!;
    const first = alloc.assignments.find((x) => x.sectionId === a.sectionIds[0])!;
    expect(first.reachS).toBeGreaterThan(30);
    const eta = (planAgeS?: number): number =>
      progressReport(plan.sections, alloc, tracker.summary(), {
        ...(planAgeS === undefined ? {} : { planAgeS }),
      }).tractors.find((t) => t.tractorId === 'a')!.etaS;
    const atPlan = eta();
    expect(eta(0)).toBeCloseTo(atPlan, 6);
    expect(eta(20)).toBeCloseTo(atPlan - 20, 6);
    // Past the planned transit the machine has not reached its work: the ETA stops falling.
    expect(eta(first.reachS + 500)).toBeCloseTo(atPlan - first.reachS, 6);
    // Once it has started the section, its transit is behind it whatever the plan's age.
    const section = plan.sections.find((x) => x.id === first.sectionId)!;
    const sw = section.swaths[0]!;
    tracker.addAll(drive('a', sw.start, sw.end, 6));
    expect(eta(1)).toBeLessThan(atPlan - first.reachS);
  });

  it('counts the drive to a later section down while the machine drives there, and not after', () => {
    const { plan, tracker, fleet } = setup();
    const alloc = allocateWithAFarWest(plan, fleet);
    const a = alloc.tractors.find((t) => t.tractorId === 'a')!;
    // The first later section of its run that it drives to (the others follow on by a turn).
    const k = a.sectionIds.findIndex(
      (id, i) => i > 0 && alloc.assignments.find((x) => x.sectionId === id)!.reachS > 5,
    );
    expect(k).toBeGreaterThan(0);
    const nextId = a.sectionIds[k]!;
    const next = alloc.assignments.find((x) => x.sectionId === nextId)!;
    // Every section before it is driven out and none of it yet.
    const before = new Set(a.sectionIds.slice(0, k));
    const eta = (idleS: number, nextShare = 0): number =>
      progressReport(plan.sections, alloc, tracker.summary(), {
        drivenShare: (id) => (before.has(id) ? 1 : id === nextId ? nextShare : 0),
        planAgeS: 1_000,
        idleS: () => idleS,
      }).tractors.find((t) => t.tractorId === 'a')!.etaS;
    const leaving = eta(0);
    expect(eta(next.reachS / 2)).toBeCloseTo(leaving - next.reachS / 2, 6);
    // Held up on the way: the ETA stops falling at the planned drive.
    expect(eta(next.reachS + 60)).toBeCloseTo(leaving - next.reachS, 6);
    // A tenth of the section driven: the drive there is behind, and a tenth of the rest.
    const bodyS = next.finishS - next.startS - next.reachS;
    expect(eta(0, 0.1)).toBeCloseTo(leaving - next.reachS - 0.1 * bodyS, 6);
  });

  it('counts a turn inside a section out once the swath after it is started, not by swath length', () => {
    // One machine, one section of two 60 m swaths side by side (a U-turn between them): 5 s to
    // reach it, 15 s of turn, 30 s of work.
    const swaths = [
      {
        start: [0, 0] as [number, number],
        end: [60, 0] as [number, number],
        widthM: 6,
        lengthM: 60,
      },
      {
        start: [60, 6] as [number, number],
        end: [0, 6] as [number, number],
        widthM: 6,
        lengthM: 60,
      },
    ];
    const sections = [{ id: 's', areaM2: 720, workLengthM: 120, swaths }];
    const plan: AllocationPlan = {
      operation: 'tillage',
      assignments: [
        {
          sectionId: 's',
          tractorId: 'a',
          status: 'planned',
          locked: false,
          remainingM2: 720,
          startS: 0,
          finishS: 50,
          travelS: 20,
          reachS: 5,
        },
      ],
      tractors: [
        {
          tractorId: 'a',
          rateM2PerS: 24,
          sectionIds: ['s'],
          remainingM2: 720,
          finishS: 50,
          travelS: 20,
        },
      ],
      tractorOrder: ['a'],
      excluded: [],
      releasedLocks: [],
      makespanS: 50,
      lowerBoundS: 30,
      ratio: 50 / 30,
    };
    const coverage = (m2: number): CoverageSummary => ({
      fieldAreaM2: 720,
      uniqueM2: m2,
      overlapM2: 0,
      tractors: { a: { uniqueM2: m2, overlapM2: 0 } },
      sections: { s: { uniqueM2: m2, overlapM2: 0 } },
    });
    const eta = (driven: number, started: boolean[], idleS: number): number =>
      progressReport(sections, plan, coverage(driven * 720), {
        drivenShare: () => driven,
        startedSwaths: () => started,
        idleS: () => idleS,
        planAgeS: 1_000,
      }).etaS;
    // The first swath driven: the whole turn and half the work are ahead…
    expect(eta(0.5, [true, false], 0)).toBeCloseTo(15 + 15, 6);
    // …and the turn counts down while the machine turns, no further than the plan's turn.
    expect(eta(0.5, [true, false], 10)).toBeCloseTo(5 + 15, 6);
    expect(eta(0.5, [true, false], 40)).toBeCloseTo(15, 6);
    // The second swath started: the turn is behind, only its work is left.
    expect(eta(0.6, [true, true], 0)).toBeCloseTo(0.4 * 30, 6);
  });

  it('feeds allocation: a worked section becomes done and is not handed out again', () => {
    const { plan, alloc, tracker, fleet } = setup();
    const s = plan.sections[0]!;
    for (const sw of s.swaths) tracker.addAll(drive('a', sw.start, sw.end, 6.2));
    const progress = sectionProgress(plan.sections, tracker.summary(), alloc);
    expect(progress[s.id]!.doneFraction).toBeGreaterThan(0.999);
    const next = allocate({
      sections: plan.sections,
      tractors: fleet,
      operation: 'tillage',
      progress,
    });
    expect(next.assignments.find((a) => a.sectionId === s.id)!.status).toBe('done');
  });
});

describe('replanBoundary', () => {
  it('replans an edited boundary in the same frame, carrying worked ground into the new sections', () => {
    const { plan, tracker } = setup();
    for (const s of plan.sections.slice(0, 4))
      for (const sw of s.swaths) tracker.addAll(drive('a', sw.start, sw.end, 6));
    const worked = tracker.totals.uniqueM2;
    const bigger = rectField('f', 360, 120);
    const r = replanBoundary(bigger, plan, tracker, 150);
    if (!r.ok) throw r.error;
    expect(r.value.plan.origin).toEqual(plan.origin);
    const carried = r.value.plan.sections.reduce(
      (sum, s) => sum + r.value.progress[s.id]!.doneFraction * s.areaM2,
      0,
    );
    expect(carried).toBeCloseTo(worked, -1);
    expect(r.value.plan.fieldAreaM2).toBeCloseTo(360 * 120, -1);
  });

  it('refuses an invalid edit and leaves the plan as it was', () => {
    const { plan, tracker } = setup();
    const bad = rectField('f', 300, 120);
    bad.boundary[0]!.pop();
    const r = replanBoundary(bad, plan, tracker, 150);
    expect(r.ok).toBe(false);
  });
});
