import { at } from './at.js';
import { SweepStatus, type StatusNode } from './sweep-status.js';
import type { XY } from './types.js';

interface Edge {
  readonly id: number;
  readonly ring: number;
  readonly index: number;
  readonly a: XY;
  readonly b: XY;
  /** The endpoint first in (x, y) order, and the other. */
  readonly left: XY;
  readonly right: XY;
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
 * A place where edges of open rings touch or cross (within a ring, between rings), or undefined
 * when the rings are simple and disjoint. Shamos–Hoey sweep (Shamos & Hoey 1976; de Berg et al.,
 * Computational Geometry, 3rd ed., §2.1): edges enter the sweep line's status at their left end
 * and leave it at their right end, and only neighbours on the line are compared, so the check
 * is O(n log n) whatever the shape — a serpentine of 40,000 points took 39.5 s with the
 * x-overlap sweep this replaces, whose long runs all overlap in x. Two consecutive edges of a
 * ring may share their vertex; every other touch is a crossing.
 */
export function findCrossing(given: readonly (readonly XY[])[]): Crossing | undefined {
  const rings = given.map(withoutRepeats);
  const edges: Edge[] = [];
  rings.forEach((ring, r) => {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const a = at(ring, i);
      const b = at(ring, (i + 1) % n);
      const aFirst = comparePoints(a, b) <= 0;
      edges.push({
        id: edges.length,
        ring: r,
        index: i,
        a,
        b,
        left: aFirst ? a : b,
        right: aFirst ? b : a,
      });
    }
  });
  const events: { edge: Edge; start: boolean }[] = [];
  for (const edge of edges) events.push({ edge, start: true }, { edge, start: false });
  // At one point, edges that start there enter before those that end there leave: an edge
  // ending where another (not its ring neighbour) begins then meets it on the line.
  events.sort(
    (e, f) =>
      comparePoints(e.start ? e.edge.left : e.edge.right, f.start ? f.edge.left : f.edge.right) ||
      (e.start === f.start ? 0 : e.start ? -1 : 1),
  );
  const status = new SweepStatus<Edge>();
  const nodes = new Map<Edge, StatusNode<Edge>>();
  const check = (e: Edge, f: StatusNode<Edge> | null): Crossing | undefined =>
    f ? checkPair(e, f.item, rings) : undefined;
  for (const { edge, start } of events) {
    if (start) {
      const node = status.insert(edge, below);
      nodes.set(edge, node);
      const found = check(edge, status.prev(node)) ?? check(edge, status.next(node));
      if (found) return found;
      continue;
    }
    const node = nodes.get(edge);
    if (!node) continue;
    const before = status.prev(node);
    const after = status.next(node);
    status.remove(node);
    nodes.delete(edge);
    if (before) {
      const found = check(before.item, after);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A ring without a point equal to the one before it (GPS logs repeat points): a repeated point
 * is no crossing, and a zero-length edge has no place on the sweep line.
 */
export function withoutRepeats(ring: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  return out;
}

/** (x, then y) order of points: the sweep's event order. */
function comparePoints(p: XY, q: XY): number {
  return p[0] - q[0] || p[1] - q[1];
}

/**
 * Where `s` (entering at its left end) goes on the sweep line relative to `t`, already there:
 * negative below, positive above. Seen from `t`'s direction (left to right), a point to its left
 * is above it; an `s` starting on `t`'s line is placed by where it heads.
 */
function below(s: Edge, t: Edge): number {
  let o = orient(t.left, t.right, s.left);
  if (o === 0) o = orient(t.left, t.right, s.right);
  if (o === 0) return s.id - t.id; // collinear: touching or overlapping, checked as neighbours
  return o > 0 ? 1 : -1;
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

/**
 * Whether edge `i` of ring `ringA` and edge `j` of ring `ringB` touch or cross by the rules of
 * findCrossing (consecutive edges of a ring may share their vertex): the pairwise check, for
 * comparing the sweep against every pair.
 */
export function edgePairCrossing(
  rings: readonly (readonly XY[])[],
  [ringA, i]: readonly [number, number],
  [ringB, j]: readonly [number, number],
): Crossing | undefined {
  const edge = (ring: number, index: number): Edge => {
    const r = at(rings, ring);
    const a = at(r, index);
    const b = at(r, (index + 1) % r.length);
    const aFirst = comparePoints(a, b) <= 0;
    return { id: -1, ring, index, a, b, left: aFirst ? a : b, right: aFirst ? b : a };
  };
  return checkPair(edge(ringA, i), edge(ringB, j), rings);
}
