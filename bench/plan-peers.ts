/**
 * The peers of the planning figures (bench/suites/plan.ts), written the way the common tools
 * do it, with polygon-clipping (the Martinez–Rueda sweep line that Turf's union and intersect
 * wrap):
 *  - NaiveCoverage: the worked area as one polygon, each swath piece unioned into it as it
 *    arrives, its area the worked area. No per-section or per-tractor attribution, no overlap.
 *  - equalStripShares: the field cut into n strips of equal area along the work direction, one
 *    per tractor whatever its capacity (a binary search per cut on the area of the field's
 *    intersection with a band, as one does with Turf's bboxClip/intersect and area).
 */
import polygonClipping, { type MultiPolygon, type Polygon, type Ring } from 'polygon-clipping';
import type { CoverageSegment, LocalPolygon } from '../electron/fleet/index.js';

function ringArea(ring: Ring): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j];
    const b = ring[i];
    if (a && b) twice += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(twice) / 2;
}

/** Area of a polygon-clipping result: outer rings minus holes. */
export function multiPolygonArea(mp: MultiPolygon): number {
  let area = 0;
  for (const poly of mp)
    poly.forEach((ring, i) => (area += i === 0 ? ringArea(ring) : -ringArea(ring)));
  return area;
}

/**
 * Footprint corners are snapped to a millimetre grid: the usual workaround for
 * polygon-clipping's "Unable to complete output ring" on nearly touching edges (its issue
 * tracker's advice), which 10 Hz pieces sharing their ends hit within seconds.
 */
const SNAP_M = 0.001;
const snap = (v: number): number => Math.round(v / SNAP_M) * SNAP_M;

/** The implement's footprint over one segment: a rectangle `widthM` wide around it. */
export function footprint(s: CoverageSegment): Polygon {
  const dx = s.end[0] - s.start[0];
  const dy = s.end[1] - s.start[1];
  const len = Math.hypot(dx, dy) || 1;
  const nx = (-dy / len) * (s.widthM / 2);
  const ny = (dx / len) * (s.widthM / 2);
  const corners: [number, number][] = [
    [s.start[0] + nx, s.start[1] + ny],
    [s.start[0] - nx, s.start[1] - ny],
    [s.end[0] - nx, s.end[1] - ny],
    [s.end[0] + nx, s.end[1] + ny],
  ].map(([x = 0, y = 0]) => [snap(x), snap(y)]);
  const first = corners[0] ?? [0, 0];
  return [[...corners, first]];
}

/**
 * Worked area the naive way: union every new footprint into one polygon. A union that
 * polygon-clipping cannot complete leaves the area as it was and is counted (the naive app
 * would lose that second's work or stop).
 */
export class NaiveCoverage {
  private worked: MultiPolygon = [];
  areaM2 = 0;
  failures = 0;

  addAll(segments: readonly CoverageSegment[]): void {
    if (segments.length === 0) return;
    try {
      this.worked = polygonClipping.union(this.worked, ...segments.map(footprint));
    } catch {
      this.failures++;
      return;
    }
    this.areaM2 = multiPolygonArea(this.worked);
  }

  vertexCount(): number {
    return this.worked.reduce((n, poly) => n + poly.reduce((m, r) => m + r.length, 0), 0);
  }
}

/** A cut is searched to within RTK guidance accuracy (about 2 cm): finer is not drivable. */
const CUT_TOLERANCE_M = 0.01;

/**
 * Shares of the field's area in n strips of equal area along the work direction (strips
 * counted across it). Each share is measured on the cut geometry, so they sum to about 1.
 */
export function equalStripShares(
  field: LocalPolygon,
  workDirectionDeg: number,
  n: number,
): number[] {
  // Rotate so the work direction is the x axis: strips are then bands in y.
  const a = (-workDirectionDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const rotated: Polygon = field.map((ring) => {
    const r = ring.map(([x, y]): [number, number] => [x * cos - y * sin, x * sin + y * cos]);
    const first = r[0];
    return first ? [...r, first] : r;
  });
  const xs = rotated.flatMap((r) => r.map((p) => p[0]));
  const ys = rotated.flatMap((r) => r.map((p) => p[1]));
  const [x0, x1] = [Math.min(...xs) - 1, Math.max(...xs) + 1];
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const below = (y: number): number =>
    multiPolygonArea(
      polygonClipping.intersection(rotated, [
        [
          [x0, yMin - 1],
          [x1, yMin - 1],
          [x1, y],
          [x0, y],
          [x0, yMin - 1],
        ],
      ]),
    );
  const total = below(yMax + 1);
  const cuts: number[] = [yMin - 1];
  for (let k = 1; k < n; k++) {
    const target = (total * k) / n;
    let lo = cuts[cuts.length - 1] ?? yMin;
    let hi = yMax + 1;
    while (hi - lo > CUT_TOLERANCE_M) {
      const mid = (lo + hi) / 2;
      if (below(mid) < target) lo = mid;
      else hi = mid;
    }
    cuts.push((lo + hi) / 2);
  }
  cuts.push(yMax + 1);
  const shares: number[] = [];
  for (let k = 0; k < n; k++)
    shares.push((below(cuts[k + 1] ?? yMax) - below(cuts[k] ?? yMin)) / total);
  return shares;
}
