import { intersect, unite } from '../clipping.js';
import type { CoverageSegment } from '../coverage-types.js';
import { multiPolygonArea } from '../polygon.js';
import type { LocalPolygon, XY } from '../types.js';

/** Rectangle a segment sweeps, as a polygon (what the exact answer unions). */
export function segmentPolygon(s: CoverageSegment): LocalPolygon {
  const dx = s.end[0] - s.start[0];
  const dy = s.end[1] - s.start[1];
  const len = Math.hypot(dx, dy);
  const nx = (-dy / len) * (s.widthM / 2);
  const ny = (dx / len) * (s.widthM / 2);
  return [
    [
      [s.start[0] + nx, s.start[1] + ny],
      [s.end[0] + nx, s.end[1] + ny],
      [s.end[0] - nx, s.end[1] - ny],
      [s.start[0] - nx, s.start[1] - ny],
    ],
  ];
}

/** The exact worked area: union of all segment rectangles clipped to the field (holes out). */
export function exactUniqueM2(field: LocalPolygon, segments: readonly CoverageSegment[]): number {
  const merged = mergeStraightRuns(segments);
  const chunks: LocalPolygon[] = [];
  // Union in chunks: one huge union of thousands of slivers is slow in polygon-clipping.
  for (let i = 0; i < merged.length; i += 200)
    chunks.push(...unite(merged.slice(i, i + 200).map(segmentPolygon)));
  return multiPolygonArea(intersect([field], unite(chunks)));
}

/**
 * Abutting collinear segments of equal width sweep exactly the rectangle of their whole run, so
 * they are merged first: fewer slivers keep polygon-clipping's sweep robust and fast.
 */
function mergeStraightRuns(segments: readonly CoverageSegment[]): CoverageSegment[] {
  const out: CoverageSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (
      last &&
      last.widthM === s.widthM &&
      Math.hypot(last.end[0] - s.start[0], last.end[1] - s.start[1]) < 1e-9
    ) {
      const ax = last.end[0] - last.start[0];
      const ay = last.end[1] - last.start[1];
      const bx = s.end[0] - s.start[0];
      const by = s.end[1] - s.start[1];
      if (
        Math.abs(ax * by - ay * bx) < 1e-9 * Math.hypot(ax, ay) * Math.hypot(bx, by) &&
        ax * bx + ay * by > 0
      ) {
        out[out.length - 1] = { ...last, end: s.end, tMs: s.tMs };
        continue;
      }
    }
    out.push({ ...s });
  }
  return out;
}

/** A straight pass driven at `speedMps`, logged at `hz`, as segments. */
export function drive(
  tractorId: string,
  from: XY,
  to: XY,
  widthM: number,
  speedMps = 3,
  hz = 10,
  t0Ms = 0,
): CoverageSegment[] {
  const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const step = speedMps / hz;
  const n = Math.max(1, Math.ceil(len / step));
  const out: CoverageSegment[] = [];
  for (let i = 0; i < n; i++) {
    const a = i / n;
    const b = (i + 1) / n;
    out.push({
      tractorId,
      start: [from[0] + a * (to[0] - from[0]), from[1] + a * (to[1] - from[1])],
      end: [from[0] + b * (to[0] - from[0]), from[1] + b * (to[1] - from[1])],
      widthM,
      tMs: t0Ms + ((i + 1) * 1000) / hz,
    });
  }
  return out;
}

/** A turn on a circle of `radiusM` round `centre` from angle a0 to a1 (radians), logged at 10 Hz. */
export function arc(
  tractorId: string,
  centre: XY,
  radiusM: number,
  a0: number,
  a1: number,
  widthM: number,
  speedMps = 2,
): CoverageSegment[] {
  const len = Math.abs(a1 - a0) * radiusM;
  const n = Math.max(2, Math.ceil(len / (speedMps / 10)));
  const pt = (a: number): XY => [
    centre[0] + radiusM * Math.cos(a),
    centre[1] + radiusM * Math.sin(a),
  ];
  return Array.from({ length: n }, (_, i) => ({
    tractorId,
    start: pt(a0 + ((a1 - a0) * i) / n),
    end: pt(a0 + ((a1 - a0) * (i + 1)) / n),
    widthM,
    tMs: (i + 1) * 100,
  }));
}

export interface CoverageCase {
  name: string;
  field: LocalPolygon;
  segments: CoverageSegment[];
  /** Known answer where polygon-clipping is not robust (collinear oblique ends); else computed. */
  exactM2?: number;
}

export function exactAnswer(c: CoverageCase): number {
  return c.exactM2 ?? exactUniqueM2(c.field, c.segments);
}

const rect = (x0: number, y0: number, x1: number, y1: number): XY[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

/** Cases with exact answers: tiled swaths, deliberate overlaps, swaths over holes and boundary, turns, oblique passes. */
export function coverageCases(): CoverageCase[] {
  const field: LocalPolygon = [rect(0, 0, 300, 200)];
  const holed: LocalPolygon = [rect(0, 0, 300, 200), rect(120, 60, 170, 110).reverse()];
  const tiled = Array.from({ length: 12 }, (_, i) =>
    drive(`t${i % 3}`, [10, 13 + i * 6], [290, 13 + i * 6], 6),
  ).flat();
  const overlaps = [
    ...Array.from({ length: 10 }, (_, i) =>
      drive('a', [5, 20 + i * 5], [250, 20 + i * 5], 6),
    ).flat(),
    ...drive('b', [5, 40], [250, 40], 6),
    ...drive('c', [100, 0], [100, 200], 9),
  ];
  const crossing = [
    ...Array.from({ length: 14 }, (_, i) =>
      drive(`t${i % 4}`, [-20, 50 + i * 7.5], [320, 50 + i * 7.5], 7.5),
    ).flat(),
    ...drive('t9', [145, -30], [145, 230], 12),
  ];
  const turns = [
    ...drive('a', [20, 30], [250, 30], 6),
    ...arc('a', [250, 36], 6, -Math.PI / 2, Math.PI / 2, 6),
    ...drive('a', [250, 42], [20, 42], 6),
    ...arc('b', [150, 150], 30, 0, 2 * Math.PI, 8),
  ];
  const obliqueDir = (17 * Math.PI) / 180;
  const oblique = Array.from({ length: 10 }, (_, i) => {
    const off = i * 5.5;
    const from: XY = [20 - off * Math.sin(obliqueDir), 40 + off * Math.cos(obliqueDir)];
    return drive(
      `o${i % 2}`,
      from,
      [from[0] + 250 * Math.cos(obliqueDir), from[1] + 250 * Math.sin(obliqueDir)],
      6,
    );
  }).flat();
  return [
    { name: 'tiled swaths', field, segments: tiled },
    { name: 'deliberate overlaps', field, segments: overlaps },
    { name: 'swaths crossing a hole and the boundary', field: holed, segments: crossing },
    { name: 'headland turns and a circle', field: holed, segments: turns },
    // Ten parallel 6 m passes 5.5 m apart, 250 m long, all inside the field: 250 × (9 × 5.5 + 6).
    { name: 'oblique passes', field, segments: oblique, exactM2: 250 * (9 * 5.5 + 6) },
  ];
}
