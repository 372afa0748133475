/**
 * Indexed access that fails loudly: geometry loops index by construction, and a silent
 * `undefined` would turn into NaN areas far from the bug.
 */
export function at<T>(items: readonly T[], index: number): T {
  const v = items[index];
  if (v === undefined) throw new RangeError(`index ${index} outside 0..${items.length - 1}`);
  return v;
}
