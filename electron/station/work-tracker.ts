/**
 * The job's sections, who holds each, and how much of each is done. Coverage arrives as
 * intervals along a section's centre line; unique worked area is computed from their union,
 * so ground driven twice is never counted twice.
 */
import type { DemoField, LocalPoint, Strip } from '../fleet/index.js';
import { signedAreaM2, stripPartPolygons } from '../fleet/index.js';
import { IntervalSet } from './interval-set.js';

interface SectionWork {
  strip: Strip;
  tractorId: string | null;
  covered: IntervalSet;
  /** Cached worked polygons and area for the covered length they were computed at. */
  cache: { lengthM: number; polygons: LocalPoint[][]; areaM2: number } | null;
}

export class WorkTracker {
  private readonly sections = new Map<string, SectionWork>();

  constructor(
    private readonly field: DemoField,
    strips: readonly Strip[],
  ) {
    for (const strip of strips) {
      this.sections.set(strip.id, { strip, tractorId: null, covered: new IntervalSet(), cache: null });
    }
  }

  strips(): Strip[] {
    return [...this.sections.values()].map((s) => s.strip);
  }

  has(sectionId: string): boolean {
    return this.sections.has(sectionId);
  }

  holder(sectionId: string): string | null {
    return this.sections.get(sectionId)?.tractorId ?? null;
  }

  assign(sectionId: string, tractorId: string | null): void {
    const section = this.sections.get(sectionId);
    if (section) section.tractorId = tractorId;
  }

  sectionsOf(tractorId: string): Strip[] {
    return [...this.sections.values()].filter((s) => s.tractorId === tractorId).map((s) => s.strip);
  }

  assignments(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, s] of this.sections) if (s.tractorId) out[id] = s.tractorId;
    return out;
  }

  /** Records worked ground; returns the newly covered length in metres. */
  addCoverage(sectionId: string, fromM: number, toM: number): number {
    const section = this.sections.get(sectionId);
    if (!section) return 0;
    const clamp = (v: number): number => Math.min(section.strip.lengthM, Math.max(0, v));
    return section.covered.add(clamp(fromM), clamp(toM));
  }

  coveredIntervals(sectionId: string): [number, number][] {
    return this.sections.get(sectionId)?.covered.toArray() ?? [];
  }

  allCoverage(): Record<string, [number, number][]> {
    const out: Record<string, [number, number][]> = {};
    for (const [id, s] of this.sections) {
      const intervals = s.covered.toArray();
      if (intervals.length > 0) out[id] = intervals;
    }
    return out;
  }

  doneFraction(sectionId: string): number {
    const section = this.sections.get(sectionId);
    if (!section || section.strip.lengthM <= 0) return 0;
    return Math.min(1, section.covered.totalLength() / section.strip.lengthM);
  }

  /** Worked polygons (local metres) and their area for one section. */
  worked(sectionId: string): { polygons: LocalPoint[][]; areaM2: number } {
    const section = this.sections.get(sectionId);
    if (!section) return { polygons: [], areaM2: 0 };
    const lengthM = section.covered.totalLength();
    if (section.cache?.lengthM !== lengthM) {
      const polygons = section.covered
        .toArray()
        .flatMap(([a, b]) => stripPartPolygons(this.field, section.strip, a, b));
      section.cache = { lengthM, polygons, areaM2: polygons.reduce((sum, ring) => sum + Math.abs(signedAreaM2(ring)), 0) };
    }
    return { polygons: section.cache.polygons, areaM2: section.cache.areaM2 };
  }

  totalAreaM2(): number {
    return [...this.sections.values()].reduce((sum, s) => sum + s.strip.areaM2, 0);
  }

  workedAreaM2(): number {
    return [...this.sections.keys()].reduce((sum, id) => sum + this.worked(id).areaM2, 0);
  }

  /** Centre-line metres still to drive for a tractor's sections. */
  remainingLengthM(tractorId: string): number {
    return this.sectionsOf(tractorId).reduce(
      (sum, strip) => sum + Math.max(0, strip.lengthM - (this.sections.get(strip.id)?.covered.totalLength() ?? 0)),
      0,
    );
  }

  lengthOf(tractorId: string): number {
    return this.sectionsOf(tractorId).reduce((sum, strip) => sum + strip.lengthM, 0);
  }
}
