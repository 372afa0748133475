/**
 * Turns 1 Hz work positions into swath segments: a straight run at one width becomes one
 * segment instead of one record a second ("swath segments, not raw points"). A segment
 * is closed when the path bends beyond `toleranceM`, the width changes, the work stops, or it
 * reaches `maxSegmentMs` (so others see progress within that bound).
 */
import type { SwathSegment } from './coverage-codec.js';

export interface WorkSample {
  readonly tMs: number;
  readonly xM: number;
  readonly yM: number;
  readonly widthM: number;
  /** False when the implement is lifted or sections are off: nothing is covered. */
  readonly working: boolean;
}

export interface CoverageRecorderConfig {
  /** Largest lateral deviation of a sample from the segment's chord. */
  readonly toleranceM: number;
  readonly maxSegmentMs: number;
}

export const DEFAULT_RECORDER_CONFIG: CoverageRecorderConfig = {
  toleranceM: 0.05,
  maxSegmentMs: 10_000,
};

interface OpenRun {
  readonly start: WorkSample;
  readonly samples: WorkSample[];
}

export class CoverageRecorder {
  private run: OpenRun | null = null;

  constructor(
    private readonly emit: (segment: SwathSegment) => void,
    private readonly config: CoverageRecorderConfig = DEFAULT_RECORDER_CONFIG,
  ) {}

  add(sample: WorkSample): void {
    if (!sample.working) {
      this.flush();
      return;
    }
    const run = this.run;
    if (!run) {
      this.run = { start: sample, samples: [] };
      return;
    }
    const fits =
      sample.widthM === run.start.widthM &&
      sample.tMs - run.start.tMs <= this.config.maxSegmentMs &&
      run.samples.every(
        (s) => lateralDistanceM(at(run.start), at(sample), at(s)) <= this.config.toleranceM,
      );
    if (fits) {
      run.samples.push(sample);
      return;
    }
    const last = run.samples.at(-1);
    if (last) {
      this.emit(segmentOf(run.start, last));
      // The next run starts where this one ended so the swath has no gap.
      this.run = { start: last, samples: [sample] };
    } else {
      this.run = { start: sample, samples: [] };
    }
  }

  /** Closes the open segment (work stopped, job paused, shutdown). */
  flush(): void {
    const run = this.run;
    this.run = null;
    const last = run?.samples.at(-1);
    if (run && last) this.emit(segmentOf(run.start, last));
  }
}

function segmentOf(a: WorkSample, b: WorkSample): SwathSegment {
  return {
    tMs: a.tMs,
    durationMs: b.tMs - a.tMs,
    x0M: a.xM,
    y0M: a.yM,
    x1M: b.xM,
    y1M: b.yM,
    widthM: a.widthM,
  };
}

/** How far point p lies from the line through a and b (from a itself when a = b), metres. */
export function lateralDistanceM(
  a: { x: number; y: number },
  b: { x: number; y: number },
  p: { x: number; y: number },
): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p.x - a.x, p.y - a.y);
  return Math.abs(dx * (p.y - a.y) - dy * (p.x - a.x)) / len;
}

const at = (s: WorkSample): { x: number; y: number } => ({ x: s.xM, y: s.yM });
