/**
 * What was driven on each swath: the passes (one continuous run of one tractor) for the map, so
 * ground driven twice shows twice, and their union for telling a tractor what is already done.
 * Distances are metres along the swath's centre line from its start.
 */
import { IntervalSet } from './interval-set.js';

export interface Pass {
  tractorId: string;
  fromM: number;
  toM: number;
}

/** A tractor's last report, to turn cumulative leg intervals into newly driven increments. */
interface LastReport {
  swathId: string;
  fromM: number;
  toM: number;
  pass: Pass;
}

export class SwathPasses {
  private readonly passes = new Map<string, Pass[]>();
  private readonly done = new Map<string, IntervalSet>();
  private readonly last = new Map<string, LastReport>();

  /**
   * Records that `tractorId` has worked [fromM, toM] of `swathId` in its current leg (the
   * interval only grows during a leg). Returns the increments driven since its last report.
   */
  report(tractorId: string, swathId: string, fromM: number, toM: number): [number, number][] {
    const previous = this.last.get(tractorId);
    const sameLeg =
      previous?.swathId === swathId &&
      fromM <= previous.fromM + 1e-6 &&
      toM >= previous.toM - 1e-6 &&
      (Math.abs(fromM - previous.fromM) < 1e-6 || Math.abs(toM - previous.toM) < 1e-6);
    let increments: [number, number][];
    let pass: Pass;
    if (previous && sameLeg) {
      increments = [];
      if (toM > previous.toM) increments.push([previous.toM, toM]);
      if (fromM < previous.fromM) increments.push([fromM, previous.fromM]);
      pass = previous.pass;
      pass.fromM = fromM;
      pass.toM = toM;
    } else {
      increments = toM > fromM ? [[fromM, toM]] : [];
      pass = { tractorId, fromM, toM };
      this.passes.set(swathId, [...(this.passes.get(swathId) ?? []), pass]);
    }
    this.last.set(tractorId, { swathId, fromM, toM, pass });
    let done = this.done.get(swathId);
    if (!done) {
      done = new IntervalSet();
      this.done.set(swathId, done);
    }
    for (const [a, b] of increments) done.add(a, b);
    return increments;
  }

  /** Adds a whole pass (restoring a coverage log), outside any leg in progress. */
  add(tractorId: string, swathId: string, fromM: number, toM: number): void {
    if (!(toM > fromM)) return;
    this.passes.set(swathId, [...(this.passes.get(swathId) ?? []), { tractorId, fromM, toM }]);
    let done = this.done.get(swathId);
    if (!done) {
      done = new IntervalSet();
      this.done.set(swathId, done);
    }
    done.add(fromM, toM);
  }

  /** Restores recorded passes (after a restart); the union follows. */
  restore(swathId: string, passes: readonly Pass[]): void {
    this.passes.set(
      swathId,
      passes.map((p) => ({ ...p })),
    );
    this.done.set(
      swathId,
      new IntervalSet(passes.map((p) => [p.fromM, p.toM] as [number, number])),
    );
  }

  passesOf(swathId: string): readonly Pass[] {
    return this.passes.get(swathId) ?? [];
  }

  doneIntervals(swathId: string): [number, number][] {
    return this.done.get(swathId)?.toArray() ?? [];
  }

  all(): Record<string, Pass[]> {
    return Object.fromEntries(this.passes);
  }
}
