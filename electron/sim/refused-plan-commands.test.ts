/**
 * Commands the plan cannot carry out come back refused with the reason, change nothing, and the
 * station goes on: a drag to a machine the plan does not hold, a drag that takes a done section
 * along, a boundary edit with no machine in contact to work the new field.
 */
import { describe, expect, it } from 'vitest';
import type { CommandResult, LonLat } from '../../shared/index.js';
import { demoField, demoFleet, type DemoFleet } from './test-helpers/demo-fleet.js';

/** Cuts a machine's radio until the station gives its work to the others, then restores it. */
function replanOut(fleet: DemoFleet, tractorId: string): void {
  fleet.sim.setRadio(tractorId, false);
  fleet.run(12_000);
  fleet.sim.setRadio(tractorId, true);
  // Back in contact, but stopped by its own watchdog: not taken back into the plan.
  fleet.run(2_000);
}

/** The demo boundary drawn 3% in towards its centroid. */
function shrunkBoundary(): LonLat[] {
  const ring = demoField().geometry.boundary[0] ?? [];
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return ring.map((p) => [cx + (p[0] - cx) * 0.97, cy + (p[1] - cy) * 0.97]);
}

function refusal(result: CommandResult): string {
  expect(result.ok).toBe(false);
  if (result.ok) return '';
  expect(result.error.code).toBe('refused');
  return result.error.message;
}

describe('commands the plan cannot carry out', () => {
  it('a drag to a machine the plan does not hold is refused with the reason, and the station goes on', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(30_000);
    replanOut(fleet, 'sim-02');
    const snapshot = fleet.station.snapshot();
    expect(snapshot.tractors.find((t) => t.id === 'sim-02')?.state).not.toBe('comm-lost');
    const held = snapshot.sections.filter((s) => s.tractorId === 'sim-01' && s.doneFraction < 1);
    const ids = held.slice(0, 2).map((s) => s.id);
    expect(ids).toHaveLength(2);

    let result: CommandResult | undefined;
    expect(() => {
      result = fleet.station.command({
        type: 'assignSections',
        sectionIds: ids,
        tractorId: 'sim-02',
      });
    }).not.toThrow();
    expect(refusal(result ?? { ok: true })).toMatch(/sim-02 is not in the plan/);
    for (const id of ids)
      expect(fleet.station.snapshot().sections.find((s) => s.id === id)?.tractorId).toBe('sim-01');

    // The station goes on: the event log names the refusal, the other machine works on.
    const worked = fleet.station.snapshot().job.progress.workedHa;
    fleet.run(10_000);
    const later = fleet.station.snapshot();
    expect(later.job.progress.workedHa).toBeGreaterThan(worked);
    expect(later.alerts.some((a) => /Station fault/.test(a.message))).toBe(false);
    expect(fleet.station.command({ type: 'pauseJob' })).toEqual({ ok: true });
    fleet.close();
  });

  it('a drag that takes a done section along moves none of the sections', () => {
    const fleet = demoFleet(3);
    fleet.station.command({ type: 'startJob' });
    fleet.run(240_000);
    // A replan marks the sections worked so far as done.
    replanOut(fleet, 'sim-03');
    const plan = fleet.station.allocation();
    const done = plan?.assignments.find((a) => a.status === 'done');
    const open = plan?.assignments.find((a) => a.status !== 'done' && a.tractorId === 'sim-01');
    if (!done || !open) throw new Error('the job should have done and open sections by now');

    const result = fleet.station.command({
      type: 'assignSections',
      sectionIds: [open.sectionId, done.sectionId],
      tractorId: 'sim-02',
    });
    expect(refusal(result)).toMatch(/already done/);
    const after = fleet.station.allocation();
    expect(after?.assignments.find((a) => a.sectionId === open.sectionId)?.tractorId).toBe(
      'sim-01',
    );
    expect(after?.assignments.find((a) => a.sectionId === open.sectionId)?.locked).toBeFalsy();
    fleet.close();
  });

  it('a boundary edit with no machine in contact to work the field is refused and changes nothing', () => {
    const fleet = demoFleet(1);
    fleet.station.command({ type: 'startJob' });
    fleet.run(20_000);
    fleet.sim.setRadio('sim-01', false);
    fleet.run(12_000);
    const before = fleet.station.snapshot();
    // The last machine's sections wait for it: a warning, not a station fault.
    expect(before.alerts.some((a) => /wait for it/.test(a.message))).toBe(true);
    expect(before.alerts.some((a) => /Station fault/.test(a.message))).toBe(false);

    const result = fleet.station.command({ type: 'editBoundary', rings: [shrunkBoundary()] });
    expect(refusal(result)).toMatch(/cannot be planned: no tractor can do seeding work/);
    const after = fleet.station.snapshot();
    expect(after.field).toEqual(before.field);
    expect(after.sections.map((s) => [s.id, s.tractorId])).toEqual(
      before.sections.map((s) => [s.id, s.tractorId]),
    );
    expect(fleet.station.allocation()).not.toBeNull();
    fleet.close();
  });
});
