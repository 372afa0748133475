/** The geometry of one swath in the job's local frame (metres): points along it, strips, fit, cuts. */
import type { XY } from '../fleet/index.js';

export interface Swath {
  id: string;
  sectionId: string;
  start: XY;
  end: XY;
  widthM: number;
  lengthM: number;
}

/** The point `m` metres along the swath's centre line. */
export function pointAlong(swath: Swath, m: number): XY {
  const t = swath.lengthM > 0 ? m / swath.lengthM : 0;
  return [
    swath.start[0] + (swath.end[0] - swath.start[0]) * t,
    swath.start[1] + (swath.end[1] - swath.start[1]) * t,
  ];
}

/** The four corners of a strip `widthM` wide along a–b. */
export function stripCorners(a: XY, b: XY, widthM: number): XY[] {
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
  const nx = (-(b[1] - a[1]) / length) * (widthM / 2);
  const ny = ((b[0] - a[0]) / length) * (widthM / 2);
  return [
    [a[0] + nx, a[1] + ny],
    [b[0] + nx, b[1] + ny],
    [b[0] - nx, b[1] - ny],
    [a[0] - nx, a[1] - ny],
  ];
}

/** How far off a swath's centre line a logged point may lie and still belong to it. */
const ON_LINE_TOLERANCE_M = 0.25;
/** How far inside its swath a piece cut at a swath's end begins or ends (far below RTK accuracy). */
const CUT_INSET_M = 0.001;

/** A swath's centre line: where it starts and ends, and its length. */
type CentreLine = Pick<Swath, 'start' | 'end' | 'lengthM'>;

/** Point `p` as [metres along `line` from its start, metres off it]. */
function project(line: CentreLine, p: XY): [number, number] {
  const ux = (line.end[0] - line.start[0]) / line.lengthM;
  const uy = (line.end[1] - line.start[1]) / line.lengthM;
  const dx = p[0] - line.start[0];
  const dy = p[1] - line.start[1];
  return [dx * ux + dy * uy, Math.abs(dx * uy - dy * ux)];
}

/** The [from, to] metres along `swath` covered by segment a–b, if both ends lie on its line. */
export function onSwath(swath: CentreLine, a: XY, b: XY): [number, number] | null {
  if (swath.lengthM <= 0) return null;
  const [ta, da] = project(swath, a);
  const [tb, db] = project(swath, b);
  if (da > ON_LINE_TOLERANCE_M || db > ON_LINE_TOLERANCE_M) return null;
  const from = Math.max(0, Math.min(ta, tb));
  const to = Math.min(swath.lengthM, Math.max(ta, tb));
  return to > from ? [from, to] : null;
}

/** A logged segment of the coverage log, in the job's local frame. */
interface LoggedSegment {
  x0M: number;
  y0M: number;
  x1M: number;
  y1M: number;
}

/**
 * A logged segment cut where it passes from one swath to the next on the same line: a straight
 * run (joined by SegmentRuns, or recorded by a tractor's CoverageRecorder) may cross a section
 * boundary, and FieldWork places each segment on one swath only. A segment on at most one
 * swath comes back unchanged.
 */
export function splitAtSwaths<S extends LoggedSegment>(s: S, swaths: readonly CentreLine[]): S[] {
  const pieces: S[] = [];
  for (const w of swaths) {
    if (w.lengthM <= 0) continue;
    const [ta, da] = project(w, [s.x0M, s.y0M]);
    const [tb, db] = project(w, [s.x1M, s.y1M]);
    if (da > ON_LINE_TOLERANCE_M || db > ON_LINE_TOLERANCE_M) continue;
    // A cut point moves a millimetre into its swath: a piece ending exactly on the shared end
    // of two collinear swaths would also touch the other one, and FieldWork takes the first.
    const lo = Math.min(ta, tb);
    const hi = Math.max(ta, tb);
    const from = lo < 0 ? CUT_INSET_M : lo;
    const to = hi > w.lengthM ? w.lengthM - CUT_INSET_M : hi;
    if (to <= from) continue;
    const at = (t: number): XY => {
      const k = (t - ta) / (tb - ta);
      return [s.x0M + (s.x1M - s.x0M) * k, s.y0M + (s.y1M - s.y0M) * k];
    };
    const [p, q] = ta < tb ? [at(from), at(to)] : [at(to), at(from)];
    pieces.push({ ...s, x0M: p[0], y0M: p[1], x1M: q[0], y1M: q[1] });
  }
  return pieces.length > 1 ? pieces : [s];
}
