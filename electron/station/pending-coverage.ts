/**
 * The coverage heard since the shared document was last written, per tractor: written there one
 * batch per tractor every coverage flush (and before the job is written or its document closes).
 */
import type { CoverageSegment } from '../fleet/index.js';
import type { JobMirror } from './job-mirror.js';

export class PendingCoverage {
  private readonly pending = new Map<string, CoverageSegment[]>();

  add(tractorId: string, segments: readonly CoverageSegment[]): void {
    this.pending.set(tractorId, [...(this.pending.get(tractorId) ?? []), ...segments]);
  }

  /** Writes what is pending into the document, one batch per tractor, and forgets it. */
  writeTo(document: Pick<JobMirror, 'appendCoverage'>): void {
    for (const [tractorId, segments] of this.pending) document.appendCoverage(tractorId, segments);
    this.pending.clear();
  }
}
