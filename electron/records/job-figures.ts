/**
 * The job's worked area as the station counts it: every tractor's coverage log folded, tractor
 * by tractor, as straight runs (straight-runs.ts) into a CoverageTracker over the field and its
 * sections (electron/fleet), so unique and overlap area per tractor and per section are the
 * station's own figures. Runs are chained into passes (one tractor, no gap, small turns), each
 * credited with the unique and overlap area it added: the features the GIS formats carry. A
 * machine's refill stop ends its run and its pass.
 */
import {
  CoverageTracker,
  TangentFrame,
  type AreaTally,
  type LocalPolygon,
  type XY,
} from '../fleet/index.js';
import { pointInPolygon } from '../geometry/index.js';
import type { SwathSegment } from '../sync/index.js';
import type { JobData } from './job-reader.js';
import { StraightRunBuilder, type StraightRun } from './straight-runs.js';

/** A run continues a pass when it starts within this distance of the pass's end. */
const CHAIN_GAP_M = 0.05;
/** ...and turns by at most this much (larger turns start a new pass: headland turns). */
const CHAIN_TURN_DEG = 10;

export interface PassFigure {
  readonly tractorId: string;
  /** The section holding the pass's midpoint, or null when it lies outside every section. */
  sectionId: string | null;
  readonly startMs: number;
  endMs: number;
  readonly widthM: number;
  /** Centre line, local metres. */
  readonly line: XY[];
  uniqueM2: number;
  overlapM2: number;
}

export interface Tally extends AreaTally {
  passes: number;
}

export interface JobFigures {
  readonly frame: TangentFrame;
  readonly fieldAreaM2: number;
  readonly uniqueM2: number;
  readonly overlapM2: number;
  readonly tractors: Readonly<Record<string, Tally>>;
  readonly sections: Readonly<Record<string, Tally>>;
  readonly passes: readonly PassFigure[];
  /** The straight runs folded, per tractor in log order (what the time logs record). */
  readonly runs: Readonly<Record<string, readonly StraightRun[]>>;
  readonly segmentCount: number;
}

/** Length-weighted mean axis of the segments (degrees CCW from east), for the tracker's rows. */
function dominantDirectionDeg(logs: readonly (readonly SwathSegment[])[]): number {
  let c = 0;
  let s = 0;
  for (const seg of logs.flat()) {
    const dx = seg.x1M - seg.x0M;
    const dy = seg.y1M - seg.y0M;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) continue;
    // Doubled angle: a pass and its way back point the same way (axial mean).
    c += (dx * dx - dy * dy) / Math.sqrt(len2);
    s += (2 * dx * dy) / Math.sqrt(len2);
  }
  return c === 0 && s === 0 ? 0 : (Math.atan2(s, c) * 90) / Math.PI;
}

function continuesPass(pass: PassFigure, run: StraightRun): boolean {
  const n = pass.line.length;
  const a = pass.line[n - 2];
  const b = pass.line[n - 1];
  if (!a || !b || run.widthM !== pass.widthM) return false;
  if (Math.hypot(run.start[0] - b[0], run.start[1] - b[1]) > CHAIN_GAP_M) return false;
  const ux = b[0] - a[0];
  const uy = b[1] - a[1];
  const vx = run.end[0] - run.start[0];
  const vy = run.end[1] - run.start[1];
  const turn = Math.abs(Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy));
  return turn <= (CHAIN_TURN_DEG * Math.PI) / 180;
}

/**
 * Spacing of the points a pass's line is sampled at to find the sections it crosses, m: well
 * under the shortest section a plan makes, so no section a pass ran through is missed.
 */
const CROSSING_SAMPLE_M = 2;

/** The sections the line runs through (sampled every 2 m along each leg). */
function sectionsCrossed(
  line: readonly XY[],
  sections: readonly { id: string; polygon: LocalPolygon }[],
): Set<string> {
  const crossed = new Set<string>();
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (!a || !b) continue;
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / CROSSING_SAMPLE_M));
    for (let k = 0; k < steps; k++) {
      const t = (k + 0.5) / steps;
      const p: XY = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
      const hit = sections.find((s) => pointInPolygon(p, s.polygon));
      if (hit) crossed.add(hit.id);
    }
  }
  return crossed;
}

