/** The geometry of one swath in the job's local frame (metres): points along it, strips, fit. */
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

/** The [from, to] metres along `swath` covered by segment a–b, if both ends lie on its line. */
export function onSwath(swath: Swath, a: XY, b: XY): [number, number] | null {
  if (swath.lengthM <= 0) return null;
  const ux = (swath.end[0] - swath.start[0]) / swath.lengthM;
  const uy = (swath.end[1] - swath.start[1]) / swath.lengthM;
  const project = (p: XY): [number, number] => {
    const dx = p[0] - swath.start[0];
    const dy = p[1] - swath.start[1];
    return [dx * ux + dy * uy, Math.abs(dx * uy - dy * ux)];
  };
  const [ta, da] = project(a);
  const [tb, db] = project(b);
  if (da > ON_LINE_TOLERANCE_M || db > ON_LINE_TOLERANCE_M) return null;
  const from = Math.max(0, Math.min(ta, tb));
  const to = Math.min(swath.lengthM, Math.max(ta, tb));
  return to > from ? [from, to] : null;
}
