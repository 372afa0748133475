export {
  DEMO_BASEMAP_DIR,
  DEMO_FIELD_PATH,
  PACKAGE_ROOT,
  RENDERER_DIST_DIR,
  SOFTWARE_VERSION,
} from './app-paths.js';
export { createSimulatedStation, type SimulatedStation } from './simulation.js';
export { loadField, startStationRuntime, type StationRuntime } from './station.js';
