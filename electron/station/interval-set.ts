/**
 * A union of closed intervals on a line, kept sorted and disjoint. Coverage along a strip is a
 * set of driven intervals: adding ground already covered never counts it twice.
 */
export class IntervalSet {
  private intervals: [number, number][] = [];

  constructor(initial: readonly (readonly [number, number])[] = []) {
    for (const [a, b] of initial) this.add(a, b);
  }

  /** Adds [from, to] (either order). Returns the length that was not covered before. */
  add(from: number, to: number): number {
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    if (!(hi > lo)) return 0;
    const before = this.totalLength();
    const merged: [number, number][] = [];
    let current: [number, number] = [lo, hi];
    let placed = false;
    for (const interval of this.intervals) {
      if (interval[1] < current[0]) merged.push(interval);
      else if (interval[0] > current[1]) {
        if (!placed) {
          merged.push(current);
          placed = true;
        }
        merged.push(interval);
      } else current = [Math.min(current[0], interval[0]), Math.max(current[1], interval[1])];
    }
    if (!placed) merged.push(current);
    this.intervals = merged;
    return this.totalLength() - before;
  }

  totalLength(): number {
    return this.intervals.reduce((sum, [a, b]) => sum + (b - a), 0);
  }

  toArray(): [number, number][] {
    return this.intervals.map(([a, b]) => [a, b]);
  }
}

/** The parts of [from, to] outside sorted disjoint intervals. */
export function gapsIn(
  from: number,
  to: number,
  covered: readonly (readonly [number, number])[],
): [number, number][] {
  const out: [number, number][] = [];
  let at = from;
  for (const [a, b] of covered) {
    if (b <= at) continue;
    if (a >= to) break;
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < to) out.push([at, to]);
  return out;
}
