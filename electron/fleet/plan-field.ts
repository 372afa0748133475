import { at } from './at.js';
import { cellOrder, type RowPiece } from './cells.js';
import { intersect, rect, subtract } from './clipping.js';
import { PlanningError } from './errors.js';
import { erode } from './headland.js';
import type { FieldPlan, PlanOptions, Section, SwathSegment } from './plan-types.js';
import {
  bboxOf,
  clipSegmentToPolygon,
  polygonArea,
  polygonCentroid,
  projectOnSegment,
  rotatePoint,
  rotatePolygon,
  scanlineIntervals,
} from './polygon.js';
import type { LocalPolygon, XY } from './types.js';
import type { ValidField } from './validate-field.js';
import { optimiseWorkDirection } from './work-direction.js';

/** Pieces smaller than this share of a swath cell are clipping slivers, not work. */
const SLIVER_FRACTION = 0.01;
/** How far inside a part-row piece its pass's centre line is moved (a line on the edge hits nothing). */
const EDGE_INSET_M = 0.01;
export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  swathWidthM: 6,
  headlandPasses: 2,
  maxSectionLengthM: 100,
};

interface Piece extends RowPiece {
  poly: LocalPolygon;
  swaths: SwathSegment[];
}

function checkOptions(o: PlanOptions): void {
  if (!(o.swathWidthM > 0 && o.swathWidthM <= 60))
    throw new PlanningError(`swath width ${o.swathWidthM} m is outside 0–60 m`);
  if (!Number.isInteger(o.headlandPasses) || o.headlandPasses < 0 || o.headlandPasses > 10)
    throw new PlanningError(`headland passes ${o.headlandPasses} is not 0–10`);
  if (!(o.maxSectionLengthM >= o.swathWidthM))
    throw new PlanningError('the longest section must be at least one swath width long');
}

/** Where the first interior row starts in the rotated frame: the interior's edge, or on the grid. */
function firstRowY(box: { minY: number }, o: PlanOptions): number {
  const phase = o.rowPhaseM;
  if (phase === undefined) return box.minY;
  const w = o.swathWidthM;
  return phase + Math.floor((box.minY - phase) / w) * w;
}

/**
 * Where to measure a row's pass along a piece that only part of the row holds (the interior's
 * edge off the row grid): its centre line may miss the piece, so the piece's extent is read just
 * inside it. The pass stays on the row (over the headland beside the piece, not the next row).
 */
function lineThrough(poly: LocalPolygon, y: number): number {
  const box = bboxOf(poly);
  return Math.min(box.maxY - EDGE_INSET_M, Math.max(box.minY + EDGE_INSET_M, y));
}

/** Interior pieces in the rotated frame (work direction = x axis), row by row. */
function interiorPieces(interior: LocalPolygon[], o: PlanOptions): Piece[] {
  const w = o.swathWidthM;
  const box = bboxOf(interior.flat());
  const pieces: Piece[] = [];
  const first = firstRowY(box, o);
  const rows = Math.ceil((box.maxY - first) / w);
  for (let row = 0; row < rows; row++) {
    const y0 = first + row * w;
    const band = intersect(interior, [rect(box.minX - 1, y0, box.maxX + 1, y0 + w)])
      .map((comp) => ({ comp, cb: bboxOf(comp) }))
      .sort((a, b) => a.cb.minX - b.cb.minX);
    for (const [compIndex, { comp, cb }] of band.entries()) {
      const n = Math.max(1, Math.ceil((cb.maxX - cb.minX) / o.maxSectionLengthM));
      const step = (cb.maxX - cb.minX) / n;
      const parts =
        n === 1
          ? [comp]
          : Array.from({ length: n }, (_, j) =>
              intersect(
                [comp],
                [rect(cb.minX + j * step, y0 - 1, cb.minX + (j + 1) * step, y0 + w + 1)],
              ),
            ).flat();
      for (const poly of parts) {
        if (polygonArea(poly) < SLIVER_FRACTION * w * w) continue;
        const yc = y0 + w / 2;
        const xs = scanlineIntervals(poly, o.rowPhaseM === undefined ? yc : lineThrough(poly, yc));
        const swaths: SwathSegment[] = [];
        for (let i = 0; i + 1 < xs.length; i += 2) {
          const a = at(xs, i);
          const b = at(xs, i + 1);
          swaths.push({ start: [a, yc], end: [b, yc], widthM: w, lengthM: b - a });
        }
        pieces.push({
          poly,
          row,
          swaths,
          comp: compIndex,
          compMinX: cb.minX,
          compMaxX: cb.maxX,
          x: polygonCentroid(poly)[0],
          y: y0 + w / 2,
        });
      }
    }
  }
  return pieces;
}

