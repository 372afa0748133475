/**
 * The scan rows a CoverageTracker folds coverage on: the field's and each section's intervals on
 * every row. Building them is most of a tracker's cost (over half a second for a 64 ha field of
 * 1,100 sections), and they depend only on the plan, so one grid serves every tracker of a plan
 * and is built once — in the field thread after a boundary edit. Plain data: it crosses threads.
 */
import { at } from './at.js';
import { bboxOf, polygonArea, rotatePolygon, scanlineIntervals } from './polygon.js';
import type { LocalPolygon } from './types.js';

/** Scan-row spacing. The error comes only from rows holding a vertex of the covered outline (see docs/field-work.md). */
export const DEFAULT_ROW_SPACING_M = 0.2;
/** Rows run at this angle to the work direction so swath sides and ends are never parallel to a row. */
const ROW_SKEW_DEG = 33.3;
/** Memory guard: beyond this many rows the spacing grows. */
const MAX_ROWS = 40_000;

export interface CoverageArea {
  field: LocalPolygon;
  sections?: readonly { id: string; polygon: LocalPolygon }[];
  workDirectionDeg?: number;
}

/** The sections' intervals on one row, sorted by start. */
export interface SectionRow {
  starts: Float64Array;
  ends: Float64Array;
  /** Index into `CoverageGrid.sectionIds`. */
  ids: Int32Array;
}

/** Read-only once built: trackers share it. */
export interface CoverageGrid {
  /** Rows run at this angle (radians) in the local frame. */
  angle: number;
  rowSpacingM: number;
  /** The first row's lower edge, in the rotated frame. */
  y0: number;
  fieldAreaM2: number;
  /** The field's intervals on each row, flat (start, end, start, end, …). */
  fieldRows: number[][];
  sectionIds: string[];
  sectionRows: SectionRow[];
}

export function coverageGrid(
  area: CoverageArea,
  rowSpacingM = DEFAULT_ROW_SPACING_M,
): CoverageGrid {
  const angle = (((area.workDirectionDeg ?? 0) + ROW_SKEW_DEG) * Math.PI) / 180;
  const field = rotatePolygon(area.field, angle);
  const box = bboxOf(field);
  const spacing = Math.max(rowSpacingM, (box.maxY - box.minY) / MAX_ROWS);
  const grid: CoverageGrid = {
    angle,
    rowSpacingM: spacing,
    y0: box.minY,
    fieldAreaM2: polygonArea(area.field),
    fieldRows: [],
    sectionIds: (area.sections ?? []).map((s) => s.id),
    sectionRows: [],
  };
  const rows = Math.ceil((box.maxY - box.minY) / spacing);
  for (let j = 0; j < rows; j++) grid.fieldRows.push(scanlineIntervals(field, rowCentre(grid, j)));
  const polys = (area.sections ?? []).map((s) => rotatePolygon(s.polygon, angle));
  grid.sectionRows = sectionRows(grid, polys);
  return grid;
}

export function rowCentre(grid: CoverageGrid, j: number): number {
  return grid.y0 + (j + 0.5) * grid.rowSpacingM;
}

/** Rows whose centre lies in [minY, maxY], clamped to the field. */
export function rowRange(grid: CoverageGrid, minY: number, maxY: number): [number, number] {
  return [firstRow(grid, minY), lastRow(grid, maxY)];
}

export function firstRow(grid: CoverageGrid, minY: number): number {
  return Math.max(0, Math.ceil((minY - grid.y0) / grid.rowSpacingM - 0.5));
}

export function lastRow(grid: CoverageGrid, maxY: number): number {
  return Math.min(grid.fieldRows.length - 1, Math.floor((maxY - grid.y0) / grid.rowSpacingM - 0.5));
}

function sectionRows(grid: CoverageGrid, polys: LocalPolygon[]): SectionRow[] {
  const acc: { a: number; b: number; k: number }[][] = grid.fieldRows.map(() => []);
  polys.forEach((poly, k) => {
    const box = bboxOf(poly);
    const [from, to] = rowRange(grid, box.minY, box.maxY);
    for (let j = from; j <= to; j++) {
      const xs = scanlineIntervals(poly, rowCentre(grid, j));
      for (let i = 0; i + 1 < xs.length; i += 2)
        at(acc, j).push({ a: at(xs, i), b: at(xs, i + 1), k });
    }
  });
  return acc.map((list) => {
    list.sort((p, q) => p.a - q.a);
    return {
      starts: Float64Array.from(list, (e) => e.a),
      ends: Float64Array.from(list, (e) => e.b),
      ids: Int32Array.from(list, (e) => e.k),
    };
  });
}
