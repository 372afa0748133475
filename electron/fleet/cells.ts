import { at } from './at.js';

/** One interior piece as the ordering sees it: its band row, its band component and position. */
export interface RowPiece {
  row: number;
  /** Index of the band component in its row, left to right. */
  comp: number;
  compMinX: number;
  compMaxX: number;
  /** Centroid x in the rotated frame (work direction = x axis). */
  x: number;
  /** The row's centre line y, metres. */
  y: number;
}

interface Cell {
  /** Piece indices per row, rows ascending, pieces left to right. */
  rows: number[][];
  firstRow: number;
}

export interface OrderedPiece {
  index: number;
  /** Driven left to right (along +x) in the rotated frame. */
  forward: boolean;
}

/**
 * Boustrophedon cell decomposition (Choset & Pignon 1998): consecutive band rows whose
 * components match one to one (same count, overlapping in x) form a cell; a hole or a bay
 * changes the count and starts new cells. Each cell is worked back and forth as a whole, and
 * cells follow each other nearest-first, so a run does not zig-zag across a hole on every row.
 */
export function cellOrder(pieces: readonly RowPiece[]): OrderedPiece[] {
  const cells = buildCells(pieces);
  const done = new Set<number>();
  const out: OrderedPiece[] = [];
  let end: [number, number] | undefined;
  while (done.size < cells.length) {
    let best: { cell: number; up: boolean; ltr: boolean; d: number } | undefined;
    cells.forEach((cell, c) => {
      if (done.has(c)) return;
      for (const up of [true, false])
        for (const ltr of [true, false]) {
          const start = endpoints(cell, pieces, up, ltr).start;
          const d = end
            ? Math.hypot(start[0] - end[0], start[1] - end[1])
            : c === 0 && up && ltr
              ? 0
              : Infinity;
          if (!best || d < best.d) best = { cell: c, up, ltr, d };
        }
    });
    if (!best) break;
    const { cell: c, up, ltr } = best;
    const cell = at(cells, c);
    done.add(c);
    const rows = up ? cell.rows : [...cell.rows].reverse();
    rows.forEach((row, i) => {
      const forward = ltr === (i % 2 === 0);
      for (const index of forward ? row : [...row].reverse()) out.push({ index, forward });
    });
    end = endpoints(cell, pieces, up, ltr).end;
  }
  return out;
}

function buildCells(pieces: readonly RowPiece[]): Cell[] {
  const byRow = new Map<number, Map<number, number[]>>();
  pieces.forEach((p, i) => {
    const row = byRow.get(p.row) ?? new Map<number, number[]>();
    byRow.set(p.row, row);
    row.set(p.comp, [...(row.get(p.comp) ?? []), i]);
  });
  const cells: Cell[] = [];
  let prev: { row: number; comps: { minX: number; maxX: number; cell: number }[] } | undefined;
  for (const rowIndex of [...byRow.keys()].sort((a, b) => a - b)) {
    const comps = [...(byRow.get(rowIndex) ?? new Map<number, number[]>()).entries()].sort(
      (a, b) => a[0] - b[0],
    );
    const spans = comps.map(([, idx]) => ({
      minX: at(pieces, at(idx, 0)).compMinX,
      maxX: at(pieces, at(idx, 0)).compMaxX,
    }));
    const continues =
      prev !== undefined &&
      prev.row === rowIndex - 1 &&
      prev.comps.length === spans.length &&
      spans.every(
        (s, i) =>
          s.minX <= at(prev?.comps ?? [], i).maxX && at(prev?.comps ?? [], i).minX <= s.maxX,
      );
    const current: { minX: number; maxX: number; cell: number }[] = [];
    comps.forEach(([, idx], i) => {
      let cell = continues ? at(prev?.comps ?? [], i).cell : -1;
      if (cell < 0) {
        cell = cells.length;
        cells.push({ rows: [], firstRow: rowIndex });
      }
      at(cells, cell).rows.push([...idx].sort((a, b) => at(pieces, a).x - at(pieces, b).x));
      current.push({ ...at(spans, i), cell });
    });
    prev = { row: rowIndex, comps: current };
  }
  return cells;
}

/** Approximate start and end of working a cell one way: (x of the first/last piece, row). */
function endpoints(
  cell: Cell,
  pieces: readonly RowPiece[],
  up: boolean,
  ltr: boolean,
): { start: [number, number]; end: [number, number] } {
  const rows = up ? cell.rows : [...cell.rows].reverse();
  const first = at(rows, 0);
  const last = at(rows, rows.length - 1);
  const lastForward = ltr === ((rows.length - 1) % 2 === 0);
  const startPiece = at(pieces, ltr ? at(first, 0) : at(first, first.length - 1));
  const endPiece = at(pieces, lastForward ? at(last, last.length - 1) : at(last, 0));
  return {
    start: [ltr ? startPiece.compMinX : startPiece.compMaxX, startPiece.y],
    end: [lastForward ? endPiece.compMaxX : endPiece.compMinX, endPiece.y],
  };
}
