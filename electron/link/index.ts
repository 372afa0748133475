export type {
  AssignedSection,
  CoverageSegment,
  StationToTractor,
  TractorToStation,
} from './fleet-messages.js';
export { BROADCAST, STATION_ADDRESS } from './fleet-messages.js';
export type { StationPort, TractorPort } from './fleet-port.js';
export { LocalFleetBus, type LocalFleetBusOptions } from './local-fleet-bus.js';
