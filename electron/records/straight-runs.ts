/**
 * Joins a coverage log back into straight runs. The log stores its points in whole centimetres
 * (coverage-codec.ts, docs/sync-schema.md), so a straight pass logged as many short segments comes
 * back with each joint up to 0.71 cm off its line; folded one by one, those tiny bends make the
 * 12 m wide rectangles overlap each other at every joint and count false overlap. A run keeps
 * growing while every point it passes stays within the log's resolution of the line from its
 * start to its new end, checked in O(1) per segment with the sleeve (angular cone) test: each
 * interior point at distance d and bearing φ from the start allows line bearings φ ± asin(tol/d).
 */
import type { XY } from '../fleet/index.js';
import type { SwathSegment } from '../sync/index.js';

/**
 * How far a logged point may lie off the chord between a run's logged ends: its own rounding
 * (half a centimetre per axis, ≤ 0.71 cm) plus that of the chord's ends (≤ 0.71 cm), rounded up.
 */
export const LOG_TOLERANCE_M = 0.015;
/** A segment continues a run when it starts this close to the run's end (one rounding step). */
const JOINT_GAP_M = 0.015;

export interface StraightRun {
  readonly tractorId: string;
  readonly widthM: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly start: XY;
  readonly end: XY;
}

interface OpenRun {
  tractorId: string;
  widthM: number;
  startMs: number;
  endMs: number;
  start: XY;
  end: XY;
  /** Bearing of the first segment; the cone is kept relative to it (no wrap-around). */
  ref: number;
  lo: number;
  hi: number;
}

function relativeBearing(from: XY, to: XY, ref: number): number {
  let a = Math.atan2(to[1] - from[1], to[0] - from[0]) - ref;
  while (a > Math.PI) a -= 2 * Math.PI;
  while (a <= -Math.PI) a += 2 * Math.PI;
  return a;
}

/** Tries to extend `run` to the end of `seg`; false (and `run` untouched) when it would bend. */
function extend(run: OpenRun, seg: SwathSegment): boolean {
  if (seg.widthM !== run.widthM) return false;
  if (Math.hypot(seg.x0M - run.end[0], seg.y0M - run.end[1]) > JOINT_GAP_M) return false;
  const end: XY = [seg.x1M, seg.y1M];
  let { lo, hi } = run;
  // The run's current end becomes an interior point: it constrains the line too.
  const d = Math.hypot(run.end[0] - run.start[0], run.end[1] - run.start[1]);
  if (d > LOG_TOLERANCE_M) {
    const phi = relativeBearing(run.start, run.end, run.ref);
    const spread = Math.asin(LOG_TOLERANCE_M / d);
    lo = Math.max(lo, phi - spread);
    hi = Math.min(hi, phi + spread);
  }
  const bearing = relativeBearing(run.start, end, run.ref);
  if (bearing < lo || bearing > hi) return false;
  run.lo = lo;
  run.hi = hi;
  run.end = end;
  run.endMs = Math.max(run.endMs, seg.tMs + seg.durationMs);
  return true;
}

function open(tractorId: string, seg: SwathSegment): OpenRun {
  return {
    tractorId,
    widthM: seg.widthM,
    startMs: seg.tMs,
    endMs: seg.tMs + seg.durationMs,
    start: [seg.x0M, seg.y0M],
    end: [seg.x1M, seg.y1M],
    ref: Math.atan2(seg.y1M - seg.y0M, seg.x1M - seg.x0M),
    lo: -Infinity,
    hi: Infinity,
  };
}

const closed = (r: OpenRun): StraightRun => ({
  tractorId: r.tractorId,
  widthM: r.widthM,
  startMs: r.startMs,
  endMs: r.endMs,
  start: r.start,
  end: r.end,
});

/** Feeds segments in log order per tractor; closed runs come out as soon as they end. */
export class StraightRunBuilder {
  private readonly runs = new Map<string, OpenRun>();

  /** Adds a segment; returns the run it closed, if it could not extend it. */
  add(tractorId: string, seg: SwathSegment): StraightRun | null {
    const run = this.runs.get(tractorId);
    if (run && extend(run, seg)) return null;
    this.runs.set(tractorId, open(tractorId, seg));
    return run ? closed(run) : null;
  }

  /** Closes every open run. */
  flush(): StraightRun[] {
    const out = [...this.runs.values()].map(closed);
    this.runs.clear();
    return out;
  }
}
