import { pointInPolygon, ringSignedArea } from '../geometry/index.js';
import { at } from './at.js';
import type { LocalPolygon, XY } from './types.js';

/** Area of a polygon with holes: |outer| - sum |holes| (holes assumed inside and disjoint). */
export function polygonArea(poly: LocalPolygon): number {
  let area = 0;
  poly.forEach((ring, i) => {
    const a = Math.abs(ringSignedArea(ring));
    area += i === 0 ? a : -a;
  });
  return area;
}

export function multiPolygonArea(polys: readonly LocalPolygon[]): number {
  return polys.reduce((s, p) => s + polygonArea(p), 0);
}

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function bboxOf(rings: readonly (readonly XY[])[]): Box {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const ring of rings)
    for (const [x, y] of ring) {
      if (x < box.minX) box.minX = x;
      if (y < box.minY) box.minY = y;
      if (x > box.maxX) box.maxX = x;
      if (y > box.maxY) box.maxY = y;
    }
  return box;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

/** Rotates by -angle so a line at `angleRad` (from the x axis) becomes the x axis. */
export function rotatePoint(p: XY, angleRad: number): XY {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return [c * p[0] + s * p[1], -s * p[0] + c * p[1]];
}

export function rotatePolygon(poly: LocalPolygon, angleRad: number): LocalPolygon {
  return poly.map((ring) => ring.map((p) => rotatePoint(p, angleRad)));
}

/**
 * Where the horizontal line at `y` is inside `rings` (even-odd over all rings, so holes cut the
 * line): sorted [x0, x1, x2, x3, ...] pairs. Edges use the half-open rule a.y <= y < b.y so a
 * vertex on the line is counted once.
 */
export function scanlineIntervals(rings: readonly (readonly XY[])[], y: number): number[] {
  const xs: number[] = [];
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = at(ring, i);
      const b = at(ring, (i + 1) % n);
      if (a[1] <= y !== b[1] <= y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
    }
  }
  xs.sort((p, q) => p - q);
  if (xs.length % 2 === 1) xs.pop();
  return xs;
}

/** Area-weighted centroid of a polygon with holes (shoelace moments). */
export function polygonCentroid(poly: LocalPolygon): XY {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const ring of poly) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const p = at(ring, i);
      const q = at(ring, (i + 1) % n);
      const cross = p[0] * q[1] - q[0] * p[1];
      a += cross;
      cx += (p[0] + q[0]) * cross;
      cy += (p[1] + q[1]) * cross;
    }
  }
  if (a === 0) {
    const first = at(at(poly, 0), 0);
    return [first[0], first[1]];
  }
  return [cx / (3 * a), cy / (3 * a)];
}

/** Distance from p to segment ab and where along it (0..1). */
export function projectOnSegment(p: XY, a: XY, b: XY): { distance: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t =
    len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return { distance: Math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1]), t };
}

/**
 * The parts of segment a→b inside a polygon (even-odd over its rings), as [t0, t1] parameter
 * intervals: split at every crossing with a ring edge and keep pieces whose midpoint is inside.
 */
export function clipSegmentToPolygon(a: XY, b: XY, poly: LocalPolygon): [number, number][] {
  const ts = [0, 1];
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  for (const ring of poly)
    for (let i = 0; i < ring.length; i++) {
      const p = at(ring, i);
      const q = at(ring, (i + 1) % ring.length);
      const ex = q[0] - p[0];
      const ey = q[1] - p[1];
      const den = dx * ey - dy * ex;
      if (den === 0) continue;
      const t = ((p[0] - a[0]) * ey - (p[1] - a[1]) * ex) / den;
      const u = ((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / den;
      if (t > 0 && t < 1 && u >= 0 && u <= 1) ts.push(t);
    }
  ts.sort((x, y) => x - y);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < ts.length; i++) {
    const t0 = at(ts, i);
    const t1 = at(ts, i + 1);
    if (t1 - t0 < 1e-12) continue;
    const tm = (t0 + t1) / 2;
    if (!pointInPolygon([a[0] + tm * dx, a[1] + tm * dy], poly)) continue;
    const last = out[out.length - 1];
    if (last && Math.abs(last[1] - t0) < 1e-12) last[1] = t1;
    else out.push([t0, t1]);
  }
  return out;
}
