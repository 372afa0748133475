/**
 * Who holds each section of the job: the fleet library's allocation (`FieldJob`) once the job is
 * allocated; before that, the holders and the operator's pins read back from a saved record,
 * shown as they were until the next allocation takes them in.
 */
import type { FieldJob } from '../fleet/index.js';

export class SectionHolders {
  private allocated: FieldJob | null = null;
  /** Holders read from a saved record, shown until the job is allocated again. */
  private restoredHolders: Record<string, string> = {};
  /** The operator's pins read from a saved record, kept by the next allocation. */
  private restoredLocks: Record<string, string> = {};

  /** The allocation in force (null before the job is allocated). */
  get job(): FieldJob | null {
    return this.allocated;
  }

  /**
   * Allocates the job with `make`, given the sections it must leave where they are: a plan read
   * back from a saved record keeps each section with its holder, and the operator's pins stay.
   */
  allocate(make: (locks: Record<string, string>) => FieldJob): void {
    const readBack = Object.keys(this.restoredHolders).length > 0;
    const job = make(
      readBack ? { ...this.restoredHolders, ...this.restoredLocks } : this.restoredLocks,
    );
    job.setLocks(this.restoredLocks);
    this.allocated = job;
    this.restoredHolders = {};
    this.restoredLocks = {};
  }

  /** Holders and pins read back from a saved record (those of sections the field has). */
  restore(
    holders: Record<string, string>,
    locks: Record<string, string>,
    hasSection: (sectionId: string) => boolean,
  ): void {
    this.restoredHolders = Object.fromEntries(
      Object.entries(holders).filter(([s]) => hasSection(s)),
    );
    this.restoredLocks = Object.fromEntries(Object.entries(locks).filter(([s]) => hasSection(s)));
  }

  holder(sectionId: string): string | null {
    if (!this.allocated) return this.restoredHolders[sectionId] ?? null;
    return (
      this.allocated.allocation.assignments.find((a) => a.sectionId === sectionId)?.tractorId ??
      null
    );
  }

  sectionIdsOf(tractorId: string): string[] {
    if (!this.allocated)
      return Object.entries(this.restoredHolders)
        .filter(([, t]) => t === tractorId)
        .map(([s]) => s);
    return (
      this.allocated.allocation.tractors.find((t) => t.tractorId === tractorId)?.sectionIds ?? []
    );
  }

  assignments(): Record<string, string> {
    if (!this.allocated) return { ...this.restoredHolders };
    return Object.fromEntries(
      this.allocated.allocation.assignments.map((a) => [a.sectionId, a.tractorId]),
    );
  }

  /**
   * The operator moves sections to a tractor; they are locked there for later replans. All or
   * none: a PlanningError (a done section, a tractor the plan does not hold) moves nothing.
   */
  reassign(sectionIds: readonly string[], tractorId: string): void {
    if (!this.allocated) {
      for (const id of sectionIds) {
        this.restoredHolders[id] = tractorId;
        this.restoredLocks[id] = tractorId;
      }
      return;
    }
    this.allocated.reassignAll(sectionIds, tractorId);
  }

  /** The sections the operator pinned to a machine (for the job record). */
  locks(): Record<string, string> {
    return { ...(this.allocated ? this.allocated.locks() : this.restoredLocks) };
  }
}
