/** Plane geometry at the bottom of the core: ring area and point-in-ring for every layer, Dubins paths. */
export { pointInPolygon, pointInRing, ringSignedArea, type XY } from './ring.js';
export { dubinsLength, type PlanePose } from './dubins.js';
