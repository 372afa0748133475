import { at } from './at.js';
import type { LonLat } from './types.js';

/** Whether `inner`'s first vertex lies inside `outer` (even-odd, pnpoly); enough for disjoint rings. */
export function ringContainsRing(outer: readonly LonLat[], inner: readonly LonLat[]): boolean {
  const p = inner[0];
  if (!p) return false;
  let c = false;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const a = at(outer, i);
    const b = at(outer, j);
    if (
      a[1] > p[1] !== b[1] > p[1] &&
      p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]
    )
      c = !c;
  }
  return c;
}
