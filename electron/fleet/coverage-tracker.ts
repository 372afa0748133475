import { at } from './at.js';
import { insertInterval, intervalsLength, overlapLength } from './coverage-rows.js';
import type { AreaTally, CoverageSegment, CoverageSummary } from './coverage-types.js';
import { bboxOf, polygonArea, rotatePoint, rotatePolygon, scanlineIntervals } from './polygon.js';
import type { LocalPolygon, XY } from './types.js';

/** Scan-row spacing. The error comes only from rows holding a vertex of the covered outline (see docs/field-work.md). */
export const DEFAULT_ROW_SPACING_M = 0.1;
/** Rows run at this angle to the work direction so swath sides and ends are never parallel to a row. */
const ROW_SKEW_DEG = 33.3;
/** Memory guard: beyond this many rows the spacing grows. */
const MAX_ROWS = 40_000;

export interface CoverageArea {
  field: LocalPolygon;
  sections?: readonly { id: string; polygon: LocalPolygon }[];
  workDirectionDeg?: number;
}

interface SectionRow {
  starts: Float64Array;
  ends: Float64Array;
  ids: Int32Array;
}

/**
 * Worked ground as exact intervals on closely spaced scan rows: each new coverage segment is cut
 * by the field (holes excluded) and merged into the rows; what was new counts once as unique area
 * for the tractor and the section, what was already worked counts as overlap. Area is the
 * midpoint rule over rows, exact between outline vertices.
 */
export class CoverageTracker {
  readonly rowSpacingM: number;
  readonly fieldAreaM2: number;
  private readonly angle: number;
  private readonly y0: number;
  private readonly fieldRows: number[][] = [];
  private readonly covered: number[][] = [];
  private readonly sectionRows: SectionRow[] = [];
  private readonly sectionIds: string[];
  private readonly sectionTally: AreaTally[];
  private readonly tractorTally = new Map<string, AreaTally>();
  private uniqueM2 = 0;
  private overlapM2 = 0;
  private readonly fresh: number[] = [];
  private readonly again: number[] = [];
  private readonly xs: number[] = [];

  constructor(area: CoverageArea, rowSpacingM = DEFAULT_ROW_SPACING_M) {
    this.angle = (((area.workDirectionDeg ?? 0) + ROW_SKEW_DEG) * Math.PI) / 180;
    const field = rotatePolygon(area.field, this.angle);
    const box = bboxOf(field);
    this.rowSpacingM = Math.max(rowSpacingM, (box.maxY - box.minY) / MAX_ROWS);
    this.y0 = box.minY;
    const rows = Math.ceil((box.maxY - box.minY) / this.rowSpacingM);
    for (let j = 0; j < rows; j++) {
      this.fieldRows.push(scanlineIntervals(field, this.rowCentre(j)));
      this.covered.push([]);
    }
    this.fieldAreaM2 = polygonArea(area.field);
    const sections = area.sections ?? [];
    this.sectionIds = sections.map((s) => s.id);
    this.sectionTally = sections.map(() => ({ uniqueM2: 0, overlapM2: 0 }));
    this.buildSectionRows(sections.map((s) => rotatePolygon(s.polygon, this.angle)));
  }

  private rowCentre(j: number): number {
    return this.y0 + (j + 0.5) * this.rowSpacingM;
  }

  private buildSectionRows(polys: LocalPolygon[]): void {
    const acc: { a: number; b: number; k: number }[][] = this.fieldRows.map(() => []);
    polys.forEach((poly, k) => {
      const box = bboxOf(poly);
      const [from, to] = this.rowRange(box.minY, box.maxY);
      for (let j = from; j <= to; j++) {
        const xs = scanlineIntervals(poly, this.rowCentre(j));
        for (let i = 0; i + 1 < xs.length; i += 2) at(acc, j).push({ a: at(xs, i), b: at(xs, i + 1), k });
      }
    });
    for (const list of acc) {
      list.sort((p, q) => p.a - q.a);
      this.sectionRows.push({ starts: Float64Array.from(list, (e) => e.a), ends: Float64Array.from(list, (e) => e.b), ids: Int32Array.from(list, (e) => e.k) });
    }
  }

  /** Rows whose centre lies in [minY, maxY], clamped to the field. */
  private rowRange(minY: number, maxY: number): [number, number] {
    const h = this.rowSpacingM;
    return [Math.max(0, Math.ceil((minY - this.y0) / h - 0.5)), Math.min(this.covered.length - 1, Math.floor((maxY - this.y0) / h - 0.5))];
  }

  private tally(tractorId: string): AreaTally {
    let t = this.tractorTally.get(tractorId);
    if (!t) {
      t = { uniqueM2: 0, overlapM2: 0 };
      this.tractorTally.set(tractorId, t);
    }
    return t;
  }

