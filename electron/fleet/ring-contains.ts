import { pointInRing } from '../geometry/index.js';
import type { LonLat } from './types.js';

/** Whether `inner`'s first vertex lies inside `outer` (even-odd); enough for disjoint rings. */
export function ringContainsRing(outer: readonly LonLat[], inner: readonly LonLat[]): boolean {
  const p = inner[0];
  return p ? pointInRing(p, outer) : false;
}
