// Field work.
export type { FieldGeometry, LocalPolygon, LonLat, Result, XY } from './types.js';
export {
  FieldGeometryError,
  FieldImportError,
  PlanningError,
  type FieldProblem,
  type ImportProblem,
} from './errors.js';
export { TangentFrame, frameForRing, type FrameOrigin } from './tangent-frame.js';
export { geodesicAreaM2 } from './geodesic-area.js';
export {
  validateField,
  MIN_FIELD_AREA_M2,
  MAX_FIELD_AREA_M2,
  type ValidField,
} from './validate-field.js';
export { importFields, type ImportedField, type FieldFormat } from './import-fields.js';
export type { FieldPlan, PlanOptions, Section, SectionKind, SwathSegment } from './plan-types.js';
export {
  planField,
  suggestSectionLengthM,
  fleetSectionLengthM,
  DEFAULT_PLAN_OPTIONS,
} from './plan-field.js';
export {
  type FieldPlanner,
  PLAN_TIME_LIMIT_MS,
  planOnThisThread,
  ThreadedFieldPlanner,
} from './field-planner.js';
export { erode } from './headland.js';
export { optimiseWorkDirection, countSwathRuns } from './work-direction.js';
export {
  DEFAULT_TRANSIT_SPEED_MPS,
  IMPLEMENTS_FOR,
  isCompatible,
  workRateM2PerS,
  type ImplementType,
  type Operation,
  type TractorCapability,
} from './capability.js';
export type {
  AllocationInput,
  AllocationPlan,
  AssignmentStatus,
  ExclusionReason,
  SectionAssignment,
  SectionProgress,
  TractorPlan,
} from './allocation-types.js';
export { allocate, DONE_FRACTION } from './allocate.js';
export { planRefills, type AwayMachine, type RefillPlan, type RefillTrip } from './refill-plan.js';
export { validateRefillPoint, RefillPointError } from './refill-point.js';
export {
  applyFleetChange,
  reassignSection,
  replan,
  type FleetChange,
  type ReassignResult,
} from './replan.js';
export type { AreaTally, CoverageSegment, CoverageSummary } from './coverage-types.js';
export { CoverageTracker } from './coverage-tracker.js';
export {
  coverageGrid,
  DEFAULT_ROW_SPACING_M,
  type CoverageArea,
  type CoverageGrid,
} from './coverage-grid.js';
export {
  WorkRateMeter,
  progressReport,
  sectionProgress,
  RATE_WINDOW_MS,
  MIN_RATE_SPAN_MS,
  type ProgressReport,
  type TractorProgress,
} from './progress.js';
export {
  COOLDOWN_MS,
  decideRebalance,
  type RebalanceMachine,
  type RebalanceMove,
  type RebalanceSection,
} from './rebalance.js';
export { replanBoundary } from './boundary-change.js';
export { reviseField, type FieldRevision, type RevisedField } from './revise-field.js';
export { polygonToLonLat, planSectionsGeoJson } from './plan-geojson.js';
export { FieldJob, BEHIND_RATE_SHARE, type FieldJobConfig } from './field-job.js';
export { bboxOf, boxesOverlap, polygonArea, type Box } from './polygon.js';
export { subtract } from './clipping.js';
export { fieldPlacement, FAR_FROM_FLEET_M, type Placement } from './field-placement.js';
