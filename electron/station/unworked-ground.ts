/**
 * Ground a section was meant to have worked and no pass reached: the section's polygon less
 * every strip driven on it. Shown and counted once the work on the section is over (its machine
 * reports done, or the job finished), so a finished job never hides the corners, wedges and
 * unreachable parts it left.
 */
import { polygonArea, subtract, type LocalPolygon } from '../fleet/index.js';

/**
 * Smallest piece counted as ground left: passes that meet edge to edge leave seams of
 * floating-point width between them (far below a square metre), which are not ground anyone
 * could work. 1 m² is under a tenth of one metre along a 12 m implement.
 */
export const MIN_UNWORKED_PIECE_M2 = 1;

/**
 * Grid every corner is snapped to before the subtraction, m: passes that meet edge to edge then
 * share their edge exactly (the sweep line fails on edges a few ulps apart), and 1 cm is the
 * precision the coverage log keeps.
 */
const SNAP_M = 0.01;

const snap = (polygon: LocalPolygon): LocalPolygon =>
  polygon.map((ring) =>
    ring.map(([x, y]): [number, number] => [
      Math.round(x / SNAP_M) * SNAP_M,
      Math.round(y / SNAP_M) * SNAP_M,
    ]),
  );

export interface UnworkedGround {
  /** The pieces left, in the local frame (outer ring first, then holes). */
  pieces: LocalPolygon[];
  /** Their area together, m². */
  m2: number;
}

/**
 * The part of `section` outside every polygon of `worked`, in pieces of at least 1 m²; null when
 * the subtraction fails (the sweep line gives up on some degenerate inputs): the caller then
 * counts without drawing.
 */
export function unworkedGround(
  section: LocalPolygon,
  worked: readonly LocalPolygon[],
): UnworkedGround | null {
  let left: LocalPolygon[];
  try {
    left = subtract([snap(section)], worked.map(snap));
  } catch {
    return null;
  }
  const pieces = left.filter((piece) => polygonArea(piece) >= MIN_UNWORKED_PIECE_M2);
  return { pieces, m2: pieces.reduce((sum, piece) => sum + polygonArea(piece), 0) };
}
