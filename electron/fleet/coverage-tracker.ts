import { at } from './at.js';
import {
  insertInterval,
  intervalsLength,
  newScratch,
  overlapLength,
  type FoldScratch,
} from './coverage-rows.js';
import {
  coverageGrid,
  DEFAULT_ROW_SPACING_M,
  firstRow,
  lastRow,
  rowCentre,
  rowRange,
  type CoverageArea,
  type CoverageGrid,
} from './coverage-grid.js';
import type { AreaTally, CoverageSegment, CoverageSummary } from './coverage-types.js';
import { bboxOf, rotatePolygon, scanlineIntervals } from './polygon.js';
import type { LocalPolygon } from './types.js';

interface PendingRun {
  active: boolean;
  tractorId: string;
  widthM: number;
  sx: number;
  sy: number;
  ex: number;
  ey: number;
}

/** Abutment and collinearity tolerance, relative to the lengths involved (float round-off only). */
const COLLINEAR_EPS = 1e-9;

function continues(p: PendingRun, s: CoverageSegment): boolean {
  const ax = p.ex - p.sx;
  const ay = p.ey - p.sy;
  const bx = s.end[0] - s.start[0];
  const by = s.end[1] - s.start[1];
  const la = Math.hypot(ax, ay);
  const lb = Math.hypot(bx, by);
  if (
    Math.abs(s.start[0] - p.ex) > COLLINEAR_EPS * la ||
    Math.abs(s.start[1] - p.ey) > COLLINEAR_EPS * la
  )
    return false;
  return Math.abs(ax * by - ay * bx) <= COLLINEAR_EPS * la * lb && ax * bx + ay * by > 0;
}

/**
 * Worked ground as exact intervals on closely spaced scan rows: each new coverage segment is cut
 * by the field (holes excluded) and merged into the rows; what was new counts once as unique area
 * for the tractor and the section, what was already worked counts as overlap. Area is the
 * midpoint rule over rows, exact between outline vertices.
 */
export class CoverageTracker {
  /** The scan rows, shared with every other tracker built on the same grid. */
  readonly grid: CoverageGrid;
  private readonly covered: number[][] = [];
  private readonly sectionUnique: Float64Array;
  private readonly sectionOverlap: Float64Array;
  private readonly rowHint: Int32Array;
  private readonly tractorTally = new Map<string, AreaTally>();
  private uniqueM2 = 0;
  private overlapM2 = 0;
  private readonly scratch: FoldScratch = newScratch();
  private readonly quad = new Float64Array(8);
  private readonly pending: PendingRun = {
    active: false,
    tractorId: '',
    widthM: 0,
    sx: 0,
    sy: 0,
    ex: 0,
    ey: 0,
  };
  private readonly cos: number;
  private readonly sin: number;

  /** On the area's own grid, or on a grid built before (`coverageGrid`) for the same area. */
  constructor(area: CoverageArea | CoverageGrid, rowSpacingM = DEFAULT_ROW_SPACING_M) {
    this.grid = 'fieldRows' in area ? area : coverageGrid(area, rowSpacingM);
    this.cos = Math.cos(this.grid.angle);
    this.sin = Math.sin(this.grid.angle);
    const rows = this.grid.fieldRows.length;
    for (let j = 0; j < rows; j++) this.covered.push([]);
    this.sectionUnique = new Float64Array(this.grid.sectionIds.length);
    this.sectionOverlap = new Float64Array(this.grid.sectionIds.length);
    this.rowHint = new Int32Array(rows);
  }

  get rowSpacingM(): number {
    return this.grid.rowSpacingM;
  }

  get fieldAreaM2(): number {
    return this.grid.fieldAreaM2;
  }

  private tally(tractorId: string): AreaTally {
    let t = this.tractorTally.get(tractorId);
    if (!t) {
      t = { uniqueM2: 0, overlapM2: 0 };
      this.tractorTally.set(tractorId, t);
    }
    return t;
  }

  /** Folds one segment into the totals. Allocation-free: it runs 200 times a second per fleet. */
  add(seg: CoverageSegment): void {
    this.sweep(seg.tractorId, seg.start[0], seg.start[1], seg.end[0], seg.end[1], seg.widthM);
  }

  /**
   * Folds a batch of log entries. Consecutive entries of one tractor that continue each other
   * in a straight line (same width, abutting, collinear to float precision) sweep exactly the
   * rectangle of their whole run, so they are folded as that one rectangle: same area, a fraction
   * of the row work for straight passes.
   */
  addAll(segments: Iterable<CoverageSegment>): void {
    const p = this.pending;
    p.active = false;
    for (const s of segments) {
      if (p.active && s.tractorId === p.tractorId && s.widthM === p.widthM && continues(p, s)) {
        p.ex = s.end[0];
        p.ey = s.end[1];
        continue;
      }
      if (p.active) this.sweep(p.tractorId, p.sx, p.sy, p.ex, p.ey, p.widthM);
      p.active = true;
      p.tractorId = s.tractorId;
      p.widthM = s.widthM;
      p.sx = s.start[0];
      p.sy = s.start[1];
      p.ex = s.end[0];
      p.ey = s.end[1];
    }
    if (p.active) this.sweep(p.tractorId, p.sx, p.sy, p.ex, p.ey, p.widthM);
    p.active = false;
  }

