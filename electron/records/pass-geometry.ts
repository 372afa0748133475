/**
 * The footprint of a pass: its centre line offset by half the implement width on each side,
 * with mitred joins (passes only bend by a few degrees, see job-figures.ts), as a closed WGS84
 * ring. This is the ground the implement swept, not clipped to the field; the areas carried with
 * it are the station's (inside the field, overlap apart).
 */
import type { LonLat, TangentFrame, XY } from '../fleet/index.js';

/** Points closer than this are one point (zero-length steps have no direction). */
const SAME_POINT_M = 1e-6;

function cleanLine(line: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (const p of line) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > SAME_POINT_M) out.push(p);
  }
  return out;
}

function unitNormal(a: XY, b: XY): XY {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
}

/** The swept outline in local metres (counter-clockwise, closed), or null for a point. */
export function passOutline(line: readonly XY[], widthM: number): XY[] | null {
  const pts = cleanLine(line);
  if (pts.length < 2) return null;
  const half = widthM / 2;
  const left: XY[] = [];
  const right: XY[] = [];
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    if (!p) continue;
    const prev = pts[i - 1];
    const next = pts[i + 1];
    const n0 = prev ? unitNormal(prev, p) : null;
    const n1 = next ? unitNormal(p, next) : null;
    let nx: number;
    let ny: number;
    if (n0 && n1) {
      // Mitre: the bisector of both normals, lengthened so each side stays half a width away.
      const bx = n0[0] + n1[0];
      const by = n0[1] + n1[1];
      const blen = Math.hypot(bx, by);
      const cosHalf = blen / 2;
      nx = bx / blen / cosHalf;
      ny = by / blen / cosHalf;
    } else {
      const n = n0 ?? n1 ?? [0, 0];
      nx = n[0];
      ny = n[1];
    }
    left.push([p[0] + nx * half, p[1] + ny * half]);
    right.push([p[0] - nx * half, p[1] - ny * half]);
  }
  const ring = [...right, ...left.reverse()];
  const first = ring[0];
  if (first) ring.push([first[0], first[1]]);
  return ring;
}

/** The outline in WGS84 [lon, lat], or null for a pass of no length. */
export function passRing(
  line: readonly XY[],
  widthM: number,
  frame: TangentFrame,
): LonLat[] | null {
  const outline = passOutline(line, widthM);
  return outline ? outline.map((p) => frame.toLonLat(p)) : null;
}
