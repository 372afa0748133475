/**
 * The job's field as the map draws it, in WGS84: the field and its headland paths, each
 * section's outline, the strips driven on it and the ground no pass reached (cached per section
 * while the strips reaching into it stay the same).
 */
import type { LonLat, Ring } from '../../shared/index.js';
import {
  bboxOf,
  boxesOverlap,
  type FieldPlan,
  type Section,
  type TangentFrame,
  type XY,
} from '../fleet/index.js';
import type { PlanSwaths } from './plan-swaths.js';
import { unworkedGround } from './unworked-ground.js';
import type { WorkedGround } from './worked-ground.js';

export class FieldDrawing {
  private readonly unworkedCache = new Map<
    string,
    { key: string; polygon: Section['polygon']; result: { polygons: Ring[][]; m2: number } }
  >();

  constructor(
    private readonly plan: FieldPlan,
    private readonly frame: TangentFrame,
    private readonly swaths: PlanSwaths,
    private readonly ground: WorkedGround,
  ) {}

  /** The section's ground as a WGS84 ring (its outer ring). */
  sectionRing(section: Section): Ring {
    return (section.polygon[0] ?? []).map((p) => this.frame.toLonLat(p));
  }

  /** Every pass on the section's swaths as a WGS84 rectangle, for the map. */
  passRings(sectionId: string): Ring[] {
    return this.ground.strips(sectionId).map((corners) => this.toWgs84(corners));
  }

  /**
   * The section's ground no pass reached, as WGS84 polygons (outer ring, then holes), and its
   * area. Cached per section while the strips reaching into it stay the same: once the work
   * around it is over it is computed once.
   */
  unworked(sectionId: string): { polygons: Ring[][]; m2: number } {
    const section = this.swaths.section(sectionId);
    if (!section) return { polygons: [], m2: 0 };
    // Every strip that reaches into the section, whichever section's swath it lies on.
    const box = bboxOf([section.polygon[0] ?? []]);
    const worked = this.plan.sections
      .flatMap((s) => this.ground.strips(s.id))
      .filter((corners) => boxesOverlap(bboxOf([corners]), box));
    const key = `${worked.length}:${worked.flat(2).reduce((sum, v) => sum + v, 0)}`;
    const cached = this.unworkedCache.get(sectionId);
    if (cached?.key === key && cached.polygon === section.polygon) return cached.result;
    const ground = unworkedGround(
      section.polygon,
      worked.map((corners) => [corners]),
    );
    const result = ground
      ? {
          polygons: ground.pieces.map((piece) => piece.map((ring) => this.toWgs84(ring))),
          m2: ground.m2,
        }
      : // Counted from the coverage, not drawn, when the geometry cannot be had.
        {
          polygons: [],
          m2: Math.max(
            0,
            section.areaM2 - (this.ground.coverage().sections[sectionId]?.uniqueM2 ?? 0),
          ),
        };
    this.unworkedCache.set(sectionId, { key, polygon: section.polygon, result });
    return result;
  }

  fieldRings(): Ring[] {
    return this.plan.field.map((ring) => ring.map((p) => this.frame.toLonLat(p)));
  }

  headlandLines(): LonLat[][] {
    return this.plan.headlandPaths.map((path) => path.map((p) => this.frame.toLonLat(p)));
  }

  private toWgs84(corners: XY[]): Ring {
    return corners.map((p) => this.frame.toLonLat(p));
  }
}