  private sweep(
    tractorId: string,
    sx: number,
    sy: number,
    ex: number,
    ey: number,
    widthM: number,
  ): void {
    const dx = ex - sx;
    const dy = ey - sy;
    const len = Math.hypot(dx, dy);
    if (!(len > 0) || !(widthM > 0)) return;
    const nx = (-dy / len) * (widthM / 2);
    const ny = (dx / len) * (widthM / 2);
    const q = this.quad;
    this.corner(0, sx + nx, sy + ny);
    this.corner(1, ex + nx, ey + ny);
    this.corner(2, ex - nx, ey - ny);
    this.corner(3, sx - nx, sy - ny);
    const minY = Math.min(q[1] ?? 0, q[3] ?? 0, q[5] ?? 0, q[7] ?? 0);
    const maxY = Math.max(q[1] ?? 0, q[3] ?? 0, q[5] ?? 0, q[7] ?? 0);
    const from = firstRow(this.grid, minY);
    const to = lastRow(this.grid, maxY);
    const tractor = this.tally(tractorId);
    const h = this.rowSpacingM;
    const withSections = this.grid.sectionIds.length > 0;
    for (let j = from; j <= to; j++) {
      const yc = rowCentre(this.grid, j);
      let xmin = Infinity;
      let xmax = -Infinity;
      for (let i = 0; i < 4; i++) {
        const k = (i + 1) & 3;
        const py = q[2 * i + 1] ?? 0;
        const qy = q[2 * k + 1] ?? 0;
        if (py <= yc !== qy <= yc) {
          const px = q[2 * i] ?? 0;
          const x = px + ((yc - py) * ((q[2 * k] ?? 0) - px)) / (qy - py);
          if (x < xmin) xmin = x;
          if (x > xmax) xmax = x;
        }
      }
      if (!(xmax > xmin)) continue;
      this.foldRow(j, xmin, xmax);
      const sc = this.scratch;
      const freshLen = intervalsLength(sc.fresh, sc.freshN) * h;
      const againLen = intervalsLength(sc.again, sc.againN) * h;
      tractor.uniqueM2 += freshLen;
      tractor.overlapM2 += againLen;
      this.uniqueM2 += freshLen;
      this.overlapM2 += againLen;
      if (withSections) {
        if (sc.freshN > 0) this.attribute(j, sc.fresh, sc.freshN, this.sectionUnique);
        if (sc.againN > 0) this.attribute(j, sc.again, sc.againN, this.sectionOverlap);
      }
    }
  }

  /** Stores corner i of the swept rectangle, rotated into the row frame. */
  private corner(i: number, x: number, y: number): void {
    this.quad[2 * i] = this.cos * x + this.sin * y;
    this.quad[2 * i + 1] = -this.sin * x + this.cos * y;
  }

  /** Clips [xmin, xmax] to the field on row j and merges it; leaves new and repeat parts in the scratch lists. */
  private foldRow(j: number, xmin: number, xmax: number): void {
    this.scratch.freshN = 0;
    this.scratch.againN = 0;
    const field = this.grid.fieldRows[j] ?? [];
    const row = this.covered[j];
    if (!row) return;
    for (let i = 0; i + 1 < field.length; i += 2) {
      const s = Math.max(xmin, field[i] ?? 0);
      const e = Math.min(xmax, field[i + 1] ?? 0);
      if (e > s) insertInterval(row, s, e, this.scratch);
    }
  }

  private attribute(j: number, parts: readonly number[], count: number, into: Float64Array): void {
    const sr = this.grid.sectionRows[j];
    if (!sr) return;
    const n = sr.starts.length;
    const starts = sr.starts;
    const ends = sr.ends;
    for (let i = 0; i + 1 < count; i += 2) {
      const s = parts[i] ?? 0;
      const e = parts[i + 1] ?? 0;
      // The section hit last time on this row is the usual answer (a tractor stays in its
      // section); otherwise binary search for the last section starting at or before s.
      let k = this.rowHint[j] ?? 0;
      if (!(k < n && (starts[k] ?? 0) <= s && s < (ends[k] ?? 0))) {
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((starts[mid] ?? 0) <= s) lo = mid + 1;
          else hi = mid;
        }
        k = Math.max(0, lo - 1);
        this.rowHint[j] = k;
      }
      for (; k < n && (starts[k] ?? 0) < e; k++) {
        const ov = Math.min(ends[k] ?? 0, e) - Math.max(starts[k] ?? 0, s);
        if (ov > 0) into[sr.ids[k] ?? 0] = (into[sr.ids[k] ?? 0] ?? 0) + ov * this.rowSpacingM;
      }
    }
  }

  /** Worked area inside any polygon in local metres (e.g. a new section after a boundary edit). */
  coveredAreaWithin(poly: LocalPolygon): number {
    const rot = rotatePolygon(poly, this.grid.angle);
    const box = bboxOf(rot);
    const [from, to] = rowRange(this.grid, box.minY, box.maxY);
    let sum = 0;
    for (let j = from; j <= to; j++) {
      const xs = scanlineIntervals(rot, rowCentre(this.grid, j));
      for (let i = 0; i + 1 < xs.length; i += 2)
        sum += overlapLength(at(this.covered, j), at(xs, i), at(xs, i + 1));
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
    const k = this.grid.sectionIds.indexOf(id);
    return k >= 0
      ? { uniqueM2: this.sectionUnique[k] ?? 0, overlapM2: this.sectionOverlap[k] ?? 0 }
      : { uniqueM2: 0, overlapM2: 0 };
  }

  summary(): CoverageSummary {
    const tractors: Record<string, AreaTally> = {};
    for (const [id, t] of this.tractorTally) tractors[id] = { ...t };
    const sections: Record<string, AreaTally> = {};
    this.grid.sectionIds.forEach(
      (id, k) =>
        (sections[id] = {
          uniqueM2: this.sectionUnique[k] ?? 0,
          overlapM2: this.sectionOverlap[k] ?? 0,
        }),
    );
    return {
      fieldAreaM2: this.fieldAreaM2,
      uniqueM2: this.uniqueM2,
      overlapM2: this.overlapM2,
      tractors,
      sections,
    };
  }
}
