/**
 * Plane ring geometry every layer shares: a ring is a list of vertices, open (the last edge back
 * to the first vertex is implied) or closed (the first vertex repeated last, as GeoJSON and
 * shapefiles store it). Both functions give the same answer for either form: the closing edge of
 * a closed ring has no length and adds nothing.
 */

/** A point in a plane: x east, y north (metres in a local frame, or degrees lon/lat). */
export type XY = [number, number];

/** Signed area by the shoelace formula: positive when the ring runs counter-clockwise. */
export function ringSignedArea(ring: readonly (readonly [number, number])[]): number {
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j];
    const b = ring[i];
    if (a && b) twice += a[0] * b[1] - b[0] * a[1];
  }
  return twice / 2;
}

/**
 * Whether `p` lies inside `ring` by the even-odd rule (ray casting, W. R. Franklin's pnpoly);
 * a point exactly on an edge may fall either way.
 */
export function pointInRing(
  p: readonly [number, number],
  ring: readonly (readonly [number, number])[],
): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (
      a[1] > p[1] !== b[1] > p[1] &&
      p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]
    )
      inside = !inside;
  }
  return inside;
}

/** Even-odd over every ring of a polygon: inside the outer ring and in none of its holes. */
export function pointInPolygon(
  p: readonly [number, number],
  rings: readonly (readonly (readonly [number, number])[])[],
): boolean {
  let inside = false;
  for (const ring of rings) if (pointInRing(p, ring)) inside = !inside;
  return inside;
}
