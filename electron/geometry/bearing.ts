/** Compass directions in a local plane (x east, y north). */

/**
 * The compass bearing from `from` to `to`: degrees clockwise from north, in (−180, 180]
 * (0 north, 90 east, −90 west).
 */
export function bearingDeg(
  from: { readonly x: number; readonly y: number },
  to: { readonly x: number; readonly y: number },
): number {
  return (Math.atan2(to.x - from.x, to.y - from.y) * 180) / Math.PI;
}

/** The same bearing in [0, 360), as headings are shown and recorded. */
export function headingDeg(
  from: { readonly x: number; readonly y: number },
  to: { readonly x: number; readonly y: number },
): number {
  return (bearingDeg(from, to) + 360) % 360;
}
