/**
 * Shortest path length between two poses for a vehicle that drives forward only and turns no
 * tighter than radius r: the Dubins path (Dubins 1957), the least of the six words LSL, RSR,
 * LSR, RSL, RLR, LRL (arcs L/R of radius r, S straight). Formulas in units of r as in
 * Shkel & Lumelsky 2001, "Classification of the Dubins set", §3, and LaValle, "Planning
 * Algorithms" §15.3.1.
 */

/** A position and the heading it is driven in: radians counter-clockwise from the x axis. */
export interface PlanePose {
  x: number;
  y: number;
  theta: number;
}

const TWO_PI = 2 * Math.PI;

function mod2pi(a: number): number {
  const m = a % TWO_PI;
  return m < 0 ? m + TWO_PI : m;
}

/** The shortest of the six words, in units of r (words without a solution are skipped). */
function shortestWord(d: number, a: number, b: number): number {
  const sa = Math.sin(a);
  const sb = Math.sin(b);
  const ca = Math.cos(a);
  const cb = Math.cos(b);
  const cab = Math.cos(a - b);
  let best = Infinity;
  const consider = (length: number): void => {
    if (length < best) best = length;
  };

  const lsl = 2 + d * d - 2 * cab + 2 * d * (sa - sb);
  if (lsl >= 0) {
    const th = Math.atan2(cb - ca, d + sa - sb);
    consider(mod2pi(th - a) + Math.sqrt(lsl) + mod2pi(b - th));
  }
  const rsr = 2 + d * d - 2 * cab + 2 * d * (sb - sa);
  if (rsr >= 0) {
    const th = Math.atan2(ca - cb, d - sa + sb);
    consider(mod2pi(a - th) + Math.sqrt(rsr) + mod2pi(th - b));
  }
  const lsr = -2 + d * d + 2 * cab + 2 * d * (sa + sb);
  if (lsr >= 0) {
    const p = Math.sqrt(lsr);
    const th = Math.atan2(-ca - cb, d + sa + sb) - Math.atan2(-2, p);
    consider(mod2pi(th - a) + p + mod2pi(th - b));
  }
  const rsl = -2 + d * d + 2 * cab - 2 * d * (sa + sb);
  if (rsl >= 0) {
    const p = Math.sqrt(rsl);
    const th = Math.atan2(ca + cb, d - sa - sb) - Math.atan2(2, p);
    consider(mod2pi(a - th) + p + mod2pi(b - th));
  }
  const rlr = (6 - d * d + 2 * cab + 2 * d * (sa - sb)) / 8;
  if (Math.abs(rlr) <= 1) {
    const p = mod2pi(TWO_PI - Math.acos(rlr));
    const t = mod2pi(a - Math.atan2(ca - cb, d - sa + sb) + p / 2);
    consider(t + p + mod2pi(a - b - t + p));
  }
  const lrl = (6 - d * d + 2 * cab + 2 * d * (sb - sa)) / 8;
  if (Math.abs(lrl) <= 1) {
    const p = mod2pi(TWO_PI - Math.acos(lrl));
    const t = mod2pi(-a - Math.atan2(ca - cb, d + sa - sb) + p / 2);
    consider(t + p + mod2pi(b - a - t + p));
  }
  return best;
}

/** Length in metres of the shortest forward path from `from` to `to` turning on radius ≥ `radiusM`. */
export function dubinsLength(from: PlanePose, to: PlanePose, radiusM: number): number {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const D = Math.hypot(dx, dy);
  if (!(radiusM > 0)) return D;
  const phi = D > 0 ? Math.atan2(dy, dx) : 0;
  const a = mod2pi(from.theta - phi);
  const b = mod2pi(to.theta - phi);
  return shortestWord(D / radiusM, a, b) * radiusM;
}
