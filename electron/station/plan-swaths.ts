/**
 * The swaths of a field plan by the ids tractors know them by: `<section>.<k>` for a section's
 * k-th swath in driving order, `b<n>/<section>.<k>` once the boundary has been edited n times, so
 * a tractor never mistakes a new swath for an old one of the same name.
 */
import type { Section } from '../fleet/index.js';
import type { Swath } from './swath-geometry.js';

export class PlanSwaths {
  private readonly byId = new Map<string, Swath>();
  private readonly sectionById = new Map<string, Section>();
  private readonly bySection = new Map<string, Swath[]>();

  constructor(sections: readonly Section[], revision: number) {
    for (const section of sections) {
      this.sectionById.set(section.id, section);
      const own: Swath[] = [];
      section.swaths.forEach((s, k) => {
        const id = revision > 0 ? `b${revision}/${section.id}.${k}` : `${section.id}.${k}`;
        const swath: Swath = {
          id,
          sectionId: section.id,
          start: s.start,
          end: s.end,
          widthM: s.widthM,
          lengthM: s.lengthM,
        };
        this.byId.set(id, swath);
        own.push(swath);
      });
      this.bySection.set(section.id, own);
    }
  }

  get(swathId: string): Swath | undefined {
    return this.byId.get(swathId);
  }

  has(swathId: string): boolean {
    return this.byId.has(swathId);
  }

  section(sectionId: string): Section | undefined {
    return this.sectionById.get(sectionId);
  }

  hasSection(sectionId: string): boolean {
    return this.sectionById.has(sectionId);
  }

  /** The section's swaths in driving order (none for a section the plan does not have). */
  ofSection(sectionId: string): readonly Swath[] {
    return this.bySection.get(sectionId) ?? [];
  }

  /** Every swath, section by section in the plan's order. */
  all(): IterableIterator<Swath> {
    return this.byId.values();
  }
}
