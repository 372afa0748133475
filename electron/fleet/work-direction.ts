import { at } from './at.js';
import { bboxOf, rotatePolygon, scanlineIntervals } from './polygon.js';
import type { LocalPolygon } from './types.js';

/** Candidate step when searching the work direction; edge directions are added on top. */
const DIRECTION_STEP_DEG = 2;

/** Interior swath runs (each one ends in a turn) for lines along `directionDeg`, `widthM` apart. */
export function countSwathRuns(
  polys: readonly LocalPolygon[],
  directionDeg: number,
  widthM: number,
): number {
  let runs = 0;
  for (const poly of polys) {
    const rotated = rotatePolygon(poly, (directionDeg * Math.PI) / 180);
    const box = bboxOf(rotated);
    for (let y = box.minY + widthM / 2; y < box.maxY; y += widthM)
      runs += scanlineIntervals(rotated, y).length / 2;
  }
  return runs;
}

/**
 * The work direction with the fewest swath runs (fewest headland turns, Oksanen & Visala 2009,
 * "Coverage path planning algorithms for agricultural field machines", §3). Ties go to the
 * longer boundary edge direction, which an operator would also choose.
 */
export function optimiseWorkDirection(
  field: LocalPolygon,
  interior: readonly LocalPolygon[],
  widthM: number,
): number {
  const outer = at(field, 0);
  const candidates: { deg: number; weight: number }[] = [];
  for (let d = 0; d < 180; d += DIRECTION_STEP_DEG) candidates.push({ deg: d, weight: 0 });
  for (let i = 0; i < outer.length; i++) {
    const a = at(outer, i);
    const b = at(outer, (i + 1) % outer.length);
    const deg = ((((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI) % 180) + 180) % 180;
    candidates.push({ deg, weight: Math.hypot(b[0] - a[0], b[1] - a[1]) });
  }
  let best = { deg: 0, runs: Infinity, weight: -1 };
  for (const c of candidates) {
    const runs = countSwathRuns(interior, c.deg, widthM);
    if (runs < best.runs || (runs === best.runs && c.weight > best.weight))
      best = { deg: c.deg, runs, weight: c.weight };
  }
  return best.deg;
}
