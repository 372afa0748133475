import type { FrameOrigin } from './tangent-frame.js';
import type { LocalPolygon, XY } from './types.js';

/** One straight pass of the implement: centre line from `start` to `end` in local metres. */
export interface SwathSegment {
  start: XY;
  end: XY;
  widthM: number;
  lengthM: number;
}

export type SectionKind = 'swath' | 'headland';

/**
 * The unit of allocation: a contiguous piece of the field, worked by one tractor. `order` is its
 * place on the field's work path (boustrophedon over the interior, then round the headland);
 * each tractor receives a run of consecutive orders, so machines do not cross each other's ground.
 */
export interface Section {
  id: string;
  kind: SectionKind;
  order: number;
  swaths: SwathSegment[];
  areaM2: number;
  workLengthM: number;
  /** The section's ground in local metres (open rings), used for coverage and the map. */
  polygon: LocalPolygon;
  centroid: XY;
}

export interface PlanOptions {
  /** Reference swath width: the implement width the lines are laid for. */
  swathWidthM: number;
  /** Headland passes round the boundary and round holes (0 = none). */
  headlandPasses: number;
  /** Work direction in degrees from east, counter-clockwise; omitted = optimised. */
  workDirectionDeg?: number;
  /** Longest section along the work direction; pieces of a long swath become separate sections. */
  maxSectionLengthM: number;
  /**
   * Where the interior rows lie across the work direction: on the lines y = rowPhaseM + k × width
   * of the work frame (a field re-laid after a boundary edit keeps its passes where the old ones
   * ran); omitted = rows from the interior's edge.
   */
  rowPhaseM?: number;
}

export interface FieldPlan {
  fieldName: string;
  origin: FrameOrigin;
  /** The field in local metres (outer ring then holes). */
  field: LocalPolygon;
  fieldAreaM2: number;
  workDirectionDeg: number;
  swathWidthM: number;
  headlandPasses: number;
  /** The interior rows' phase (see PlanOptions), 0 ≤ rowPhaseM < swathWidthM. */
  rowPhaseM?: number;
  /** Centre lines of the headland passes (closed rings, open representation). */
  headlandPaths: XY[][];
  /** Number of swath ends = headland turns on the interior. */
  turns: number;
  sections: Section[];
}
