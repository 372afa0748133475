/** Configuration and options of a FleetLinkNode (fleet-link-node.ts). */
import type { CanLink } from '../can/index.js';
import type { IsobusNode } from '../isobus/index.js';
import type { Clock, Random } from '../time/index.js';
import type { Rejection } from './link-frames.js';
import type { OutboxStore } from './outbox-store.js';
import type { LivenessConfig } from './peer-liveness.js';
import type { ReliableConfig } from './reliable-config.js';
import type { Role } from './wire-format.js';

export interface FleetLinkConfig {
  /** Heartbeat period (by role by default: STATION_HEARTBEAT_MS, TRACTOR_HEARTBEAT_MS). */
  heartbeatPeriodMs: number;
  /**
   * A tractor whose telemetry flows (each telemetry frame refreshes its liveness) may stretch
   * its own heartbeat up to this gap, to save bus time; the station never stretches.
   */
  heartbeatMaxGapMs: number;
  /** Our frames the CAN controller may hold at once. */
  maxTxDepth: number;
  /**
   * Of those, how many may be low-class (telemetry, sync, bulk): a FIFO controller sends its
   * head first whatever stands behind it, so a low-priority head that keeps losing arbitration
   * would hold up a command queued behind it (head-of-line blocking).
   */
  maxLowTxDepth: number;
  /** A frame handed to the link and never reported sent is forgotten after this. */
  txStaleMs: number;
  reliable: Partial<ReliableConfig>;
  liveness: Partial<LivenessConfig>;
}

import { STATION_HEARTBEAT_MS, TRACTOR_HEARTBEAT_MS } from './safety-timing.js';

export { STATION_HEARTBEAT_MS, TRACTOR_HEARTBEAT_MS };

export const DEFAULT_FLEET_LINK_CONFIG: FleetLinkConfig = {
  heartbeatPeriodMs: TRACTOR_HEARTBEAT_MS,
  heartbeatMaxGapMs: 1_000,
  maxTxDepth: 2,
  maxLowTxDepth: 1,
  txStaleMs: 100,
  reliable: {},
  liveness: {},
};

export interface FleetLinkNodeOptions {
  /** Our fleet id (`station`, `sim-01`, …). */
  id: string;
  role: Role;
  node: IsobusNode;
  link: CanLink;
  /**
   * A second transmit queue on the same bus for single-frame stop traffic (e-stop, stop-confirm,
   * heartbeat): like a second SocketCAN socket with SO_PRIORITY, or a controller's high-priority
   * mailbox. Frames sent on it never wait behind our own queued frames.
   */
  priorityLink?: CanLink;
  clock: Clock;
  random?: Random;
  /** The fleet roster: id → ISO NAME of every node we expect (the pairing table). */
  roster?: ReadonlyMap<string, bigint>;
  store?: OutboxStore;
  /** Our epoch for a cold start (no stored one); random by default. */
  epoch?: number;
  config?: Partial<FleetLinkConfig>;
}

export type RejectCounter = Rejection | 'unknown-pgn' | 'unknown-peer';

export interface FleetLinkCounters {
  framesSent: number;
  framesReceived: number;
  transfersStarted: number;
  transfersFailed: number;
  telemetrySuperseded: number;
  rejected: Record<RejectCounter, number>;
}

/** The defaults for a node of `role`: only the heartbeat period differs. */
export function defaultFleetLinkConfig(role: Role): FleetLinkConfig {
  return role === 'station'
    ? { ...DEFAULT_FLEET_LINK_CONFIG, heartbeatPeriodMs: STATION_HEARTBEAT_MS }
    : DEFAULT_FLEET_LINK_CONFIG;
}
