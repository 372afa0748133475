/**
 * Ground worked under an earlier boundary of the field (docs/field-work.md, "Live boundary
 * edits"). After an edit the swaths are laid anew, so old passes no longer lie on a swath's
 * centre line; they are kept as plain rectangles in the job's local frame. They count in the
 * coverage tally exactly, and a new swath is done wherever the old rectangles cover it across
 * its width — so no tractor is sent over finished ground again.
 */
import type { XY } from '../fleet/index.js';

export interface WorldSegment {
  tractorId: string;
  x0M: number;
  y0M: number;
  x1M: number;
  y1M: number;
  widthM: number;
}

/** Grid cell of the spatial index. */
const CELL_M = 25;
/** A swath is probed every this many metres along its centre line. */
const SAMPLE_M = 0.5;
/** Share of the swath's half-width probed on each side: its edges must be covered too. */
const EDGE_SHARE = 0.8;

export class CarriedCoverage {
  private readonly list: WorldSegment[] = [];
  private readonly grid = new Map<string, number[]>();

  get segments(): readonly WorldSegment[] {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  add(segment: WorldSegment): void {
    const index = this.list.push(segment) - 1;
    const pad = segment.widthM / 2;
    const [minX, maxX] = [
      Math.min(segment.x0M, segment.x1M) - pad,
      Math.max(segment.x0M, segment.x1M) + pad,
    ];
    const [minY, maxY] = [
      Math.min(segment.y0M, segment.y1M) - pad,
      Math.max(segment.y0M, segment.y1M) + pad,
    ];
    for (let cx = Math.floor(minX / CELL_M); cx <= Math.floor(maxX / CELL_M); cx++)
      for (let cy = Math.floor(minY / CELL_M); cy <= Math.floor(maxY / CELL_M); cy++) {
        const key = `${cx},${cy}`;
        const cell = this.grid.get(key);
        if (cell) cell.push(index);
        else this.grid.set(key, [index]);
      }
  }

  /** Whether any carried rectangle covers point `p`. */
  covers(p: XY): boolean {
    const cell = this.grid.get(`${Math.floor(p[0] / CELL_M)},${Math.floor(p[1] / CELL_M)}`);
    return cell?.some((i) => insideSegment(p, this.list[i])) ?? false;
  }

  /** Whether any rectangle may reach into the box (a quick test before an exact one). */
  reaches(box: { minX: number; minY: number; maxX: number; maxY: number }): boolean {
    for (let cx = Math.floor(box.minX / CELL_M); cx <= Math.floor(box.maxX / CELL_M); cx++)
      for (let cy = Math.floor(box.minY / CELL_M); cy <= Math.floor(box.maxY / CELL_M); cy++)
        if (this.grid.get(`${cx},${cy}`)?.some((i) => boxReaches(this.list[i], box))) return true;
    return false;
  }

  /** The intervals (metres from `start`) of the strip start→end, `widthM` wide, covered across its width. */
  doneAlong(start: XY, end: XY, widthM: number): [number, number][] {
    if (this.list.length === 0) return [];
    const length = Math.hypot(end[0] - start[0], end[1] - start[1]);
    if (length <= 0) return [];
    const ux = (end[0] - start[0]) / length;
    const uy = (end[1] - start[1]) / length;
    const side = (widthM / 2) * EDGE_SHARE;
    const out: [number, number][] = [];
    let runStart: number | null = null;
    const steps = Math.ceil(length / SAMPLE_M);
    for (let i = 0; i <= steps; i++) {
      const m = Math.min(length, i * SAMPLE_M);
      const c: XY = [start[0] + ux * m, start[1] + uy * m];
      const done =
        this.covers(c) &&
        this.covers([c[0] - uy * side, c[1] + ux * side]) &&
        this.covers([c[0] + uy * side, c[1] - ux * side]);
      if (done && runStart === null) runStart = m;
      if (!done && runStart !== null) {
        out.push([runStart, Math.max(runStart, m - SAMPLE_M)]);
        runStart = null;
      }
    }
    if (runStart !== null) out.push([runStart, length]);
    return out.filter(([a, b]) => b - a >= SAMPLE_M);
  }
}

function insideSegment(p: XY, s: WorldSegment | undefined): boolean {
  if (!s) return false;
  const dx = s.x1M - s.x0M;
  const dy = s.y1M - s.y0M;
  const length = Math.hypot(dx, dy);
  if (length <= 0) return false;
  const along = ((p[0] - s.x0M) * dx + (p[1] - s.y0M) * dy) / length;
  const across = Math.abs((p[0] - s.x0M) * dy - (p[1] - s.y0M) * dx) / length;
  return along >= -1e-6 && along <= length + 1e-6 && across <= s.widthM / 2 + 1e-6;
}

function boxReaches(
  s: WorldSegment | undefined,
  box: { minX: number; minY: number; maxX: number; maxY: number },
): boolean {
  if (!s) return false;
  const pad = s.widthM / 2;
  return (
    Math.min(s.x0M, s.x1M) - pad <= box.maxX &&
    Math.max(s.x0M, s.x1M) + pad >= box.minX &&
    Math.min(s.y0M, s.y1M) - pad <= box.maxY &&
    Math.max(s.y0M, s.y1M) + pad >= box.minY
  );
}
