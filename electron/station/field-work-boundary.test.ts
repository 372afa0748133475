/**
 * A boundary edited on a partly worked job (FieldWork.withBoundary): re-laid passes keep the old
 * rows, so worked rows stay done and new ones meet them edge to edge; what cannot be laid apart
 * from old work (a headland pass pushed out by half a swath) is counted as planned overlap.
 */
import { describe, expect, it } from 'vitest';
import { planField, TangentFrame, validateField, type LonLat, type XY } from '../fleet/index.js';
import { FieldWork } from './field-work.js';

const ORIGIN = { lon: 9.75, lat: 52.4 };
const SWATH_M = 12;
const PLAN = {
  swathWidthM: SWATH_M,
  headlandPasses: 1,
  workDirectionDeg: 0,
  maxSectionLengthM: 400,
};

/** A rectangle in metres about ORIGIN, as a closed WGS84 ring. */
function rectangle(x0: number, y0: number, x1: number, y1: number): LonLat[] {
  const frame = new TangentFrame(ORIGIN);
  const ring = (
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ] as XY[]
  ).map((p) => frame.toLonLat(p));
  return ring;
}

function workOn(ring: LonLat[]): FieldWork {
  const valid = validateField({ name: 'Rect', boundary: [ring] }, ORIGIN);
  if (!valid.ok) throw valid.error;
  return new FieldWork({ field: valid.value, plan: PLAN, operation: 'seeding' });
}

/** Drives every swath of the sections `pick` chooses, whole. */
function drive(work: FieldWork, pick: (kind: string, order: number) => boolean): void {
  for (const section of work.sections())
    if (pick(section.kind, section.order))
      section.swaths.forEach((swath, k) =>
        work.report('t1', `${section.id}.${k}`, 0, swath.lengthM, 0),
      );
}

/** Centre-line offsets across the work direction of the interior swaths. */
function rowLines(work: FieldWork): number[] {
  return [
    ...new Set(
      work
        .sections()
        .filter((s) => s.kind === 'swath')
        .flatMap((s) => s.swaths.map((w) => Math.round(w.start[1] * 1000) / 1000)),
    ),
  ].sort((a, b) => a - b);
}

describe('a boundary pushed out on a partly worked job', () => {
  it('re-lays the interior on the old rows: worked rows stay done, nothing is planned over them', () => {
    const work = workOn(rectangle(0, 0, 200, 120));
    // The first interior rows worked, nothing of the headland.
    drive(work, (kind, order) => kind === 'swath' && order < 3);
    // The south edge pushed out by half a swath: the interior's edge moves with it.
    const edited = work.withBoundary([rectangle(0, -SWATH_M / 2, 200, 120)]);
    if (!edited.ok) throw new Error(edited.error);
    const next = edited.value;

    const old = rowLines(work);
    const now = rowLines(next);
    for (const y of old) expect(now).toContain(y);
    // The part-row the push added at the interior's edge gets a pass of its own.
    expect(now[0]).toBeLessThan(old[0]! - SWATH_M / 2);
    // Every old worked row is a new swath done end to end, and the rows beside them are not
    // planned over old work: the edit adds no overlap.
    const worked = work.sections().filter((s) => s.kind === 'swath' && s.order < 3);
    for (const s of worked)
      for (const w of s.swaths) {
        const same = next
          .sections()
          .find((n) => n.swaths.some((x) => Math.abs(x.start[1] - w.start[1]) < 1e-6));
        expect(same && next.drivenShare(same.id)).toBe(1);
      }
    // (At most the centimetre the part-row's pass is moved inside its piece, along 200 m.)
    expect(next.plannedOverlapM2() - work.plannedOverlapM2()).toBeLessThan(200 * 0.02);

    // Laid from the new interior's edge instead (the rows half a swath off), the same edit
    // would plan the passes beside the worked rows half over them.
    const shifted = planField(next.field, {
      ...PLAN,
      rowPhaseM: (next.plan.rowPhaseM ?? 0) + SWATH_M / 2,
    });
    const misaligned = new FieldWork({
      field: next.field,
      plan: PLAN,
      operation: 'seeding',
      planned: shifted,
      revision: 1,
    });
    for (const segment of work.worldSegments()) misaligned.carry(segment);
    expect(misaligned.plannedOverlapM2() - work.plannedOverlapM2()).toBeGreaterThan(
      (150 * SWATH_M) / 2,
    );
  });

  it('counts a headland pass pushed half over the old one as planned overlap, about half a swath along it', () => {
    const work = workOn(rectangle(0, 0, 200, 120));
    drive(work, (kind) => kind === 'headland');
    const edited = work.withBoundary([rectangle(0, -SWATH_M / 2, 200, 120)]);
    if (!edited.ok) throw new Error(edited.error);
    const added = edited.value.plannedOverlapM2() - work.plannedOverlapM2();
    // The south headland pass, 200 m long, lies half on the old one.
    expect(added).toBeGreaterThan(0.8 * 200 * (SWATH_M / 2));
    expect(added).toBeLessThan(1.2 * 200 * (SWATH_M / 2) + 2 * SWATH_M * SWATH_M);
  });

  it('a field opened from a file (laid out in the field thread) is laid out again on its new boundary', () => {
    const ring = rectangle(0, 0, 200, 120);
    const valid = validateField({ name: 'Rect', boundary: [ring] }, ORIGIN);
    if (!valid.ok) throw valid.error;
    const work = new FieldWork({
      field: valid.value,
      plan: PLAN,
      operation: 'seeding',
      planned: planField(valid.value, PLAN),
    });
    const edited = work.withBoundary([rectangle(0, 0, 260, 120)]);
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.value.plan.fieldAreaM2).toBeCloseTo(260 * 120, -2);
    expect(edited.value.totalM2).toBeCloseTo(260 * 120, -2);
  });
});
