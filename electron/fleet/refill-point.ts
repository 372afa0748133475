/**
 * The job's refill point: where a nurse tank or seed trailer stands for the machines to fill up.
 * It must be on or near the field's edge (outer boundary): a point far outside is a wrong
 * coordinate, one deep inside would stand on the crop.
 */
import type { LonLat } from '../../shared/index.js';
import { projectOnSegment } from './polygon.js';
import { TangentFrame } from './tangent-frame.js';
import type { Result, XY } from './types.js';
import type { ValidField } from './validate-field.js';

/**
 * Furthest a refill point may be from the outer boundary, either side: a trailer parked on the
 * headland or in the gateway beyond the fence line (a farm track's width plus a trailer length).
 */
export const REFILL_EDGE_MAX_M = 30;

export class RefillPointError extends Error {
  override readonly name = 'RefillPointError';
}

/** The point in the field's local metres, or why it cannot be the job's refill point. */
export function validateRefillPoint(
  field: ValidField,
  point: LonLat,
): Result<XY, RefillPointError> {
  const [lon, lat] = point;
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
    return fail(`refill point [${String(lon)}, ${String(lat)}] is not a WGS84 position`);
  const xy = new TangentFrame(field.origin).toLocal(point);
  const edgeM = distanceToRing(xy, field.local[0] ?? []);
  if (edgeM > REFILL_EDGE_MAX_M)
    return fail(
      `refill point is ${Math.round(edgeM)} m from the edge of ${field.geometry.name} (at most ${REFILL_EDGE_MAX_M} m)`,
    );
  return { ok: true, value: xy };
}

function fail(message: string): { ok: false; error: RefillPointError } {
  return { ok: false, error: new RefillPointError(message) };
}

/** Shortest distance from a point to an open ring's edges. */
function distanceToRing(p: XY, ring: readonly XY[]): number {
  let best = Infinity;
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length] ?? a;
    best = Math.min(best, projectOnSegment(p, a, b).distance);
  });
  return best;
}