  /** Folds one segment into the totals. */
  add(seg: CoverageSegment): void {
    const dx = seg.end[0] - seg.start[0];
    const dy = seg.end[1] - seg.start[1];
    const len = Math.hypot(dx, dy);
    if (!(len > 0) || !(seg.widthM > 0)) return;
    const nx = (-dy / len) * (seg.widthM / 2);
    const ny = (dx / len) * (seg.widthM / 2);
    const quad: XY[] = [
      rotatePoint([seg.start[0] + nx, seg.start[1] + ny], this.angle),
      rotatePoint([seg.end[0] + nx, seg.end[1] + ny], this.angle),
      rotatePoint([seg.end[0] - nx, seg.end[1] - ny], this.angle),
      rotatePoint([seg.start[0] - nx, seg.start[1] - ny], this.angle),
    ];
    const ys = quad.map((p) => p[1]);
    const [from, to] = this.rowRange(Math.min(...ys), Math.max(...ys));
    const tractor = this.tally(seg.tractorId);
    const h = this.rowSpacingM;
    for (let j = from; j <= to; j++) {
      const yc = this.rowCentre(j);
      let xmin = Infinity;
      let xmax = -Infinity;
      for (let i = 0; i < 4; i++) {
        const p = at(quad, i);
        const q = at(quad, (i + 1) & 3);
        if (p[1] <= yc !== q[1] <= yc) {
          const x = p[0] + ((yc - p[1]) * (q[0] - p[0])) / (q[1] - p[1]);
          if (x < xmin) xmin = x;
          if (x > xmax) xmax = x;
        }
      }
      if (!(xmax > xmin)) continue;
      this.foldRow(j, xmin, xmax);
      const freshLen = intervalsLength(this.fresh) * h;
      const againLen = intervalsLength(this.again) * h;
      tractor.uniqueM2 += freshLen;
      tractor.overlapM2 += againLen;
      this.uniqueM2 += freshLen;
      this.overlapM2 += againLen;
      if (this.sectionIds.length > 0) {
        this.attribute(j, this.fresh, 'uniqueM2');
        this.attribute(j, this.again, 'overlapM2');
      }
    }
  }

  addAll(segments: Iterable<CoverageSegment>): void {
    for (const s of segments) this.add(s);
  }

  /** Clips [xmin, xmax] to the field on row j and merges it; leaves new and repeat parts in the scratch lists. */
  private foldRow(j: number, xmin: number, xmax: number): void {
    this.fresh.length = 0;
    this.again.length = 0;
    const field = at(this.fieldRows, j);
    const row = at(this.covered, j);
    for (let i = 0; i + 1 < field.length; i += 2) {
      const s = Math.max(xmin, at(field, i));
      const e = Math.min(xmax, at(field, i + 1));
      if (e > s) insertInterval(row, s, e, this.fresh, this.again);
    }
  }

  private attribute(j: number, parts: readonly number[], key: keyof AreaTally): void {
    const sr = at(this.sectionRows, j);
    const n = sr.starts.length;
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const s = at(parts, i);
      const e = at(parts, i + 1);
      // Last section starting at or before s, then forward while sections start before e.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sr.starts[mid] ?? 0) <= s) lo = mid + 1;
        else hi = mid;
      }
      for (let k = Math.max(0, lo - 1); k < n && (sr.starts[k] ?? 0) < e; k++) {
        const ov = Math.min(sr.ends[k] ?? 0, e) - Math.max(sr.starts[k] ?? 0, s);
        if (ov > 0) at(this.sectionTally, sr.ids[k] ?? 0)[key] += ov * this.rowSpacingM;
      }
    }
  }

  /** Worked area inside any polygon in local metres (e.g. a new section after a boundary edit). */
  coveredAreaWithin(poly: LocalPolygon): number {
    const rot = rotatePolygon(poly, this.angle);
    const box = bboxOf(rot);
    const [from, to] = this.rowRange(box.minY, box.maxY);
    let sum = 0;
    for (let j = from; j <= to; j++) {
      const xs = scanlineIntervals(rot, this.rowCentre(j));
      for (let i = 0; i + 1 < xs.length; i += 2) sum += overlapLength(at(this.covered, j), at(xs, i), at(xs, i + 1));
    }
    return sum * this.rowSpacingM;
  }

  get totals(): AreaTally {
    return { uniqueM2: this.uniqueM2, overlapM2: this.overlapM2 };
  }

  tractor(id: string): AreaTally {
    const t = this.tractorTally.get(id);
    return t ? { ...t } : { uniqueM2: 0, overlapM2: 0 };
  }

  section(id: string): AreaTally {
    const k = this.sectionIds.indexOf(id);
    return k >= 0 ? { ...at(this.sectionTally, k) } : { uniqueM2: 0, overlapM2: 0 };
  }

  summary(): CoverageSummary {
    const tractors: Record<string, AreaTally> = {};
    for (const [id, t] of this.tractorTally) tractors[id] = { ...t };
    const sections: Record<string, AreaTally> = {};
    this.sectionIds.forEach((id, k) => (sections[id] = { ...at(this.sectionTally, k) }));
    return { fieldAreaM2: this.fieldAreaM2, uniqueM2: this.uniqueM2, overlapM2: this.overlapM2, tractors, sections };
  }
}
