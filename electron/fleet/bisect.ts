/** The most halvings a search makes, whatever its tolerance (2^-80 of the bracket is below any float step). */
const MAX_BISECTIONS = 80;

/**
 * Narrows [lo, hi] round the least T at which `feasible` turns true, halving until the bracket
 * is within `relTolerance` of `hi`. `feasible(hi)` must hold; `lo` is where it does not, or a
 * bound known to lie below. Returns the bracket: `lo` is never above the threshold (what a lower
 * bound reports), `hi` never below it (what a plan can be cut at).
 */
export function bisectThreshold(
  lo: number,
  hi: number,
  feasible: (t: number) => boolean,
  relTolerance: number,
): { lo: number; hi: number } {
  for (let k = 0; k < MAX_BISECTIONS && hi - lo > relTolerance * hi; k++) {
    const mid = (lo + hi) / 2;
    if (feasible(mid)) hi = mid;
    else lo = mid;
  }
  return { lo, hi };
}
