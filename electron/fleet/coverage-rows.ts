/**
 * Sorted disjoint intervals on one scan row, stored flat [a0, b0, a1, b1, ...]. Inserting an
 * interval reports which parts were already covered and which are new, so unique and overlap
 * area fall out of the same pass (no double counting by construction).
 */
export interface FoldScratch {
  /** New parts [a, b, ...], first `freshN` entries valid (reused between calls, never shrunk). */
  fresh: number[];
  freshN: number;
  again: number[];
  againN: number;
}

export function newScratch(): FoldScratch {
  return { fresh: [], freshN: 0, again: [], againN: 0 };
}

export function insertInterval(row: number[], s: number, e: number, out: FoldScratch): void {
  const count = row.length / 2;
  // First interval whose end reaches s.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((row[2 * mid + 1] ?? 0) < s) lo = mid + 1;
    else hi = mid;
  }
  let j = lo;
  let cur = s;
  let newS = s;
  let newE = e;
  while (j < count) {
    const a = row[2 * j] ?? 0;
    const b = row[2 * j + 1] ?? 0;
    if (a > e) break;
    if (a > cur) {
      out.fresh[out.freshN++] = cur;
      out.fresh[out.freshN++] = a;
    }
    const os = Math.max(a, s);
    const oe = Math.min(b, e);
    if (oe > os) {
      out.again[out.againN++] = os;
      out.again[out.againN++] = oe;
    }
    if (b > cur) cur = b;
    if (a < newS) newS = a;
    if (b > newE) newE = b;
    j++;
  }
  if (cur < e) {
    out.fresh[out.freshN++] = cur;
    out.fresh[out.freshN++] = e;
  }
  // The usual case (extending one interval) is done in place; splice only when the count changes.
  if (j - lo === 1) {
    row[2 * lo] = newS;
    row[2 * lo + 1] = newE;
  } else row.splice(2 * lo, 2 * (j - lo), newS, newE);
}

/** Total length of the first `n` entries of a flat interval list. */
export function intervalsLength(xs: readonly number[], n = xs.length): number {
  let sum = 0;
  for (let i = 0; i + 1 < n; i += 2) sum += (xs[i + 1] ?? 0) - (xs[i] ?? 0);
  return sum;
}

/** Length of the overlap of [s, e] with a sorted flat interval list. */
export function overlapLength(xs: readonly number[], s: number, e: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const a = xs[i] ?? 0;
    const b = xs[i + 1] ?? 0;
    if (a >= e) break;
    if (b > s) sum += Math.min(b, e) - Math.max(a, s);
  }
  return sum;
}
