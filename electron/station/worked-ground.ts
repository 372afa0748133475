/**
 * What has been driven on a job's field: the passes tractors reported on each swath of the plan,
 * the ground carried over from an earlier boundary, and the exact unique/overlap tally of both
 * (`CoverageTracker`). It answers what is done on a swath and which strips the map draws; the
 * allocation it feeds is FieldWork's.
 */
import {
  bboxOf,
  CoverageTracker,
  type CoverageGrid,
  type CoverageSegment,
  type CoverageSummary,
  type FieldPlan,
  type XY,
} from '../fleet/index.js';
import { pointInRing } from '../geometry/index.js';
import { CarriedCoverage, type WorldSegment } from './carried-coverage.js';
import { IntervalSet, gapsIn } from './interval-set.js';
import type { PlanSwaths } from './plan-swaths.js';
import { onSwath, pointAlong, stripCorners, type Swath } from './swath-geometry.js';
import { SwathPasses, type Pass } from './swath-passes.js';

/**
 * Shortest piece worth filling from a recorded pass: the coverage log keeps whole centimetres, so
 * a pass read back from it may end up to 1 cm short of the recorded one at either end.
 */
const FILL_MIN_M = 0.05;
/** Shorter passes are not drawn (a report that barely moved). */
const DRAWN_MIN_M = 0.05;

export class WorkedGround {
  private readonly passes = new SwathPasses();
  /** Ground worked under an earlier boundary (after a live edit), and its effect per swath. */
  private readonly carried = new CarriedCoverage();
  private readonly carriedDone = new Map<string, [number, number][]>();
  /**
   * Exact unique/overlap tallies of every pass, kept from the start (and after a restart, before
   * the job is allocated again), so progress never depends on whether the plan exists yet.
   */
  private readonly tracker: CoverageTracker;
  private version = 0;
  private summaryCache: { version: number; summary: CoverageSummary } | null = null;

  constructor(
    private readonly swaths: PlanSwaths,
    /** The area coverage is folded on: the plan, or its scan rows built with it. */
    area: FieldPlan | CoverageGrid,
    /** Coverage that reached the tally as it was driven or carried (for the allocation). */
    private readonly onAdded: (segments: CoverageSegment[]) => void,
  ) {
    this.tracker = new CoverageTracker(area);
  }

  /** The scan rows coverage is folded on (a new allocation folds on the same). */
  get grid(): CoverageGrid {
    return this.tracker.grid;
  }

  /**
   * A tractor reports the interval of a swath it has worked in its current leg. Returns the
   * newly driven segments (local metres) for the coverage log, or null when nothing is new.
   */
  report(
    tractorId: string,
    swathId: string,
    fromM: number,
    toM: number,
    tMs: number,
  ): { sectionId: string; segments: CoverageSegment[] } | null {
    const swath = this.swaths.get(swathId);
    if (!swath) return null;
    const clamp = (m: number): number => Math.min(swath.lengthM, Math.max(0, m));
    const increments = this.passes.report(tractorId, swathId, clamp(fromM), clamp(toM));
    if (increments.length === 0) return null;
    const segments = increments.map(([a, b]) => this.segment(swathId, tractorId, a, b, tMs));
    this.onAdded(segments);
    this.tracker.addAll(segments);
    this.version++;
    return { sectionId: swath.sectionId, segments };
  }

  /**
   * Rebuilds the passes from a coverage log (local metres): each segment is placed on the swath
   * whose centre line it lies on. Returns how many segments found a swath.
   */
  restoreFromSegments(
    tractorId: string,
    segments: readonly Omit<WorldSegment, 'tractorId'>[],
  ): number {
    let placed = 0;
    for (const s of segments) {
      let onAnySwath = false;
      for (const swath of this.swaths.all()) {
        const along = onSwath(swath, [s.x0M, s.y0M], [s.x1M, s.y1M]);
        if (!along) continue;
        this.passes.add(tractorId, swath.id, along[0], along[1]);
        this.tracker.add(this.segment(swath.id, tractorId, along[0], along[1], 0));
        this.version++;
        onAnySwath = true;
        break;
      }
      // Worked under an earlier boundary: kept as carried ground.
      if (!onAnySwath) this.carry({ ...s, tractorId });
      placed++;
    }
    return placed;
  }

  /** Ground worked elsewhere than on this plan's swaths (an earlier boundary's). */
  carry(segment: WorldSegment): void {
    this.carried.add(segment);
    const coverage = toCoverageSegment(segment);
    this.tracker.add(coverage);
    this.onAdded([coverage]);
    this.carriedDone.clear();
    this.version++;
  }

