/**
 * Drives around known keep-out zones (a field's ponds and obstacles, the operator's zones): the
 * simulated machine heads for the target straight when it can, else for the nearer silhouette
 * corner of the first zone in the way (its bounding box widened by a margin) — the shortest way
 * round a convex obstacle. Enough for a simulator; a real machine plans its own path.
 */
export interface Point {
  x: number;
  y: number;
}

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Clearance kept from a zone's bounding box: the machine's 2.5 m body and as much again (less than the half swath a headland pass round an obstacle keeps). */
export const DETOUR_MARGIN_M = 5;
const EPS = 1e-6;

export function boxAround(points: readonly Point[], marginM = DETOUR_MARGIN_M): Box {
  return {
    minX: Math.min(...points.map((p) => p.x)) - marginM,
    minY: Math.min(...points.map((p) => p.y)) - marginM,
    maxX: Math.max(...points.map((p) => p.x)) + marginM,
    maxY: Math.max(...points.map((p) => p.y)) + marginM,
  };
}

/** Where to head for next on the way from `from` to `to`: `to` itself, or a corner to round first. */
export function nextWaypoint(from: Point, to: Point, boxes: readonly Box[]): Point {
  let first: { box: Box; t: number } | null = null;
  for (const box of boxes) {
    if (inside(from, box) || inside(to, box)) continue;
    const t = entry(from, to, box);
    if (t !== null && (!first || t < first.t)) first = { box, t };
  }
  if (!first) return to;
  return shortestWayRound(from, to, first.box);
}

/**
 * The first point of the shortest path from `from` to `to` round one box: a shortest-path
 * search over the visibility graph of the two ends and the box's corners.
 */
function shortestWayRound(from: Point, to: Point, box: Box): Point {
  const nodes = [from, ...cornersOf(box), to];
  const goal = nodes.length - 1;
  const dist = nodes.map(() => Infinity);
  const previous = nodes.map(() => -1);
  const done = nodes.map(() => false);
  dist[0] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < nodes.length; i++)
      if (!done[i] && (u < 0 || (dist[i] ?? Infinity) < (dist[u] ?? Infinity))) u = i;
    if (u < 0 || dist[u] === Infinity) break;
    done[u] = true;
    const a = nodes[u];
    if (!a) break;
    for (let v = 0; v < nodes.length; v++) {
      const b = nodes[v];
      if (!b || done[v] || entry(a, b, box) !== null) continue;
      const d = (dist[u] ?? Infinity) + Math.hypot(b.x - a.x, b.y - a.y);
      if (d < (dist[v] ?? Infinity)) {
        dist[v] = d;
        previous[v] = u;
      }
    }
  }
  let step = goal;
  while (previous[step] !== undefined && previous[step] !== 0 && previous[step] !== -1)
    step = previous[step] ?? 0;
  return previous[step] === 0 ? (nodes[step] ?? to) : to;
}

function inside(p: Point, b: Box): boolean {
  return p.x > b.minX + EPS && p.x < b.maxX - EPS && p.y > b.minY + EPS && p.y < b.maxY - EPS;
}

function cornersOf(b: Box): Point[] {
  return [
    { x: b.minX, y: b.minY },
    { x: b.maxX, y: b.minY },
    { x: b.maxX, y: b.maxY },
    { x: b.minX, y: b.maxY },
  ];
}

/** Parameter (0..1) at which segment a→b enters the box's interior (Liang–Barsky), or null. */
function entry(a: Point, b: Point, box: Box): number | null {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const clip = (p: number, q: number): boolean => {
    if (Math.abs(p) < EPS) return q > EPS;
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    return t0 < t1 - EPS;
  };
  const hits =
    clip(-dx, a.x - box.minX - EPS) &&
    clip(dx, box.maxX - EPS - a.x) &&
    clip(-dy, a.y - box.minY - EPS) &&
    clip(dy, box.maxY - EPS - a.y);
  return hits ? t0 : null;
}
