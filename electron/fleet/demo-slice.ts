/**
 * The foundation slice's field plan: a field read from GeoJSON, cut into parallel north–south
 * strips one implement wide, dealt round-robin to the tractors. Deliberately simple; the field
 * work issue replaces it with headlands, optimised swaths and makespan allocation.
 */
import * as polygonClippingModule from 'polygon-clipping';
import { z } from 'zod';
import type { LonLat, Ring } from '../../shared/index.js';

// polygon-clipping ships CommonJS; under Node ESM its functions sit on the default export.
const polygonClipping =
  (polygonClippingModule as unknown as { default?: typeof polygonClippingModule }).default ??
  polygonClippingModule;

const EARTH_RADIUS_M = 6_378_137; // WGS84 semi-major axis

export interface LocalPoint {
  x: number;
  y: number;
}

/** An equirectangular tangent plane around an origin: adequate for a field a few km across. */
export class LocalFrame {
  private readonly metresPerDegLat: number;
  private readonly metresPerDegLon: number;

  constructor(readonly origin: LonLat) {
    this.metresPerDegLat = (Math.PI / 180) * EARTH_RADIUS_M;
    this.metresPerDegLon = this.metresPerDegLat * Math.cos((origin[1] * Math.PI) / 180);
  }

  toLocal([lon, lat]: LonLat): LocalPoint {
    return {
      x: (lon - this.origin[0]) * this.metresPerDegLon,
      y: (lat - this.origin[1]) * this.metresPerDegLat,
    };
  }

  toLonLat({ x, y }: LocalPoint): LonLat {
    return [this.origin[0] + x / this.metresPerDegLon, this.origin[1] + y / this.metresPerDegLat];
  }
}

export interface DemoField {
  name: string;
  /** Outer ring, WGS84, closed. */
  boundary: Ring;
  frame: LocalFrame;
  areaM2: number;
}

export interface Strip {
  id: string;
  index: number;
  /** The strip's ground as polygons in local metres (a band clipped to the field). */
  polygonsLocal: LocalPoint[][];
  /** Centre line, driven from `start` to `end` (local metres). */
  start: LocalPoint;
  end: LocalPoint;
  lengthM: number;
  widthM: number;
  areaM2: number;
}

const geoJsonFieldSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ name: z.string().optional() }).nullable(),
        geometry: z.object({
          type: z.literal('Polygon'),
          coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))).min(1),
        }),
      }),
    )
    .min(1),
});

export class DemoFieldError extends Error {
  override readonly name = 'DemoFieldError';
}

/** Reads the first polygon feature of a GeoJSON FeatureCollection as the demo field. */
export function parseDemoField(json: unknown): DemoField {
  const parsed = geoJsonFieldSchema.safeParse(json);
  if (!parsed.success) {
    throw new DemoFieldError(`demo field is not a GeoJSON FeatureCollection of polygons: ${parsed.error.message}`);
  }
  const feature = parsed.data.features[0];
  const outer = feature?.geometry.coordinates[0];
  if (!feature || !outer || outer.length < 4) throw new DemoFieldError('demo field has no outer ring');
  const boundary: Ring = outer.map(([lon, lat]) => [lon, lat] as LonLat);
  const centre = centroidOf(boundary);
  const frame = new LocalFrame(centre);
  const areaM2 = Math.abs(signedAreaM2(boundary.map((p) => frame.toLocal(p))));
  if (areaM2 < 100) throw new DemoFieldError('demo field is smaller than 100 m²');
  return { name: feature.properties?.name ?? 'Field', boundary, frame, areaM2 };
}

function centroidOf(ring: Ring): LonLat {
  let lon = 0;
  let lat = 0;
  for (const [x, y] of ring) {
    lon += x;
    lat += y;
  }
  return [lon / ring.length, lat / ring.length];
}

/** Shoelace area; positive for counter-clockwise rings. */
export function signedAreaM2(points: readonly LocalPoint[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    const a = points[i];
    const b = points[(i + 1) % points.length];
    if (!a || !b) continue;
    sum += a.x * b.y - b.x * a.y;
  }
  return sum / 2;
}

function toPair(p: LocalPoint): [number, number] {
  return [p.x, p.y];
}

/** Polygons (local metres) of the field cut to the rectangle x∈[x0,x1], y∈[y0,y1]. */
export function clipFieldToRect(
  field: DemoField,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
): LocalPoint[][] {
  const fieldRing = field.boundary.map((p) => toPair(field.frame.toLocal(p)));
  const rect: [number, number][] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  const result = polygonClipping.intersection([fieldRing], [rect]);
  return result.flatMap((polygon) => {
    const outer = polygon[0];
    return outer ? [outer.map(([x, y]) => ({ x, y }))] : [];
  });
}

/** Cuts the field into north–south strips `widthM` wide, west to east. */
export function planStrips(field: DemoField, widthM: number): Strip[] {
  const local = field.boundary.map((p) => field.frame.toLocal(p));
  const xs = local.map((p) => p.x);
  const ys = local.map((p) => p.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys) - 1;
  const maxY = Math.max(...ys) + 1;
  const strips: Strip[] = [];
  for (let x0 = minX; x0 < maxX - widthM * 0.25; x0 += widthM) {
    const x1 = Math.min(x0 + widthM, maxX);
    const polygonsLocal = clipFieldToRect(field, x0, x1, minY, maxY);
    const allY = polygonsLocal.flat().map((p) => p.y);
    if (allY.length === 0) continue;
    const index = strips.length;
    const cx = (x0 + x1) / 2;
    const yStart = Math.min(...allY);
    const yEnd = Math.max(...allY);
    strips.push({
      id: `s${String(index + 1).padStart(2, '0')}`,
      index,
      polygonsLocal,
      start: { x: cx, y: yStart },
      end: { x: cx, y: yEnd },
      lengthM: yEnd - yStart,
      widthM: x1 - x0,
      areaM2: polygonsLocal.reduce((sum, ring) => sum + Math.abs(signedAreaM2(ring)), 0),
    });
  }
  return strips;
}

/** Deals strips to tractors in turn: strip i goes to tractor i mod n. */
export function allocateRoundRobin(
  strips: readonly Strip[],
  tractorIds: readonly string[],
): Map<string, string> {
  const assignment = new Map<string, string>();
  if (tractorIds.length === 0) return assignment;
  strips.forEach((strip, i) => {
    const tractorId = tractorIds[i % tractorIds.length];
    if (tractorId !== undefined) assignment.set(strip.id, tractorId);
  });
  return assignment;
}

/** The worked part of a strip, from `fromM` to `toM` along its centre line, as polygons. */
export function stripPartPolygons(
  field: DemoField,
  strip: Strip,
  fromM: number,
  toM: number,
): LocalPoint[][] {
  const halfWidth = strip.widthM / 2;
  return clipFieldToRect(
    field,
    strip.start.x - halfWidth,
    strip.start.x + halfWidth,
    strip.start.y + fromM,
    strip.start.y + toM,
  );
}
