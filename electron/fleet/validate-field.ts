import { at } from './at.js';
import { FieldGeometryError } from './errors.js';
import { frameForRing, TangentFrame, type FrameOrigin } from './tangent-frame.js';
import { pointInRing, ringSignedArea } from '../geometry/index.js';
import { polygonArea } from './polygon.js';
import { findCrossing, withoutRepeats } from './self-intersection.js';
import type { FieldGeometry, LocalPolygon, LonLat, Result } from './types.js';

/** Smallest field worth planning: 100 m² (0.01 ha); below it the file is almost surely wrong. */
export const MIN_FIELD_AREA_M2 = 100;
/** Largest single field accepted: 10 000 ha; the largest arable fields are a few thousand ha. */
export const MAX_FIELD_AREA_M2 = 1e8;
/**
 * Most boundary points accepted, all rings together: an RTK-walked boundary at 0.5 m spacing
 * round a 150 ha field has about 10,000; farm software simplifies far below that. Beyond it,
 * validation and planning cost more than a station may spend on one file (a 1,000,000-point
 * circle took 11 s and 770 MB).
 */
export const MAX_FIELD_VERTICES = 10_000;
/** Beyond this magnitude a "degree" is surely a projected coordinate (UTM metres, etc.). */
const PROJECTED_MAGNITUDE = 1000;

/** A field that passed validation, with its local frame and metric polygon. */
export interface ValidField {
  geometry: FieldGeometry;
  origin: FrameOrigin;
  /** Open rings in local metres, outer counter-clockwise, holes clockwise. */
  local: LocalPolygon;
  areaM2: number;
}

/** A position as text, every number as written (JSON would print Infinity and NaN as null). */
function formatPosition(p: unknown): string {
  return Array.isArray(p) ? `[${p.map((v) => String(v)).join(', ')}]` : String(p);
}

