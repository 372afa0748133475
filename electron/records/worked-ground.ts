/**
 * A recording's worked ground per section, rebuilt from its coverage deltas (each keeps a
 * prefix of the rings recorded before and adds the rest). Playback moves forward, so each
 * section keeps a cursor and folds on from it; a seek backwards folds again from the start.
 */
import type { CoverageDelta, RecordedEvent } from './recording-format.js';

type Ring = [number, number][];

interface Cursor {
  /** Index into the section's deltas of the next one to fold. */
  next: number;
  rings: Ring[];
}

export class WorkedGround {
  private bySection: Map<string, { atMs: number; delta: CoverageDelta }[]> | null = null;
  private readonly cursors = new Map<string, Cursor>();

  constructor(private readonly events: () => Extract<RecordedEvent, { type: 'coverage' }>[]) {}

  at(sectionId: string, atMs: number): Ring[] {
    const deltas = this.index().get(sectionId);
    if (!deltas) return [];
    // Number of deltas at or before atMs (they are in time order).
    let lo = 0;
    let hi = deltas.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((deltas[mid]?.atMs ?? Infinity) <= atMs) lo = mid + 1;
      else hi = mid;
    }
    let cursor = this.cursors.get(sectionId);
    if (!cursor || cursor.next > lo) cursor = { next: 0, rings: [] };
    let rings = cursor.rings;
    for (let i = cursor.next; i < lo; i++) {
      const delta = deltas[i]?.delta;
      if (delta) rings = [...rings.slice(0, delta.keep), ...delta.add];
    }
    this.cursors.set(sectionId, { next: lo, rings });
    return rings;
  }

  private index(): Map<string, { atMs: number; delta: CoverageDelta }[]> {
    if (this.bySection) return this.bySection;
    const bySection = new Map<string, { atMs: number; delta: CoverageDelta }[]>();
    for (const event of this.events())
      for (const delta of event.sections) {
        const list = bySection.get(delta.id) ?? [];
        list.push({ atMs: event.atMs, delta });
        bySection.set(delta.id, list);
      }
    this.bySection = bySection;
    return bySection;
  }
}
