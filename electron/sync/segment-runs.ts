/**
 * Joins one writer's consecutive swath segments into straight runs before they go into the
 * coverage log. A station hears a tractor's work as one short increment of its swath per
 * progress report (every 2 s): written as they come, they were a batch each — 3,574 log items,
 * 40 KB after DEFLATE, for 19 tractors' ten minutes (measured, bench sync.rejoin_can_ms), most
 * of what a tractor back from a radio cut has to receive. A run is what the CoverageRecorder
 * makes of positions: one segment per straight stretch at one width, closed when the next piece
 * does not continue it (another swath, a bend beyond `toleranceM`, another width, backwards)
 * or when it spans `maxRunMs` (so others still see progress within that bound).
 */
import type { SwathSegment } from './coverage-codec.js';
import { DEFAULT_RECORDER_CONFIG, lateralDistanceM } from './coverage-recorder.js';

export interface SegmentRunsConfig {
  /** Largest gap between a run's end and the next piece's start, and lateral deviation. */
  readonly toleranceM: number;
  /** Longest span of a run, first start to last end (the recorder's segment bound). */
  readonly maxRunMs: number;
}

export const DEFAULT_SEGMENT_RUNS_CONFIG: SegmentRunsConfig = {
  toleranceM: DEFAULT_RECORDER_CONFIG.toleranceM,
  maxRunMs: DEFAULT_RECORDER_CONFIG.maxSegmentMs,
};

interface Run {
  segment: SwathSegment;
  /** Where the pieces joined: every joint stays within tolerance of the run's chord. */
  readonly joints: { x: number; y: number }[];
}

export class SegmentRuns {
  private run: Run | null = null;

  constructor(private readonly config: SegmentRunsConfig = DEFAULT_SEGMENT_RUNS_CONFIG) {}

  /** When the open run must be closed by `takeDue` (null when none is open). */
  get dueAtMs(): number | null {
    return this.run ? this.run.segment.tMs + this.config.maxRunMs : null;
  }

  /** The run still open (not yet closed and logged), if any. */
  get open(): SwathSegment | null {
    return this.run ? { ...this.run.segment } : null;
  }

  /** Adds the next piece; returns the run it closed, if any. */
  add(piece: SwathSegment): SwathSegment[] {
    const run = this.run;
    if (run && this.continues(run, piece)) {
      const s = run.segment;
      run.joints.push({ x: s.x1M, y: s.y1M });
      run.segment = {
        ...s,
        x1M: piece.x1M,
        y1M: piece.y1M,
        durationMs: Math.max(s.durationMs, piece.tMs + piece.durationMs - s.tMs),
      };
      return [];
    }
    this.run = { segment: piece, joints: [] };
    return run ? [run.segment] : [];
  }

  /** Closes the open run if it has spanned `maxRunMs` by `nowMs`. */
  takeDue(nowMs: number): SwathSegment[] {
    const due = this.dueAtMs;
    return due !== null && nowMs >= due ? this.takeAll() : [];
  }

  /** Closes the open run (shutdown, or the writer's log is about to be read back). */
  takeAll(): SwathSegment[] {
    const run = this.run;
    this.run = null;
    return run ? [run.segment] : [];
  }

  private continues(run: Run, piece: SwathSegment): boolean {
    const s = run.segment;
    const tol = this.config.toleranceM;
    if (Math.abs(piece.widthM - s.widthM) > 1e-9) return false;
    // A piece stamped before the run began (the wall clock was set back) starts a new run.
    if (piece.tMs < s.tMs) return false;
    if (piece.tMs + piece.durationMs - s.tMs > this.config.maxRunMs) return false;
    if (Math.hypot(piece.x0M - s.x1M, piece.y0M - s.y1M) > tol) return false;
    const dx = s.x1M - s.x0M;
    const dy = s.y1M - s.y0M;
    // Forward along the run: a piece driven back over it is another pass, not more of this one.
    if (dx * (piece.x1M - piece.x0M) + dy * (piece.y1M - piece.y0M) <= 0) return false;
    const from = { x: s.x0M, y: s.y0M };
    const to = { x: piece.x1M, y: piece.y1M };
    return [...run.joints, { x: s.x1M, y: s.y1M }].every(
      (p) => lateralDistanceM(from, to, p) <= tol,
    );
  }
}
