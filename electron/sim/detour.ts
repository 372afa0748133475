/**
 * Drives round known keep-out zones (a field's ponds and obstacles, the operator's zones): the
 * simulated machine heads for the target straight when that keeps clear of every zone, else for
 * the first corner of the shortest way round — a visibility graph over the zones' outward corners,
 * each set DETOUR_MARGIN_M off the zone, whose legs keep DETOUR_CLEARANCE_M from every zone's
 * outline. The outline, not a bounding box: the headland pass round an irregular obstacle lies
 * inside its bounding box, and a machine bound there was sent straight across the obstacle, where
 * the zone guard held it for good. Enough for a simulator; a real machine plans its own path.
 */
import { pointInRing, ringSignedArea, type XY } from '../geometry/index.js';

export interface Point {
  x: number;
  y: number;
}

/** A keep-out zone's outline in the machine's plane. */
export type ZoneOutline = readonly Point[];

/**
 * How far the corners of the way round stand off a zone: the machine's 2.5 m body and as much
 * again (less than the half swath a headland pass round an obstacle keeps).
 */
export const DETOUR_MARGIN_M = 5;
/**
 * The least distance a leg of the way round keeps from a zone's outline: the body and 1.5 m for
 * the turn at each corner, short of the margin so the straight leg between two corners counts.
 */
export const DETOUR_CLEARANCE_M = 4;
/** Longest offset of a sharp corner (a spike would put its corner far out in the field). */
const MAX_CORNER_OFFSET_M = 3 * DETOUR_MARGIN_M;
/** A corner this close is where the machine stands (it arrived there): head for the next. */
const AT_CORNER_M = 0.5;
const EPS = 1e-6;

/** Where to head for next on the way from `from` to `to`: `to` itself, or a corner to round first. */
export function nextWaypoint(from: Point, to: Point, zones: readonly ZoneOutline[]): Point {
  // A machine in a zone may always drive out, and one bound into a zone goes straight there.
  const around = zones.filter((z) => z.length >= 3 && !inside(from, z) && !inside(to, z));
  const room = (p: Point): number => Math.min(DETOUR_CLEARANCE_M, clearance(p, around) - EPS);
  if (legClear(from, to, Math.min(room(from), room(to)), around)) return to;
  const corners = around
    .flatMap(outwardCorners)
    .filter((c) => clearance(c, around) >= DETOUR_CLEARANCE_M && distance(c, from) > AT_CORNER_M);
  return firstStep([from, ...corners, to], [room(from), room(to)], around) ?? to;
}

/**
 * The first point after `nodes[0]` on the shortest path to the last node (Dijkstra), legs
 * allowed where they keep their clearance (less at either end, where the machine or its target
 * may stand closer); null when there is no such path.
 */
function firstStep(
  nodes: readonly Point[],
  endRoom: readonly [number, number],
  zones: readonly ZoneOutline[],
): Point | null {
  const goal = nodes.length - 1;
  const room = (i: number): number =>
    i === 0 ? endRoom[0] : i === goal ? endRoom[1] : DETOUR_CLEARANCE_M;
  const need = (i: number, j: number): number => Math.min(room(i), room(j));
  const dist = nodes.map(() => Infinity);
  const previous = nodes.map(() => -1);
  const done = nodes.map(() => false);
  dist[0] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < nodes.length; i++)
      if (!done[i] && (u < 0 || (dist[i] ?? Infinity) < (dist[u] ?? Infinity))) u = i;
    if (u < 0 || dist[u] === Infinity || u === goal) break;
    done[u] = true;
    const a = nodes[u];
    if (!a) break;
    for (let v = 0; v < nodes.length; v++) {
      const b = nodes[v];
      if (!b || done[v]) continue;
      const d = (dist[u] ?? Infinity) + distance(a, b);
      if (d < (dist[v] ?? Infinity) && legClear(a, b, need(u, v), zones)) {
        dist[v] = d;
        previous[v] = u;
      }
    }
  }
  if (dist[goal] === Infinity) return null;
  let step = goal;
  while ((previous[step] ?? 0) > 0) step = previous[step] ?? 0;
  return nodes[step] ?? null;
}

