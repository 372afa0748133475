/**
 * Plain-data field types. They hold numbers, strings and arrays only, so they can be copied into
 * shared/ contract snapshots and a Yjs document unchanged (one contract between core and UI).
 * WGS84 [lon, lat] degrees at the edges (GeoJSON order, RFC 7946 §3.1.1); metres inside.
 */
import type { XY } from '../geometry/index.js';

/** WGS84 longitude, latitude in degrees, in that order (RFC 7946 §3.1.1). */
export type LonLat = [number, number];

/** A point in a local metric frame: x east, y north, metres (the plane type of electron/geometry). */
export type { XY };

/**
 * One field as imported. `boundary[0]` is the outer ring, the rest are holes (ponds, buildings,
 * obstacles). Rings are closed (first point repeated last) as in GeoJSON; outer ring
 * counter-clockwise, holes clockwise (RFC 7946 §3.1.6) after import.
 */
export interface FieldGeometry {
  name: string;
  boundary: LonLat[][];
}

/** A polygon in local metres: rings open (no repeated last point), outer first, then holes. */
export type LocalPolygon = XY[][];

/** The result union used at the edges: either a value or a typed error, never a thrown string. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
