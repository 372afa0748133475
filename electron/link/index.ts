export type {
  AssignedSection,
  ReleaseAuth,
  ReleaseRefusal,
  CoverageSegment,
  StationToTractor,
  TractorToStation,
} from './fleet-messages.js';
export { STATION_ADDRESS } from './fleet-messages.js';
export type { FleetTransport, StationPort, TractorPort } from './fleet-port.js';
export { LocalFleetBus, type LocalFleetBusOptions } from './local-fleet-bus.js';

// The fleet link over ISOBUS.
export {
  PROTOCOL_VERSION,
  PGN_RELIABLE,
  PGN_HEARTBEAT,
  PGN_TELEMETRY_A,
  PGN_TELEMETRY_B,
  PGN_ESTOP,
  PGN_STOP_CONFIRM,
  LANES,
  type Lane,
  CAN_PRIORITY,
  MSG,
  ROLE,
  type Role,
  ALL_TRACTORS,
  laneOfType,
} from './wire-format.js';
export { crc8, crc16, ref32 } from './crc.js';
export {
  type Rejection,
  type Decoded,
  type ReliableFrame,
  type HeartbeatFrame,
  type TelemetryA,
  type TelemetryB,
  type EstopFrame,
  type StopConfirmFrame,
  encodeReliable,
  decodeReliable,
  encodeHeartbeat,
  decodeHeartbeat,
  encodeTelemetryA,
  decodeTelemetryA,
  encodeTelemetryB,
  decodeTelemetryB,
  encodeEstop,
  decodeEstop,
  encodeStopConfirm,
  decodeStopConfirm,
} from './link-frames.js';
export {
  type ReliableConfig,
  type QueuePolicy,
  DEFAULT_RELIABLE_CONFIG,
} from './reliable-config.js';
export {
  ReliableEngine,
  type ReliableEngineOptions,
  type ReliableCounters,
  type OutgoingFrame,
  type DeliveredMessage,
  type OutcomeEvent,
  type SendResult,
} from './reliable-engine.js';
export {
  type OutboxStore,
  type StoredOutbox,
  type StoredMessage,
  type Outcome,
  MemoryOutboxStore,
  FileOutboxStore,
  type FileOutboxStoreOptions,
} from './outbox-store.js';
export {
  PeerLiveness,
  type LivenessConfig,
  type PeerLinkStatus,
  DEFAULT_LIVENESS_CONFIG,
} from './peer-liveness.js';
export {
  FleetLinkNode,
  type FleetLinkNodeOptions,
  type FleetLinkConfig,
  type FleetLinkCounters,
  type RejectCounter,
  type BroadcastEvent,
  DEFAULT_FLEET_LINK_CONFIG,
  defaultFleetLinkConfig,
} from './fleet-link-node.js';
export { FleetLinkStationPort } from './station-port.js';
export {
  FleetLinkTractorPort,
  type TractorPortOptions,
  DEFAULT_COVERAGE_FLUSH_MS,
} from './tractor-port.js';
export type { PortCounters } from './port-counters.js';
export {
  VirtualFleet,
  createVirtualFleet,
  fleetName,
  type VirtualFleetOptions,
  type VirtualTractor,
} from './virtual-fleet.js';
export { stopIdForRef, refOfStopId, stopRefOf } from './fleet-codec.js';
export { RELEASE_MAC_BYTES } from './safety-codec.js';
export { fleetLinkMetrics, type MetricSample } from './link-metrics.js';
export { linkChannel, LinkChannelError, type LinkChannel } from './link-channel.js';
export { PeerDirectory, type ClaimTable } from './peer-directory.js';
export { RemoteTractorFleet, type RemoteFleetOptions } from './remote-fleet.js';
export {
  COMM_LOST_MS,
  ESTOP_FAST_REPEAT_FOR_MS,
  ESTOP_KEEPALIVE_MS,
  ESTOP_REPEAT_MS,
  ESTOP_SLOW_REPEAT_MS,
  LINK_DEGRADED_MS,
  MAIN_THREAD_ALIVE_MS,
  MAIN_THREAD_SILENCE_MS,
  SAFETY_TICK_MS,
  STATION_HEARTBEAT_MS,
  STATION_SILENCE_STOP_MS,
  TELEMETRY_PERIOD_MS,
  TRACTOR_HEARTBEAT_MS,
} from './safety-timing.js';
