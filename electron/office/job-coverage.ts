/**
 * What the office can tell of the work from a job document's coverage log: the swath area
 * each machine drove and where its last recorded swath ended. Positions are not in the
 * document (telemetry stays on the station: docs/sync-schema.md), so a machine's last swath end
 * is the nearest the office has to where it is; a station writes a run when it closes, at the
 * latest 10 s after it began.
 */
import { readCoverage, type SwathSegment } from '../sync/index.js';
import type * as Y from 'yjs';

export interface MachineCoverage {
  /** Swath length × width over every segment, m² (ground driven twice counts twice). */
  readonly drivenM2: number;
  readonly last: SwathSegment | null;
}

export function machineCoverage(doc: Y.Doc, tractorId: string): MachineCoverage {
  const segments = readCoverage(doc, tractorId);
  let drivenM2 = 0;
  for (const s of segments) drivenM2 += Math.hypot(s.x1M - s.x0M, s.y1M - s.y0M) * s.widthM;
  return { drivenM2, last: segments.at(-1) ?? null };
}

/** The share of `totalM2` driven, 0..1 (0 for a job of no area). */
export function workedShare(drivenM2: number, totalM2: number): number {
  return totalM2 > 0 ? Math.min(1, drivenM2 / totalM2) : 0;
}
