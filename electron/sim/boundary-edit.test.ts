/** Live boundary edits in a running job: replanned, reallocated, worked ground kept. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../shared/index.js';
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
    fleet.run(120_000);
    const before = fleet.station.snapshot();
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
