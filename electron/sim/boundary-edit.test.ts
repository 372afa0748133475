/** Live boundary edits in a running job: replanned, reallocated, worked ground kept. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command, LonLat, StationSnapshot } from '../../shared/index.js';
import { ThreadedFieldPlanner } from '../fleet/index.js';
import { JobStore } from '../records/index.js';
import { demoFleet, demoField } from './test-helpers/demo-fleet.js';

/** The demo boundary scaled about its centroid (1.05: a little more field on every side). */
function scaledBoundary(factor: number): LonLat[] {
  const ring = demoField().geometry.boundary[0] ?? [];
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  return ring.map((p) => [cx + (p[0] - cx) * factor, cy + (p[1] - cy) * factor]);
}

/** A square pond of `halfM` metres around the field's centroid. */
function pond(halfM: number): LonLat[] {
  const ring = demoField().geometry.boundary[0] ?? [];
  const cx = ring.reduce((s, p) => s + p[0], 0) / ring.length;
  const cy = ring.reduce((s, p) => s + p[1], 0) / ring.length;
  const dLat = halfM / 111_320;
  const dLon = dLat / Math.cos((cy * Math.PI) / 180);
  // Clockwise, as holes are, and closed like every ring of a boundary file.
  return [
    [cx - dLon, cy - dLat],
    [cx - dLon, cy + dLat],
    [cx + dLon, cy + dLat],
    [cx + dLon, cy - dLat],
    [cx - dLon, cy - dLat],
  ];
}

describe('live boundary edit', () => {
  it('a pond found during work becomes an obstacle: the rest is replanned around it, nothing worked twice', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    // Ground is worked, and no pass has reached the pond's square yet (by 60 s one has).
    fleet.run(30_000);
    const before = fleet.station.snapshot();
    expect(before.job.progress.workedHa).toBeGreaterThan(0.01);
    const outer = demoField().geometry.boundary[0] ?? [];
    const edit = fleet.station.command({
      type: 'editBoundary',
      rings: [outer, pond(25)],
      reason: 'pond',
    });
    expect(edit).toEqual({ ok: true });
    const after = fleet.station.snapshot();
    expect(after.field.rings).toHaveLength(2);
    expect(after.field.areaHa).toBeCloseTo(before.field.areaHa - 0.25, 1);
    expect(after.zones.map((z) => z.source)).toContain('field');
    expect(after.job.progress.workedHa).toBeCloseTo(before.job.progress.workedHa, 2);

    fleet.run(1_600_000);
    const done = fleet.station.snapshot();
    expect(done.job.progress.fraction).toBeGreaterThan(0.9);
    expect(done.job.progress.overlapHa).toBeLessThan(done.job.progress.workedHa * 0.03);
    fleet.close();
  });

  it('replans the rest of the field, keeps the worked ground and the fleet finishes the new field', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(120_000);
    const before = fleet.station.snapshot();
    expect(before.job.progress.workedHa).toBeGreaterThan(0.5);

    const edit = fleet.station.command({ type: 'editBoundary', rings: [scaledBoundary(1.05)] });
    expect(edit.ok).toBe(true);
    const after = fleet.station.snapshot();
    expect(after.field.areaHa).toBeGreaterThan(before.field.areaHa * 1.09);
    // Nothing worked is lost or counted again.
    expect(after.job.progress.workedHa).toBeCloseTo(before.job.progress.workedHa, 1);
    expect(after.job.progress.overlapHa).toBeLessThanOrEqual(before.job.progress.overlapHa + 1e-6);
    expect(after.tractors.every((t) => t.sectionIds.length > 0)).toBe(true);

    fleet.run(1_600_000);
    const done = fleet.station.snapshot();
    expect(done.job.progress.fraction).toBeGreaterThan(0.9);
    // The new headland pass lies half on the old one (the edge moved out by about half a
    // swath): that strip is worked twice, and nothing else is.
    const perimeterStripHa = 0.7;
    expect(done.job.progress.overlapHa).toBeLessThan(perimeterStripHa);
    fleet.close();
  });

  it('puts passes re-laid over worked ground to the operator with the area, and edits once accepted', () => {
    const fleet = demoFleet(2);
    fleet.station.command({ type: 'startJob' });
    // Far enough that the headland passes are worked in part.
    fleet.run(700_000);
    const before = fleet.station.snapshot();
    const question = fleet.station.command({ type: 'editBoundary', rings: [scaledBoundary(1.05)] });
    expect(question.ok).toBe(false);
    if (question.ok) return;
    expect(question.error).toMatchObject({ code: 'unconfirmed' });
    const m2 = Number(/over ([\d,]+) m²/.exec(question.error.message)?.[1]?.replace(',', ''));
    expect(m2).toBeGreaterThan(100);
    expect(fleet.station.snapshot().field).toEqual(before.field);

    const accepted = fleet.station.command({
      type: 'editBoundary',
      rings: [scaledBoundary(1.05)],
      acceptOverlap: true,
    });
    expect(accepted).toEqual({ ok: true });
    expect(fleet.station.snapshot().field.areaHa).toBeGreaterThan(before.field.areaHa * 1.09);
    expect(
      (fleet.station.snapshot().events ?? []).some((e) =>
        /planned over worked ground/.test(e.text),
      ),
    ).toBe(true);
    fleet.close();
  });

  it('refuses a boundary that crosses itself and changes nothing', () => {
    const fleet = demoFleet(1);
    fleet.station.command({ type: 'startJob' });
    fleet.run(10_000);
    const before = fleet.station.snapshot();
    const ring = demoField().geometry.boundary[0] ?? [];
    const [a, b, c, d] = ring;
    if (!a || !b || !c || !d) throw new Error('demo field too small');
    const bowTie: LonLat[] = [a, c, b, d];
    const result = fleet.station.command({ type: 'editBoundary', rings: [bowTie] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/boundary is not usable/);
    expect(fleet.station.snapshot().field.areaHa).toBe(before.field.areaHa);
    fleet.close();
  });

  it('keeps the edited boundary and the worked ground across a station restart', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'headland-boundary-'));
    const first = demoFleet(2, new JobStore(dataDir), dataDir);
    first.station.command({ type: 'startJob' });
    first.run(60_000);
    first.station.command({ type: 'editBoundary', rings: [scaledBoundary(0.97)] });
    first.run(30_000);
    const edited = first.station.snapshot();
    first.close();

    const second = demoFleet(2, new JobStore(dataDir), dataDir);
    second.run(500);
    const restored = second.station.snapshot();
    expect(restored.field.areaHa).toBeCloseTo(edited.field.areaHa, 3);
    expect(restored.job.progress.workedHa).toBeCloseTo(edited.job.progress.workedHa, 1);
    second.close();
  });
});