  /** Everything driven, as rectangles in the local frame (to carry into a replanned field). */
  worldSegments(): WorldSegment[] {
    const out: WorldSegment[] = [...this.carried.segments];
    for (const [swathId, passes] of Object.entries(this.passes.all())) {
      for (const pass of passes) {
        const seg = this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0);
        out.push({
          tractorId: pass.tractorId,
          x0M: seg.start[0],
          y0M: seg.start[1],
          x1M: seg.end[0],
          y1M: seg.end[1],
          widthM: seg.widthM,
        });
      }
    }
    return out;
  }

  /** Everything driven as coverage segments (the passes, then the carried ground), untimed. */
  segments(): CoverageSegment[] {
    const segments: CoverageSegment[] = [];
    for (const [swathId, passes] of Object.entries(this.passes.all())) {
      for (const pass of passes)
        segments.push(this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0));
    }
    for (const c of this.carried.segments) segments.push(toCoverageSegment(c));
    return segments;
  }

  /** Recorded passes read back (after a restart); those on swaths this plan lacks are dropped. */
  restorePasses(passes: Record<string, Pass[]>): void {
    for (const [swathId, list] of Object.entries(passes)) {
      if (!this.swaths.has(swathId)) continue;
      this.passes.restore(swathId, list);
      for (const pass of list)
        this.tracker.add(this.segment(swathId, pass.tractorId, pass.fromM, pass.toM, 0));
      this.version++;
    }
  }

  /**
   * Adds the parts of recorded passes (the job record's) that the work does not hold yet, per
   * tractor and swath, so a coverage log that lost its tail or a damaged row is filled without
   * counting any ground twice. Returns the pieces added (for the coverage log).
   */
  fillFromPasses(passes: Readonly<Record<string, readonly Pass[]>>): CoverageSegment[] {
    const added: CoverageSegment[] = [];
    for (const [swathId, list] of Object.entries(passes)) {
      if (!this.swaths.has(swathId)) continue;
      for (const pass of list) {
        const own = new IntervalSet(
          this.passes
            .passesOf(swathId)
            .filter((p) => p.tractorId === pass.tractorId)
            .map((p) => [p.fromM, p.toM] as [number, number]),
        );
        for (const [a, b] of gapsIn(pass.fromM, pass.toM, own.toArray())) {
          if (b - a < FILL_MIN_M) continue;
          this.passes.add(pass.tractorId, swathId, a, b);
          const piece = this.segment(swathId, pass.tractorId, a, b, 0);
          this.tracker.add(piece);
          added.push(piece);
          this.version++;
        }
      }
    }
    return added;
  }

  allPasses(): Record<string, Pass[]> {
    return this.passes.all();
  }

  /** Unique and overlap area of everything driven, per tractor and per section (cached). */
  coverage(): CoverageSummary {
    if (this.summaryCache?.version !== this.version)
      this.summaryCache = { version: this.version, summary: this.tracker.summary() };
    return this.summaryCache.summary;
  }

  /** Ground the machine has spread on: overlap spends seed and spray as fresh ground does. */
  spreadM2(tractorId: string): number {
    const own = this.tracker.tractor(tractorId);
    return own.uniqueM2 + own.overlapM2;
  }

  /** Worked intervals of a swath: its own passes and carried ground covering it. */
  doneOn(swath: Swath): [number, number][] {
    const own = this.passes.doneIntervals(swath.id);
    if (this.carried.size === 0) return own;
    let carried = this.carriedDone.get(swath.id);
    if (!carried) {
      carried = this.carried.doneAlong(swath.start, swath.end, swath.widthM);
      this.carriedDone.set(swath.id, carried);
    }
    return new IntervalSet([...own, ...carried]).toArray();
  }

  /** Every pass on the section's swaths and every carried strip inside it, in the local frame. */
  strips(sectionId: string): XY[][] {
    const section = this.swaths.section(sectionId);
    if (!section) return [];
    const strips: XY[][] = [];
    for (const swath of this.swaths.ofSection(sectionId)) {
      for (const pass of this.passes.passesOf(swath.id)) {
        if (pass.toM - pass.fromM > DRAWN_MIN_M)
          strips.push(
            stripCorners(pointAlong(swath, pass.fromM), pointAlong(swath, pass.toM), swath.widthM),
          );
      }
    }
    const outline = section.polygon[0] ?? [];
    for (const c of this.carried.segments) {
      if (pointInRing([(c.x0M + c.x1M) / 2, (c.y0M + c.y1M) / 2], outline))
        strips.push(stripCorners([c.x0M, c.y0M], [c.x1M, c.y1M], c.widthM));
    }
    return strips;
  }

  /**
   * Ground already worked that the passes still to drive run over, m² (a pass beside worked
   * ground counts the seam it shares with it, as in any plan; compare two plans to see what an
   * edit adds).
   */
  plannedOverlapM2(): number {
    const worked = new CarriedCoverage();
    for (const segment of this.worldSegments()) worked.add(segment);
    let m2 = 0;
    for (const swath of this.swaths.all()) {
      for (const [a, b] of gapsIn(0, swath.lengthM, this.doneOn(swath))) {
        if (b - a <= 0) continue;
        const strip = stripCorners(pointAlong(swath, a), pointAlong(swath, b), swath.widthM);
        if (worked.reaches(bboxOf([strip]))) m2 += this.tracker.coveredAreaWithin([strip]);
      }
    }
    return m2;
  }

  private segment(
    swathId: string,
    tractorId: string,
    fromM: number,
    toM: number,
    tMs: number,
  ): CoverageSegment {
    const swath = this.swaths.get(swathId);
    if (!swath) throw new Error(`unknown swath ${swathId}`);
    return {
      tractorId,
      start: pointAlong(swath, fromM),
      end: pointAlong(swath, toM),
      widthM: swath.widthM,
      tMs,
    };
  }
}

function toCoverageSegment(s: WorldSegment): CoverageSegment {
  return {
    tractorId: s.tractorId,
    start: [s.x0M, s.y0M],
    end: [s.x1M, s.y1M],
    widthM: s.widthM,
    tMs: 0,
  };
}
