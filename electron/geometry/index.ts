/** Plane geometry at the bottom of the core: ring area and point-in-ring for every layer, Dubins paths, bearings. */
export { pointInPolygon, pointInRing, ringSignedArea, type XY } from './ring.js';
export { dubinsLength, type PlanePose } from './dubins.js';
export { bearingDeg, headingDeg } from './bearing.js';