/** What an edit decides: the new field, its sections, who works them, and the ground worked. */
function outcome(snapshot: StationSnapshot) {
  return {
    rings: snapshot.field.rings,
    areaHa: snapshot.field.areaHa,
    sections: snapshot.sections.map((s) => [s.id, s.tractorId, s.doneFraction]),
    workedHa: snapshot.job.progress.workedHa,
    overlapHa: snapshot.job.progress.overlapHa,
  };
}

describe('live boundary edit laid out in the field thread', () => {
  const planners: ThreadedFieldPlanner[] = [];
  afterEach(async () => {
    for (const p of planners.splice(0)) await p.close();
  });
  function threaded(count: number): ReturnType<typeof demoFleet> {
    const planner = new ThreadedFieldPlanner();
    planners.push(planner);
    return demoFleet(count, undefined, undefined, undefined, undefined, undefined, planner);
  }

  it('comes to the same job as an edit laid out on the station thread', async () => {
    const here = demoFleet(2);
    const away = threaded(2);
    for (const f of [here, away]) {
      f.station.command({ type: 'startJob' });
      f.run(120_000);
    }
    const edit: Command = { type: 'editBoundary', rings: [scaledBoundary(1.05)] };
    expect(here.station.command(edit)).toEqual({ ok: true });
    expect(await away.station.execute(edit)).toEqual({ ok: true });
    expect(outcome(away.station.snapshot())).toEqual(outcome(here.station.snapshot()));
    const [a, b, c, d] = demoField().geometry.boundary[0] ?? [];
    if (!a || !b || !c || !d) throw new Error('demo field too small');
    const bowTie = await away.station.execute({ type: 'editBoundary', rings: [[a, c, b, d]] });
    expect(bowTie.ok).toBe(false);
    if (!bowTie.ok) expect(bowTie.error.message).toMatch(/boundary is not usable/);
    expect(outcome(away.station.snapshot())).toEqual(outcome(here.station.snapshot()));
    here.close();
    away.close();
  }, 60_000);

  it('keeps serving commands and timers while the edit is laid out, and changes the job only once it is back', async () => {
    const fleet = threaded(2);
    fleet.station.command({ type: 'startJob' });
    fleet.run(60_000);
    const before = outcome(fleet.station.snapshot());
    let answered = false;
    const edit = fleet.station
      .execute({ type: 'editBoundary', rings: [scaledBoundary(1.05)] })
      .then((result) => {
        answered = true;
        return result;
      });
    // A timer set after the edit fires before its answer: the thread does the layout.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answered).toBe(false);
    // Another command is served meanwhile, on the job as it was, and the tractors work on.
    const snapshot = fleet.station.snapshot();
    const moved = snapshot.sections.find((s) => s.tractorId !== null && s.doneFraction < 0.5);
    const other = snapshot.tractors.find((t) => t.id !== moved?.tractorId);
    if (!moved || !other) throw new Error('no section to move');
    expect(
      fleet.station.command({ type: 'assignSection', sectionId: moved.id, tractorId: other.id }),
    ).toEqual({ ok: true });
    fleet.run(1_000);
    const meanwhile = fleet.station.snapshot();
    expect(meanwhile.sections.find((s) => s.id === moved.id)?.tractorId).toBe(other.id);
    expect(meanwhile.field).toEqual(snapshot.field);
    expect(meanwhile.job.progress.workedHa).toBeGreaterThan(before.workedHa);
    expect(answered).toBe(false);

    expect(await edit).toEqual({ ok: true });
    const after = fleet.station.snapshot();
    expect(after.field.areaHa).toBeGreaterThan(before.areaHa * 1.09);
    // The ground worked while the edit was laid out carried over too.
    expect(after.job.progress.workedHa).toBeCloseTo(meanwhile.job.progress.workedHa, 1);
    fleet.close();
  }, 60_000);
});
