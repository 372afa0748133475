import type { XY } from '../../fleet/index.js';

/**
 * Obstacle 2 of assets/fields/two-obstacles.geojson, in the station's plane (metres):
 * irregular, and the headland pass round it lies inside its bounding box.
 */
export const TWO_OBSTACLES_OBSTACLE_2: readonly XY[] = [
  [156.88, 8],
  [148.66, 0.52],
  [146.18, -12.51],
  [135.76, -19.24],
  [123.37, -18.65],
  [113.93, -10.16],
  [104.18, -7.51],
  [91.18, -4.49],
  [91.11, 8.41],
  [85.98, 18.89],
  [92.08, 29.05],
  [99.2, 36.45],
  [101.21, 49.4],
  [113.2, 50.19],
  [123.37, 50.54],
  [135.99, 57.74],
  [147.62, 52.27],
  [156.09, 42.66],
  [161.11, 31.16],
  [159.5, 18.89],
];