function midpoint(line: readonly XY[]): XY {
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (a && b) total += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  let rest = total / 2;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    if (!a || !b) continue;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len >= rest && len > 0) {
      const t = rest / len;
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    }
    rest -= len;
  }
  return line[0] ?? [0, 0];
}

export function computeFigures(job: JobData): JobFigures {
  const frame = new TangentFrame({ lon: job.frameOrigin[0], lat: job.frameOrigin[1] });
  const toLocal = (rings: readonly (readonly [number, number])[][]): LocalPolygon =>
    rings.map((ring) => ring.map((p) => frame.toLocal([p[0], p[1]])));
  const sections = job.sections.map((s) => ({
    id: s.id,
    polygon: toLocal(s.polygon.map((r) => [...r])),
  }));
  const tractorIds = Object.keys(job.coverage).sort();
  const logs = tractorIds.map((id) => job.coverage[id] ?? []);
  const tracker = new CoverageTracker({
    field: toLocal(job.field.map((r) => [...r])),
    sections,
    workDirectionDeg: dominantDirectionDeg(logs),
  });
  const passes: PassFigure[] = [];
  const open = new Map<string, PassFigure>();
  const runsOf: Record<string, StraightRun[]> = {};
  const fold = (run: StraightRun): void => {
    (runsOf[run.tractorId] ??= []).push(run);
    let pass = open.get(run.tractorId);
    if (!pass || !continuesPass(pass, run)) {
      pass = {
        tractorId: run.tractorId,
        sectionId: null,
        startMs: run.startMs,
        endMs: run.endMs,
        widthM: run.widthM,
        line: [run.start],
        uniqueM2: 0,
        overlapM2: 0,
      };
      passes.push(pass);
      open.set(run.tractorId, pass);
    }
    pass.line.push(run.end);
    pass.endMs = Math.max(pass.endMs, run.endMs);
    const before = tracker.totals;
    tracker.add({ ...run, tMs: run.startMs });
    const after = tracker.totals;
    pass.uniqueM2 += after.uniqueM2 - before.uniqueM2;
    pass.overlapM2 += after.overlapM2 - before.overlapM2;
  };
  const runs = new StraightRunBuilder();
  // Tractor by tractor, each in log order — the order the station folds a restored job in
  // (JobMirror.restoreInto), so unique ground two tractors share is credited the same way. It is
  // also the fast order: each fold extends the rows one tractor has been working.
  tractorIds.forEach((tractorId, k) => {
    const stops = job.refillStops.filter((s) => s.tractorId === tractorId);
    let nextStop = 0;
    for (const seg of logs[k] ?? []) {
      // A refill stop ends the run and the pass: the machine left its lane for the point, even
      // where it comes back to the spot it left and the lane goes on in a straight line.
      if ((stops[nextStop]?.arrivedAtWallMs ?? Infinity) <= seg.tMs) {
        while ((stops[nextStop]?.arrivedAtWallMs ?? Infinity) <= seg.tMs) nextStop++;
        for (const run of runs.flush()) fold(run);
        open.delete(tractorId);
      }
      const done = runs.add(tractorId, seg);
      if (done) fold(done);
    }
    for (const run of runs.flush()) fold(run);
  });
  const summary = tracker.summary();
  const tractors: Record<string, Tally> = {};
  for (const [id, t] of Object.entries(summary.tractors)) tractors[id] = { ...t, passes: 0 };
  const sectionTally: Record<string, Tally> = {};
  for (const s of job.sections) sectionTally[s.id] = { ...tracker.section(s.id), passes: 0 };
  for (const pass of passes) {
    const mid = midpoint(pass.line);
    pass.sectionId = sections.find((s) => pointInPolygon(mid, s.polygon))?.id ?? null;
    const t = (tractors[pass.tractorId] ??= { uniqueM2: 0, overlapM2: 0, passes: 0 });
    t.passes++;
    // A pass runs on through the sections it crosses: each one it worked counts it once (the
    // midpoint's section alone left the others worked with 0 passes).
    for (const id of sectionsCrossed(pass.line, sections)) {
      const s = sectionTally[id];
      if (s) s.passes++;
    }
  }
  return {
    frame,
    fieldAreaM2: tracker.fieldAreaM2,
    uniqueM2: summary.uniqueM2,
    overlapM2: summary.overlapM2,
    tractors,
    sections: sectionTally,
    passes,
    runs: runsOf,
    segmentCount: logs.reduce((n, l) => n + l.length, 0),
  };
}
