import type { AllocationPlan, SectionProgress } from './allocation-types.js';
import type { CoverageSummary } from './coverage-types.js';

/** Work rates are measured over this window, long enough to span a headland turn or two. */
export const RATE_WINDOW_MS = 120_000;
/** Below this much data a measured rate is noise; the nominal capacity is used instead. */
export const MIN_RATE_SPAN_MS = 10_000;

/**
 * Measured work rate per tractor: new unique area per second over a sliding window, fed with
 * each tractor's cumulative unique area. Overlap is not progress, so it does not count.
 */
export class WorkRateMeter {
  private readonly samples = new Map<string, { tMs: number; uniqueM2: number }[]>();

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  record(tractorId: string, tMs: number, uniqueM2: number): void {
    let list = this.samples.get(tractorId);
    if (!list) {
      list = [];
      this.samples.set(tractorId, list);
    }
    list.push({ tMs, uniqueM2 });
    while (list.length > 2 && (list[1]?.tMs ?? tMs) <= tMs - this.windowMs) list.shift();
  }

  /**
   * m²/s, or undefined while there is too little history. Given the time now, the span runs to
   * now: a machine that has worked nothing new since its last sample (a long turn, a transit, a
   * stall) is measured slower the longer it lasts, so an ETA taken from it grows instead of
   * standing still at the last figure.
   */
  rateM2PerS(tractorId: string, nowMs?: number): number | undefined {
    const list = this.samples.get(tractorId);
    const first = list?.[0];
    const last = list?.[list.length - 1];
    if (!first || !last || last.tMs - first.tMs < MIN_RATE_SPAN_MS) return undefined;
    const endMs = nowMs === undefined ? last.tMs : Math.max(last.tMs, nowMs);
    return ((last.uniqueM2 - first.uniqueM2) * 1000) / (endMs - first.tMs);
  }
}

/** Section progress for allocation: worked share from coverage, and who is assigned to it. */
export function sectionProgress(
  sections: readonly { id: string; areaM2: number }[],
  coverage: CoverageSummary,
  plan?: AllocationPlan,
): Record<string, SectionProgress> {
  const owner = new Map(plan?.assignments.map((a) => [a.sectionId, a.tractorId]));
  const out: Record<string, SectionProgress> = {};
  for (const s of sections) {
    const done = coverage.sections[s.id]?.uniqueM2 ?? 0;
    const fraction = s.areaM2 > 0 ? Math.min(1, done / s.areaM2) : 1;
    const tractorId = owner.get(s.id);
    out[s.id] =
      tractorId === undefined ? { doneFraction: fraction } : { doneFraction: fraction, tractorId };
  }
  return out;
}

export interface TractorProgress {
  tractorId: string;
  uniqueM2: number;
  overlapM2: number;
  remainingM2: number;
  rateM2PerS: number;
  rateSource: 'measured' | 'nominal';
  /** Seconds to finish its sections at that rate (Infinity when it is not moving). */
  etaS: number;
}

export interface ProgressReport {
  workAreaM2: number;
  uniqueM2: number;
  overlapM2: number;
  fraction: number;
  remainingM2: number;
  /** The job ends when its last tractor does. */
  etaS: number;
  tractors: TractorProgress[];
}

/**
 * Progress and ETA per tractor and for the job: remaining = assigned section area not yet worked
 * (unique coverage only, so overlaps never make a job look further along than it is).
 */
export function progressReport(
  sections: readonly { id: string; areaM2: number }[],
  plan: AllocationPlan,
  coverage: CoverageSummary,
  meter?: WorkRateMeter,
  nowMs?: number,
): ProgressReport {
  const area = new Map(sections.map((s) => [s.id, s.areaM2]));
  const left = (id: string): number =>
    Math.max(0, (area.get(id) ?? 0) - (coverage.sections[id]?.uniqueM2 ?? 0));
  const tractors: TractorProgress[] = plan.tractors.map((t) => {
    const remainingM2 = t.sectionIds.reduce((s, id) => s + left(id), 0);
    const measured = meter?.rateM2PerS(t.tractorId, nowMs);
    const rate = measured ?? t.rateM2PerS;
    const tally = coverage.tractors[t.tractorId];
    return {
      tractorId: t.tractorId,
      uniqueM2: tally?.uniqueM2 ?? 0,
      overlapM2: tally?.overlapM2 ?? 0,
      remainingM2,
      rateM2PerS: rate,
      rateSource: measured === undefined ? 'nominal' : 'measured',
      etaS: remainingM2 === 0 ? 0 : rate > 0 ? remainingM2 / rate : Infinity,
    };
  });
  const workAreaM2 = sections.reduce((s, x) => s + x.areaM2, 0);
  const remainingM2 = sections.reduce((s, x) => s + left(x.id), 0);
  return {
    workAreaM2,
    uniqueM2: coverage.uniqueM2,
    overlapM2: coverage.overlapM2,
    fraction: workAreaM2 > 0 ? Math.min(1, coverage.uniqueM2 / workAreaM2) : 1,
    remainingM2,
    etaS: Math.max(0, ...tractors.map((t) => t.etaS)),
    tractors,
  };
}