/** Where a point lies round the field: nearest ring and arc length along it, for headland order. */
function ringPosition(p: XY, field: LocalPolygon): { ring: number; arcM: number } {
  let best = { ring: 0, arcM: 0, d: Infinity };
  field.forEach((ring, r) => {
    let arc = 0;
    for (let i = 0; i < ring.length; i++) {
      const a = at(ring, i);
      const b = at(ring, (i + 1) % ring.length);
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      const { distance, t } = projectOnSegment(p, a, b);
      if (distance < best.d) best = { ring: r, arcM: arc + t * len, d: distance };
      arc += len;
    }
  });
  return { ring: best.ring, arcM: best.arcM };
}

function headlandPieces(
  field: LocalPolygon,
  interior: LocalPolygon[],
  o: PlanOptions,
): LocalPolygon[] {
  if (o.headlandPasses === 0) return [];
  const region = subtract([field], interior);
  const box = bboxOf(field);
  const size = o.maxSectionLengthM;
  const out: LocalPolygon[] = [];
  for (let x = box.minX; x < box.maxX; x += size)
    for (let y = box.minY; y < box.maxY; y += size)
      for (const poly of intersect(region, [rect(x, y, x + size, y + size)]))
        if (polygonArea(poly) >= SLIVER_FRACTION * o.swathWidthM ** 2) out.push(poly);
  const keyed = out.map((poly) => ({ poly, pos: ringPosition(polygonCentroid(poly), field) }));
  keyed.sort((a, b) => a.pos.ring - b.pos.ring || a.pos.arcM - b.pos.arcM);
  return keyed.map((k) => k.poly);
}

/** The pieces of the headland pass centre lines inside one headland section, pass by pass. */
function pathsWithin(
  paths: readonly XY[][],
  polygon: LocalPolygon,
  widthM: number,
): SwathSegment[] {
  const box = bboxOf(polygon);
  const out: SwathSegment[] = [];
  for (const ring of paths)
    for (let i = 0; i < ring.length; i++) {
      const a = at(ring, i);
      const b = at(ring, (i + 1) % ring.length);
      if (
        Math.max(a[0], b[0]) < box.minX ||
        Math.min(a[0], b[0]) > box.maxX ||
        Math.max(a[1], b[1]) < box.minY ||
        Math.min(a[1], b[1]) > box.maxY
      )
        continue;
      for (const [t0, t1] of clipSegmentToPolygon(a, b, polygon)) {
        const start: XY = [a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1])];
        const end: XY = [a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1])];
        const lengthM = Math.hypot(end[0] - start[0], end[1] - start[1]);
        if (lengthM > 1e-6) out.push({ start, end, widthM, lengthM });
      }
    }
  return out;
}

/**
 * Lays out a field: headland passes round every ring, parallel swaths inside along the chosen or
 * optimised direction (holes cut them), cut into sections no longer than `maxSectionLengthM`,
 * ordered cell by cell along boustrophedon paths, then round the headland.
 */
export function planField(field: ValidField, options: Partial<PlanOptions> = {}): FieldPlan {
  const o: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, ...options };
  checkOptions(o);
  try {
    return layOut(field, o);
  } catch (e) {
    // polygon-clipping can fail on near-degenerate input; the caller gets one typed error.
    if (e instanceof PlanningError) throw e;
    throw new PlanningError(`could not lay out ${field.geometry.name}: ${(e as Error).message}`);
  }
}