/**
 * The zone's convex corners (the only ones a shortest way round bends at), each moved out along
 * its bisector so that it stands DETOUR_MARGIN_M off both its sides.
 */
function outwardCorners(zone: ZoneOutline): Point[] {
  const ring = openRing(zone);
  // Outward normals are on the right of each side for a counter-clockwise ring.
  const turn = ringSignedArea(ring.map((p): XY => [p.x, p.y])) > 0 ? 1 : -1;
  const corners: Point[] = [];
  ring.forEach((p, i) => {
    const prev = ring[(i + ring.length - 1) % ring.length];
    const next = ring[(i + 1) % ring.length];
    if (!prev || !next) return;
    const n1 = outwardNormal(prev, p, turn);
    const n2 = outwardNormal(p, next, turn);
    const cross = (p.x - prev.x) * (next.y - p.y) - (p.y - prev.y) * (next.x - p.x);
    if (!n1 || !n2 || cross * turn <= 0) return;
    const bx = n1.x + n2.x;
    const by = n1.y + n2.y;
    const len = Math.hypot(bx, by);
    if (len < EPS) return;
    const cosHalf = (bx * n1.x + by * n1.y) / len;
    const offset = Math.min(DETOUR_MARGIN_M / Math.max(cosHalf, EPS), MAX_CORNER_OFFSET_M);
    corners.push({ x: p.x + (bx / len) * offset, y: p.y + (by / len) * offset });
  });
  return corners;
}

function outwardNormal(a: Point, b: Point, turn: 1 | -1): Point | null {
  const len = distance(a, b);
  if (len < EPS) return null;
  return { x: ((b.y - a.y) / len) * turn, y: (-(b.x - a.x) / len) * turn };
}

/** The ring without the closing point a boundary file repeats. */
function openRing(zone: ZoneOutline): ZoneOutline {
  const first = zone[0];
  const last = zone[zone.length - 1];
  return first && last && distance(first, last) < EPS ? zone.slice(0, -1) : zone;
}

function inside(p: Point, zone: ZoneOutline): boolean {
  return pointInRing(
    [p.x, p.y],
    zone.map((q): XY => [q.x, q.y]),
  );
}

/** Distance from `p` to the nearest zone outline (Infinity with none). */
function clearance(p: Point, zones: readonly ZoneOutline[]): number {
  let best = Infinity;
  for (const zone of zones)
    for (const [a, b] of sidesOf(zone)) best = Math.min(best, pointToSegment(p, a, b));
  return best;
}

/** Whether the leg a→b stays at least `needM` from every zone's outline. */
function legClear(a: Point, b: Point, needM: number, zones: readonly ZoneOutline[]): boolean {
  for (const zone of zones)
    for (const [p, q] of sidesOf(zone)) if (segmentToSegment(a, b, p, q) < needM) return false;
  return true;
}

function sidesOf(zone: ZoneOutline): [Point, Point][] {
  const sides: [Point, Point][] = [];
  for (let i = 0, j = zone.length - 1; i < zone.length; j = i++) {
    const a = zone[j];
    const b = zone[i];
    if (a && b) sides.push([a, b]);
  }
  return sides;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

function pointToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function segmentToSegment(a: Point, b: Point, p: Point, q: Point): number {
  if (crosses(a, b, p, q)) return 0;
  return Math.min(
    pointToSegment(a, p, q),
    pointToSegment(b, p, q),
    pointToSegment(p, a, b),
    pointToSegment(q, a, b),
  );
}

function crosses(a: Point, b: Point, p: Point, q: Point): boolean {
  const side = (u: Point, v: Point, w: Point): number =>
    (v.x - u.x) * (w.y - u.y) - (v.y - u.y) * (w.x - u.x);
  const d1 = side(p, q, a);
  const d2 = side(p, q, b);
  const d3 = side(a, b, p);
  const d4 = side(a, b, q);
  return d1 * d2 < 0 && d3 * d4 < 0;
}
