/**
 * Which of a section's swaths a machine has started (FieldWork.startedSwaths): the ETA counts a
 * turn ahead of every swath not started, so a swath counts once the machine is really on it.
 */
import { describe, expect, it } from 'vitest';
import { TangentFrame, validateField, type LonLat, type XY } from '../fleet/index.js';
import { FieldWork } from './field-work.js';

const ORIGIN = { lon: 9.75, lat: 52.4 };

function work(): FieldWork {
  const frame = new TangentFrame(ORIGIN);
  const ring = (
    [
      [0, 0],
      [200, 0],
      [200, 120],
      [0, 120],
      [0, 0],
    ] as XY[]
  ).map((p): LonLat => frame.toLonLat(p));
  const valid = validateField({ name: 'Rect', boundary: [ring] }, ORIGIN);
  if (!valid.ok) throw valid.error;
  return new FieldWork({
    field: valid.value,
    plan: { swathWidthM: 12, headlandPasses: 1, workDirectionDeg: 0, maxSectionLengthM: 400 },
    operation: 'seeding',
  });
}

describe('FieldWork.startedSwaths', () => {
  it('counts a swath started once more than a metre of it is driven, in driving order', () => {
    const w = work();
    const section = w.sections().find((s) => s.swaths.filter((x) => x.lengthM > 10).length >= 2)!;
    const [first, second] = section.swaths
      .map((swath, k) => ({ swath, k }))
      .filter(({ swath }) => swath.lengthM > 10);
    expect(w.startedSwaths(section.id).every((s) => !s)).toBe(true);
    // A few centimetres (a neighbour's pass reaching in) is not the machine on the swath.
    w.report('t1', `${section.id}.${first!.k}`, 0, 0.5, 1_000);
    expect(w.startedSwaths(section.id)[first!.k]).toBe(false);
    w.report('t1', `${section.id}.${first!.k}`, 0, 5, 2_000);
    const started = w.startedSwaths(section.id);
    expect(started[first!.k]).toBe(true);
    expect(started[second!.k]).toBe(false);
    expect(started).toHaveLength(section.swaths.length);
  });

  it('knows no swaths of a section it does not hold', () => {
    expect(work().startedSwaths('nowhere')).toEqual([]);
  });
});