function layOut(field: ValidField, o: PlanOptions): FieldPlan {
  const w = o.swathWidthM;
  const interior = erode(field.local, o.headlandPasses * w);
  const directionDeg = o.workDirectionDeg ?? optimiseWorkDirection(field.local, interior, w);
  const angle = (directionDeg * Math.PI) / 180;
  const rotated = interior.map((p) => rotatePolygon(p, angle));
  const pieces = interiorPieces(rotated, o);
  const rowStart = rotated.length > 0 ? firstRowY(bboxOf(rotated.flat()), o) : 0;
  const back = (pt: XY): XY => rotatePoint(pt, -angle);
  const sections: Section[] = [];
  for (const { index, forward } of cellOrder(pieces)) {
    const p = at(pieces, index);
    const swaths = p.swaths.map((s) => ({
      ...s,
      start: back(forward ? s.start : s.end),
      end: back(forward ? s.end : s.start),
    }));
    if (!forward) swaths.reverse();
    const polygon = p.poly.map((ring) => ring.map(back));
    const areaM2 = polygonArea(polygon);
    const swathLen = swaths.reduce((s, x) => s + x.lengthM, 0);
    sections.push({
      id: '',
      kind: 'swath',
      order: 0,
      swaths,
      areaM2,
      workLengthM: swathLen > 0 ? swathLen : areaM2 / w,
      polygon,
      centroid: polygonCentroid(polygon),
    });
  }
  const headlandPaths: XY[][] = [];
  for (let pass = 0; pass < o.headlandPasses; pass++)
    for (const poly of erode(field.local, (pass + 0.5) * w)) headlandPaths.push(...poly);
  for (const polygon of headlandPieces(field.local, interior, o)) {
    const areaM2 = polygonArea(polygon);
    const swaths = pathsWithin(headlandPaths, polygon, w);
    const len = swaths.reduce((sum, x) => sum + x.lengthM, 0);
    sections.push({
      id: '',
      kind: 'headland',
      order: 0,
      swaths,
      areaM2,
      workLengthM: len > 0 ? len : areaM2 / w,
      polygon,
      centroid: polygonCentroid(polygon),
    });
  }
  sections.forEach((s, i) => {
    s.order = i;
    s.id = `${s.kind === 'swath' ? 'S' : 'H'}${String(i + 1).padStart(4, '0')}`;
  });
  return {
    fieldName: field.geometry.name,
    origin: field.origin,
    field: field.local,
    fieldAreaM2: field.areaM2,
    workDirectionDeg: directionDeg,
    swathWidthM: w,
    headlandPasses: o.headlandPasses,
    rowPhaseM: ((rowStart % w) + w) % w,
    headlandPaths,
    turns: sections.reduce((s, x) => s + x.swaths.length, 0),
    sections,
  };
}

/** Sections each tractor should get at least, so one section is a small share of its run. */
const SECTIONS_PER_TRACTOR = 25;
const MIN_SECTION_LENGTH_M = 10;
const MAX_SECTION_LENGTH_M = 200;

/**
 * A section length that gives every tractor of the fleet about 25 sections: with contiguous
 * runs the makespan exceeds the fluid bound by at most about one section per tractor, so finer
 * sections bring the ratio toward 1 (see docs/field-work.md), down to a 10 m practical floor.
 */
export function suggestSectionLengthM(
  fieldAreaM2: number,
  swathWidthM: number,
  fleetSize: number,
): number {
  return lengthForSections(
    fieldAreaM2,
    swathWidthM,
    Math.max(1, fleetSize) * SECTIONS_PER_TRACTOR,
    {
      minM: Math.max(MIN_SECTION_LENGTH_M, swathWidthM),
      maxM: MAX_SECTION_LENGTH_M,
    },
  );
}

/**
 * Sections each machine of a working fleet should get: enough that when one runs out of work
 * the others still hold unstarted sections live rebalancing can move (with three or four each,
 * every section is started before the first machine is done). Measured on the executed
 * benchmark (docs/field-work.md): ten per machine beat eight there.
 */
const FLEET_SECTIONS_PER_MACHINE = 10;
/** A section at least this many swath widths long: shorter ones are mostly the turns into them. */
const FLEET_MIN_SECTION_WIDTHS = 3;

/**
 * The section length a station plans a job with for a fleet of `fleetSize` machines: about
 * ten sections per machine, between three swath widths and the default 100 m.
 */
export function fleetSectionLengthM(
  fieldAreaM2: number,
  swathWidthM: number,
  fleetSize: number,
): number {
  return lengthForSections(
    fieldAreaM2,
    swathWidthM,
    Math.max(1, fleetSize) * FLEET_SECTIONS_PER_MACHINE,
    {
      minM: FLEET_MIN_SECTION_WIDTHS * swathWidthM,
      maxM: DEFAULT_PLAN_OPTIONS.maxSectionLengthM,
    },
  );
}

/** The length that cuts the field's swaths into about `sections` pieces, within [minM, maxM]. */
function lengthForSections(
  fieldAreaM2: number,
  swathWidthM: number,
  sections: number,
  bounds: { minM: number; maxM: number },
): number {
  const l = fieldAreaM2 / (swathWidthM * sections);
  return Math.min(bounds.maxM, Math.max(bounds.minM, l));
}