function checkCoordinates(
  name: string,
  rings: readonly LonLat[][],
): FieldGeometryError | undefined {
  const all = rings.flat();
  for (const p of all) {
    const raw: unknown = p;
    if (!Array.isArray(raw) || raw.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
      return new FieldGeometryError(
        'bad-coordinate',
        name,
        `coordinate ${formatPosition(p)} is not a [lon, lat] pair of numbers`,
      );
  }
  const outOfRange = all.find(([lon, lat]) => Math.abs(lon) > 180 || Math.abs(lat) > 90);
  if (!outOfRange) return undefined;
  if (all.some(([x, y]) => Math.abs(x) > PROJECTED_MAGNITUDE || Math.abs(y) > PROJECTED_MAGNITUDE))
    return new FieldGeometryError(
      'projected-coordinates',
      name,
      `coordinate ${formatPosition(outOfRange)} looks like projected metres, not WGS84 degrees`,
    );
  if (all.every(([x, y]) => Math.abs(x) <= 90 && Math.abs(y) <= 180))
    return new FieldGeometryError(
      'swapped-coordinates',
      name,
      `coordinate ${formatPosition(outOfRange)} has latitude beyond ±90: the file seems to give [lat, lon] instead of [lon, lat]`,
    );
  return new FieldGeometryError(
    'bad-coordinate',
    name,
    `coordinate ${formatPosition(outOfRange)} is outside WGS84 range`,
  );
}

function closeRing(ring: LonLat[]): LonLat[] {
  const first = at(ring, 0);
  return [...ring, [first[0], first[1]]];
}

/**
 * Validates one field and returns it normalised (closed rings, RFC 7946 winding). `origin` fixes
 * the local frame (a boundary edited during work keeps the frame its coverage was logged in).
 */
export function validateField(
  field: FieldGeometry,
  origin?: FrameOrigin,
): Result<ValidField, FieldGeometryError> {
  const fail = (error: FieldGeometryError): Result<ValidField, FieldGeometryError> => ({
    ok: false,
    error,
  });
  const name = field.name;
  if (field.boundary.length === 0)
    return fail(new FieldGeometryError('too-few-points', name, 'the field has no boundary ring'));
  const vertices = field.boundary.reduce((n, ring) => n + ring.length, 0);
  if (vertices > MAX_FIELD_VERTICES)
    return fail(
      new FieldGeometryError(
        'too-many-vertices',
        name,
        `the boundary has ${vertices.toLocaleString('en')} points; at most ${MAX_FIELD_VERTICES.toLocaleString('en')} are accepted (simplify it in the farm software)`,
      ),
    );
  const coordError = checkCoordinates(name, field.boundary);
  if (coordError) return fail(coordError);
  for (const [i, ring] of field.boundary.entries()) {
    const label = i === 0 ? 'outer ring' : `hole ${i}`;
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (!first || !last || ring.length < 4)
      return fail(
        new FieldGeometryError(
          'too-few-points',
          name,
          `${label} has ${ring.length} positions; a closed ring needs at least 4`,
        ),
      );
    if (first[0] !== last[0] || first[1] !== last[1])
      return fail(
        new FieldGeometryError(
          'open-ring',
          name,
          `${label} is not closed: it starts at ${formatPosition(first)} and ends at ${formatPosition(last)}`,
        ),
      );
  }
  const frame: TangentFrame = origin
    ? new TangentFrame(origin)
    : frameForRing(at(field.boundary, 0));
  const lonLatRings = field.boundary.map((ring) => openLonLat(ring));
  for (const [i, ring] of lonLatRings.entries())
    if (ring.length < 3)
      return fail(
        new FieldGeometryError(
          'too-few-points',
          name,
          `${i === 0 ? 'outer ring' : `hole ${i}`} has fewer than 3 distinct points`,
        ),
      );
  const local = lonLatRings.map((ring) => ring.map((p) => frame.toLocal(p)));
  const crossing = findCrossing(local);
  if (crossing) {
    const where = frame
      .toLonLat(crossing.at)
      .map((v) => v.toFixed(6))
      .join(', ');
    const rings =
      crossing.ringA === crossing.ringB
        ? `ring ${crossing.ringA}`
        : `rings ${crossing.ringA} and ${crossing.ringB}`;
    return fail(
      new FieldGeometryError(
        'self-intersection',
        name,
        `the boundary crosses itself (${rings}) near [${where}]`,
      ),
    );
  }
  const outer = at(local, 0);
  for (let h = 1; h < local.length; h++) {
    if (!pointInRing(at(at(local, h), 0), outer))
      return fail(
        new FieldGeometryError(
          'hole-outside-boundary',
          name,
          `hole ${h} lies outside the outer ring`,
        ),
      );
    for (let k = 1; k < local.length; k++)
      if (k !== h && pointInRing(at(at(local, h), 0), at(local, k)))
        return fail(
          new FieldGeometryError('hole-outside-boundary', name, `hole ${h} lies inside hole ${k}`),
        );
  }
  // Winding per RFC 7946 §3.1.6: exterior counter-clockwise, holes clockwise.
  const oriented = local.map((ring, i) =>
    ringSignedArea(ring) > 0 === (i === 0) ? ring : [...ring].reverse(),
  );
  const orientedLonLat = lonLatRings.map((ring, i) =>
    oriented[i] === local[i] ? ring : [...ring].reverse(),
  );
  const areaM2 = polygonArea(oriented);
  if (!(areaM2 > 1e-6))
    return fail(new FieldGeometryError('zero-area', name, 'the field encloses no area'));
  if (areaM2 < MIN_FIELD_AREA_M2)
    return fail(
      new FieldGeometryError(
        'too-small',
        name,
        `the field is only ${areaM2.toFixed(1)} m²; at least ${MIN_FIELD_AREA_M2} m² expected`,
      ),
    );
  if (areaM2 > MAX_FIELD_AREA_M2)
    return fail(
      new FieldGeometryError(
        'too-large',
        name,
        `the field is ${(areaM2 / 1e4).toFixed(0)} ha; more than ${MAX_FIELD_AREA_M2 / 1e4} ha is not a field`,
      ),
    );
  return {
    ok: true,
    value: {
      geometry: { name, boundary: orientedLonLat.map(closeRing) },
      origin: frame.origin,
      local: oriented,
      areaM2,
    },
  };
}

/** The ring open (no closing point) and without repeated points (GPS logs repeat points). */
function openLonLat(ring: readonly LonLat[]): LonLat[] {
  return withoutRepeats(ring.map((p) => [p[0], p[1]]));
}
