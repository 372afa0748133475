import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { allocate } from './allocate.js';
import { CoverageTracker } from './coverage-tracker.js';
import { PACE_MAX, PaceMeter } from './pace-meter.js';
import { planField } from './plan-field.js';
import { progressReport } from './progress.js';
import { drive } from './test-helpers/coverage-cases.js';
import { rectField } from './test-helpers/fields.js';
import { tractor } from './test-helpers/fleet.js';
import { validateField } from './validate-field.js';

/** One machine on a 300 × 120 m field, worked swath by swath on a ManualClock. */
function oneMachine() {
  const v = validateField(rectField('f', 300, 120));
  if (!v.ok) throw v.error;
  const plan = planField(v.value, {
    swathWidthM: 6,
    headlandPasses: 0,
    maxSectionLengthM: 150,
    workDirectionDeg: 0,
  });
  const alloc = allocate({
    sections: plan.sections,
    tractors: [tractor('a', 6, 3)],
    operation: 'tillage',
  });
  const tracker = new CoverageTracker({
    field: plan.field,
    sections: plan.sections,
    workDirectionDeg: 0,
  });
  const swaths = alloc.tractors[0]!.sectionIds.flatMap(
    (id) => plan.sections.find((s) => s.id === id)!.swaths,
  );
  const clock = new ManualClock();
  const pace = new PaceMeter();
  const eta = (): number =>
    progressReport(plan.sections, alloc, tracker.summary(), { pace, nowMs: clock.now() }).etaS;
  /** Works the next swath at `slowdown` times the plan's time for it. */
  let next = 0;
  const work = (slowdown: number): void => {
    const sw = swaths[next++]!;
    const plannedS =
      (alloc.tractors[0]!.finishS * sw.lengthM * sw.widthM) / alloc.tractors[0]!.remainingM2;
    clock.advance(plannedS * 1000 * slowdown);
    tracker.addAll(drive('a', sw.start, sw.end, 6));
    pace.record('a', clock.now(), tracker.tractor('a').uniqueM2);
  };
  return { alloc, clock, pace, eta, work, swaths };
}

describe('PaceMeter and the ETA', () => {
  it('moves the ETA down with the work at the planned pace, near the plan’s time left', () => {
    const { alloc, clock, eta, work } = oneMachine();
    const planned = alloc.tractors[0]!.finishS;
    expect(eta()).toBeCloseTo(planned, 0);
    const etas: number[] = [];
    for (let k = 0; k < 20; k++) {
      work(1);
      etas.push(eta());
    }
    for (let k = 1; k < etas.length; k++) expect(etas[k]!).toBeLessThan(etas[k - 1]!);
    const elapsedS = clock.now() / 1000;
    expect(Math.abs(etas.at(-1)! - (planned - elapsedS))).toBeLessThan(0.1 * (planned - elapsedS));
  });

  it('learns a machine slower than planned: the ETA leans to its measured pace', () => {
    const { alloc, clock, eta, work } = oneMachine();
    for (let k = 0; k < 20; k++) work(1.5);
    const planned = alloc.tractors[0]!.finishS;
    const plannedLeft = planned - clock.now() / 1000 / 1.5;
    // Half as slow again as planned: the ETA is well above the plan's time left, towards 1.5 times
    // it (the plan still weighs in through its prior).
    expect(eta()).toBeGreaterThan(1.2 * plannedLeft);
    expect(eta()).toBeLessThan(1.55 * plannedLeft);
  });

  it('does not grow without bound while a machine waits, and comes down once it works again', () => {
    const { clock, eta, work } = oneMachine();
    for (let k = 0; k < 10; k++) work(1);
    const before = eta();
    const seen: number[] = [];
    for (let s = 0; s < 3_600; s += 60) {
      clock.advance(60_000);
      seen.push(eta());
    }
    expect(Math.max(...seen)).toBeLessThanOrEqual(before * PACE_MAX);
    // The open wait counts up to MAX_COUNTED_GAP_MS, then the ETA stands still.
    expect(seen.at(-1)).toBe(seen.at(-30));
    const waited = seen.at(-1)!;
    work(1);
    work(1);
    expect(eta()).toBeLessThan(waited);
  });

  it('is 1 (the plan) before a machine has reported any work', () => {
    expect(new PaceMeter().pace('a', 0.05, 600, 10_000)).toBe(1);
  });
});
