import { at } from './at.js';
import type { XY } from './types.js';

interface Edge {
  ring: number;
  index: number;
  a: XY;
  b: XY;
  minX: number;
  maxX: number;
}

function orient(a: XY, b: XY, c: XY): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

function onSegment(a: XY, b: XY, p: XY): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Proper or touching intersection of closed segments (Cormen et al., Introduction to Algorithms §33.1). */
export function segmentsIntersect(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  if (d1 === 0 && onSegment(c, d, a)) return true;
  if (d2 === 0 && onSegment(c, d, b)) return true;
  if (d3 === 0 && onSegment(a, b, c)) return true;
  if (d4 === 0 && onSegment(a, b, d)) return true;
  return false;
}

/** Two edges sharing one vertex overlap only if they fold back on each other (a spike). */
function foldsBack(e: Edge, f: Edge, shared: XY): boolean {
  const p = e.a === shared ? e.b : e.a;
  const q = f.a === shared ? f.b : f.a;
  if (orient(shared, p, q) !== 0) return false;
  return (p[0] - shared[0]) * (q[0] - shared[0]) + (p[1] - shared[1]) * (q[1] - shared[1]) > 0;
}

export interface Crossing {
  ringA: number;
  ringB: number;
  at: XY;
}

/**
 * The first place where edges of open rings touch or cross (within a ring, between rings), or
 * undefined when the rings are simple and disjoint. A sweep over x keeps only edges whose x ranges
 * overlap, so ordinary field boundaries cost close to O(n log n).
 */
export function findCrossing(rings: readonly (readonly XY[])[]): Crossing | undefined {
  const edges: Edge[] = [];
  rings.forEach((ring, r) => {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = at(ring, i);
      const b = at(ring, (i + 1) % n);
      edges.push({
        ring: r,
        index: i,
        a,
        b,
        minX: Math.min(a[0], b[0]),
        maxX: Math.max(a[0], b[0]),
      });
    }
  });
  edges.sort((e, f) => e.minX - f.minX);
  let active: Edge[] = [];
  for (const e of edges) {
    active = active.filter((f) => f.maxX >= e.minX);
    for (const f of active) {
      const crossing = checkPair(e, f, rings);
      if (crossing) return crossing;
    }
    active.push(e);
  }
  return undefined;
}

function checkPair(e: Edge, f: Edge, rings: readonly (readonly XY[])[]): Crossing | undefined {
  if (e.ring === f.ring) {
    const n = at(rings, e.ring).length;
    const next = (i: number): number => (i + 1) % n;
    if (next(e.index) === f.index)
      return foldsBack(e, f, e.b) ? { ringA: e.ring, ringB: f.ring, at: e.b } : undefined;
    if (next(f.index) === e.index)
      return foldsBack(e, f, f.b) ? { ringA: e.ring, ringB: f.ring, at: f.b } : undefined;
  }
  if (!segmentsIntersect(e.a, e.b, f.a, f.b)) return undefined;
  return { ringA: e.ring, ringB: f.ring, at: e.a };
}
