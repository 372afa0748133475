/**
 * Each tractor's coverage as the job document logs it: consecutive pieces of one straight run
 * joined first (electron/sync/segment-runs.ts), a run logged when it closes (another swath, a
 * bend, or 10 s long), the run still open written ahead in the store, and the runs a station
 * left open when it died logged once the document opens again. One log item per run instead of
 * one per progress report, and a station that dies loses at most WRITE_AHEAD_MS of a run.
 */
import type { CoverageSegment } from '../fleet/index.js';
import {
  DEFAULT_SEGMENT_RUNS_CONFIG,
  SegmentRuns,
  decodeSegments,
  encodeSegments,
  type JobDoc,
  type SwathSegment,
  type UpdateStore,
} from '../sync/index.js';
import type { Clock } from '../time/index.js';

/**
 * An open run's progress is written ahead (sync.db, `open_runs`) at most this long after it grew.
 * With the station's coverage flush (250 ms) a progress report is on disk within 0.75 s: inside
 * the one second of reported work a kill -9 or a power cut may cost.
 */
export const WRITE_AHEAD_MS = 500;

/** A coverage segment's nominal duration when the tractor did not say (one telemetry flush). */
const DEFAULT_SEGMENT_MS = 1_000;

export interface CoverageRunLogParts {
  store: UpdateStore;
  job: JobDoc;
  jobId: string;
  clock: Clock;
  log: (line: string) => void;
  /** A timer's task failed (the document could not be written): reported, never thrown. */
  fault?: ((source: string, err: unknown) => void) | undefined;
}

export class CoverageRunLog {
  /** Each tractor's open run of coverage (segment-runs.ts): written once it closes. */
  private readonly runs = new Map<string, SegmentRuns>();
  private cancelRunTimer: (() => void) | undefined;
  private runTimerAtMs = Infinity;
  /** Tractors whose open run grew since it was last written ahead. */
  private readonly unwritten = new Set<string>();
  private cancelWriteAhead: (() => void) | undefined;
  private closed = false;

  constructor(private readonly p: CoverageRunLogParts) {}

  /**
   * Runs that were open when the station stopped without closing them (kill -9, power cut) were
   * written ahead: they go into the coverage log now, in the same commit that clears them.
   */
  logRunsWrittenAhead(): void {
    const runs = this.p.store.openRuns(this.p.jobId);
    if (runs.length === 0) return;
    let segments = 0;
    this.p.store.transaction(() => {
      for (const { writer, data } of runs) {
        try {
          const open = decodeSegments(data);
          this.p.job.appendCoverage(writer, open);
          segments += open.length;
        } catch (error) {
          this.p.log(
            `sync: open run of ${writer} could not be read (${error instanceof Error ? error.message : String(error)})`,
          );
        }
        this.p.store.putOpenRun(this.p.jobId, writer, null);
      }
    });
    this.p.log(
      `sync: ${segments} coverage run(s) open when the station stopped were written ahead; now logged`,
    );
  }

  /** Appends worked segments (local metres of the job's frame) to a tractor's runs. */
  append(tractorId: string, segments: readonly CoverageSegment[]): void {
    if (this.closed) return;
    const wallMs = this.p.clock.wallNow();
    let runs = this.runs.get(tractorId);
    if (!runs) {
      runs = new SegmentRuns();
      this.runs.set(tractorId, runs);
    }
    const closed: SwathSegment[] = [];
    for (const s of segments)
      closed.push(
        ...runs.add({
          tMs: wallMs,
          durationMs: DEFAULT_SEGMENT_MS,
          x0M: s.start[0],
          y0M: s.start[1],
          x1M: s.end[0],
          y1M: s.end[1],
          widthM: s.widthM,
        }),
      );
    closed.push(...runs.takeDue(wallMs));
    if (closed.length > 0) this.commit(tractorId, runs, closed);
    else {
      this.unwritten.add(tractorId);
      this.armWriteAhead();
    }
    this.armRunTimer();
  }

  /** Writes ahead every open run that grew since it last was (one commit). */
  writeAhead(): void {
    if (this.closed || this.unwritten.size === 0) return;
    this.p.store.transaction(() => {
      for (const tractorId of [...this.unwritten]) {
        const runs = this.runs.get(tractorId);
        if (runs) this.putOpenRun(tractorId, runs);
      }
    });
  }

  /** Writes every open run into the log, then takes no more (the document closes). */
  close(): void {
    if (this.closed) return;
    for (const [tractorId, runs] of this.runs) {
      const open = runs.takeAll();
      if (open.length > 0) this.commit(tractorId, runs, open);
    }
    this.closed = true;
    this.cancelRunTimer?.();
    this.cancelWriteAhead?.();
  }

  /** Closed runs into the log and the open run's write-ahead record, in one commit. */
  private commit(tractorId: string, runs: SegmentRuns, closed: SwathSegment[]): void {
    this.p.store.transaction(() => {
      this.p.job.appendCoverage(tractorId, closed);
      this.putOpenRun(tractorId, runs);
    });
  }

  private putOpenRun(tractorId: string, runs: SegmentRuns): void {
    const open = runs.open;
    this.p.store.putOpenRun(this.p.jobId, tractorId, open ? encodeSegments([open]) : null);
    this.unwritten.delete(tractorId);
  }

  private armWriteAhead(): void {
    if (this.cancelWriteAhead) return;
    this.cancelWriteAhead = this.p.clock.setTimer(WRITE_AHEAD_MS, () => {
      this.cancelWriteAhead = undefined;
      this.writeAhead();
    });
  }

  /** A timer for the run that is due first, so a machine that stops still has its run written. */
  private armRunTimer(): void {
    let due = Infinity;
    for (const runs of this.runs.values()) due = Math.min(due, runs.dueAtMs ?? Infinity);
    if (due === this.runTimerAtMs) return;
    this.cancelRunTimer?.();
    this.cancelRunTimer = undefined;
    this.runTimerAtMs = due;
    if (due === Infinity) return;
    const clock = this.p.clock;
    // Wall time decides when a run is due; never wait longer than a run may last (a wall clock
    // set back would otherwise hold the run for as long as it was set back).
    const delayMs = Math.min(
      DEFAULT_SEGMENT_RUNS_CONFIG.maxRunMs,
      Math.max(0, due - clock.wallNow()),
    );
    this.cancelRunTimer = clock.setTimer(delayMs, () => {
      this.cancelRunTimer = undefined;
      this.runTimerAtMs = Infinity;
      if (this.closed) return;
      const nowMs = clock.wallNow();
      try {
        for (const [tractorId, runs] of this.runs) {
          const closed = runs.takeDue(nowMs);
          if (closed.length > 0) this.commit(tractorId, runs, closed);
        }
      } catch (err) {
        (this.p.fault ?? ((_s, e) => this.p.log(`sync: coverage run: ${String(e)}`)))(
          'coverage log',
          err,
        );
      }
      this.armRunTimer();
    });
  }
}
