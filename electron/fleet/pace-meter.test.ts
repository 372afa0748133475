import { describe, expect, it } from 'vitest';
import { FieldJob } from './field-job.js';
import { PACE_MAX, PaceMeter } from './pace-meter.js';
import { rectField } from './test-helpers/fields.js';
import { tractor } from './test-helpers/fleet.js';
import { RunRig, type RigStep } from './test-helpers/run-rig.js';
import { validateField } from './validate-field.js';

const SPEED_MPS = 3;

/** `ids` machines at 3 m/s on a 300 × 120 m field of 6 m swaths, two sections to a row. */
function rig(ids: readonly string[]): RunRig {
  const v = validateField(rectField('f', 300, 120));
  if (!v.ok) throw v.error;
  return new RunRig(
    new FieldJob({
      field: v.value,
      plan: { swathWidthM: 6, headlandPasses: 0, maxSectionLengthM: 150, workDirectionDeg: 0 },
      operation: 'tillage',
      tractors: ids.map((id) => tractor(id, 6, SPEED_MPS)),
    }),
  );
}

/** The steps of a script up to (not including) its `n`-th drive or turn after the first swath. */
function untilWay(steps: readonly RigStep[], n: number): number {
  let seen = 0;
  return steps.findIndex((s, i) => i > 0 && s.kind === 'way' && ++seen === n);
}

const err = (eta: number, left: number): number => Math.abs(eta - left) / left;

describe('PaceMeter and the ETA', () => {
  it('tells the time left through work and turns alike when the machine keeps to the plan', () => {
    const r = rig(['a']);
    const steps = r.planned('a', SPEED_MPS);
    expect(steps.filter((s) => s.kind === 'way').length).toBeGreaterThan(5);
    r.script('a', steps);
    const errs: number[] = [];
    for (let k = 0; k < 40; k++) {
      r.run(7);
      if (r.leftS('a') > 60) errs.push(err(r.eta('a'), r.leftS('a')));
    }
    // Read right after a turn as well as along a swath: a turn the plan times right is behind
    // the machine on both sides of the pace, so it is not counted again in the time left.
    expect(Math.max(...errs)).toBeLessThan(0.005);
  });

  it('learns a machine slower than planned along its swaths', () => {
    const r = rig(['a']);
    r.script('a', r.planned('a', SPEED_MPS / 1.5));
    r.run(r.leftS('a') / 2);
    const p = r.progress().tractors[0]!;
    // Half as slow again at work: the ETA is well above the plan's time left, towards 1.5 times
    // it (the plan still weighs in through its prior, the turns keep to the plan).
    expect(p.etaS).toBeGreaterThan(1.25 * p.plannedLeftS);
    expect(err(p.etaS, r.leftS('a'))).toBeLessThan(0.15);
  });

  it('counts a wait under the separation guard as a delay served, not as the machine’s pace', () => {
    const r = rig(['a']);
    const steps = r.planned('a', SPEED_MPS);
    const k = untilWay(steps, 3);
    r.script('a', [...steps.slice(0, k), { kind: 'held', s: 60 }]);
    const holdEndsS = r.leftS('a');
    r.script('a', steps.slice(k));
    r.run(holdEndsS - 58);
    const held = r.eta('a');
    r.run(30);
    // Standing held, the machine gets no further and its ETA does not count down.
    expect(r.eta('a')).toBeGreaterThan(held - 1);
    r.run(28 + 40);
    // Back at work, the wait is behind it: the ETA is the time its work and way take.
    expect(err(r.eta('a'), r.leftS('a'))).toBeLessThan(0.03);
  });

  it('weighs one machine’s way round another on the fleet’s way pace, not on its own ETA alone', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const r = rig(ids);
    for (const id of ids) {
      const steps = r.planned(id, SPEED_MPS);
      const k = untilWay(steps, 2);
      // Machine a drives 40 s further than its plan on its second drive or turn (round another).
      const detour: RigStep[] = id === 'a' ? [{ kind: 'way', s: 40 }] : [];
      r.script(id, [...steps.slice(0, k), ...detour, ...steps.slice(k)]);
    }
    r.run(r.leftS('a') / 2);
    expect(err(r.eta('a'), r.leftS('a'))).toBeLessThan(0.05);
  });

  it('does not carry one machine’s slow stretch of swath onto the rest of its run', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const r = rig(ids);
    for (const id of ids) {
      const steps = r.planned(id, SPEED_MPS);
      // Machine a drives its second swath at a third of its speed (behind another on the line).
      const k = steps.findIndex((s, i) => i > 1 && s.kind === 'work');
      const slow = steps.map((s, i) =>
        id === 'a' && i === k && s.kind === 'work' ? { ...s, speedMps: SPEED_MPS / 3 } : s,
      );
      r.script(id, slow);
    }
    r.run(r.leftS('a') / 2);
    // Its own pace read 17% high here; the fleet's weighs the stretch a quarter.
    expect(err(r.eta('a'), r.leftS('a'))).toBeLessThan(0.06);
  });

  it('keeps its own pace for a machine much slower than the fleet all along', () => {
    const ids = ['a', 'b', 'c'];
    const r = rig(ids);
    for (const id of ids) r.script(id, r.planned(id, id === 'a' ? SPEED_MPS / 1.5 : SPEED_MPS));
    r.run(r.leftS('a') / 2);
    const a = r.progress().tractors.find((t) => t.tractorId === 'a')!;
    expect(a.etaS).toBeGreaterThan(1.25 * a.plannedLeftS);
    expect(err(a.etaS, r.leftS('a'))).toBeLessThan(0.15);
    expect(err(r.eta('b'), r.leftS('b'))).toBeLessThan(0.05);
  });

  it('does not grow without bound while a machine stands unheld, and comes down once it works', () => {
    const r = rig(['a']);
    const steps = r.planned('a', SPEED_MPS);
    r.script('a', steps.slice(0, untilWay(steps, 2)));
    r.run();
    const before = r.eta('a');
    const seen: number[] = [];
    for (let s = 0; s < 3_600; s += 60) {
      r.script('a', [{ kind: 'way', s: 60 }]);
      r.run();
      seen.push(r.eta('a'));
    }
    expect(Math.max(...seen)).toBeLessThanOrEqual(before * PACE_MAX);
    // The wait counts up to MAX_COUNTED_GAP_MS, then the ETA stands still.
    expect(seen.at(-1)).toBe(seen.at(-30));
    r.script('a', steps.slice(untilWay(steps, 2)));
    r.run(30);
    expect(r.eta('a')).toBeLessThan(seen.at(-1)!);
  });

  it('is the plan’s own (1) before a machine has been read', () => {
    const meter = new PaceMeter();
    expect(meter.pace('a', 600)).toBe(1);
  });
});
