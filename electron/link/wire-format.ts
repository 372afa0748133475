/**
 * Fleet-link wire constants (docs/fleet-protocol.md is the normative description). PGNs are in
 * the proprietary ranges ISO 11783-3 §5.4.6 / J1939-21 §5.4.6 leave to manufacturers:
 * Proprietary A (0xEF00, PDU1, destination-specific) and Proprietary B (0xFF00–0xFFFF, PDU2,
 * broadcast; the group extension picks the message).
 */
export const PROTOCOL_VERSION = 1;

export const PGN_RELIABLE = 0xef00;
export const PGN_HEARTBEAT = 0xff40;
export const PGN_TELEMETRY_A = 0xff41;
export const PGN_TELEMETRY_B = 0xff42;
export const PGN_ESTOP = 0xff43;
export const PGN_STOP_CONFIRM = 0xff44;
// 0xff45 is reserved for distributed alerts: frames on it are counted as unknown today.
/** Our Proprietary B block: frames in it with a PGN we do not know are counted, not parsed. */
export const PGN_FLEET_B_FIRST = 0xff40;
export const PGN_FLEET_B_LAST = 0xff4f;

export const LANES = ['safety', 'control', 'sync', 'bulk'] as const;
export type Lane = (typeof LANES)[number];
export const LANE_INDEX: Readonly<Record<Lane, number>> = {
  safety: 0,
  control: 1,
  sync: 2,
  bulk: 3,
};

/**
 * CAN priority (identifier bits 28–26, 0 wins arbitration, ISO 11783-3 §5.2.1) per traffic
 * class: stop traffic beats everything, commands and their acks beat telemetry, bulk is last.
 * TP/ETP frames always go at priority 7 (J1939-21 §5.10), whatever the message they carry.
 */
export const CAN_PRIORITY = {
  estop: 0,
  stopConfirm: 1,
  safety: 1,
  /**
   * The station's heartbeat: every machine stops without it, so it goes before the machines'
   * stop confirmations (a round of twenty of them is 10 ms of wire) and after stops and the
   * safety lane only. A machine's heartbeat stays below the confirmations.
   */
  stationHeartbeat: 1,
  heartbeat: 2,
  control: 3,
  telemetry: 4,
  sync: 5,
  bulk: 6,
} as const;

export function lanePriority(lane: Lane): number {
  return CAN_PRIORITY[lane];
}

/** Reliable message types (byte 1). The lane is the type's high nibble: 0x0_ safety … 0x3_ bulk. */
export const MSG = {
  ACK: 0x00,
  RELEASE: 0x01,
  SPEED_LIMIT: 0x02,
  RELEASE_REFUSED: 0x03,
  ALERT: 0x04,
  START: 0x10,
  PAUSE: 0x11,
  ASSIGN: 0x12,
  HELLO: 0x13,
  MODE_REQUEST: 0x14,
  MODE_COMMIT: 0x15,
  MODE_REPLY: 0x16,
  PROGRESS: 0x20,
  SYNC_DATA: 0x21,
  BULK_DATA: 0x30,
} as const;

const KNOWN_TYPES = new Set<number>(Object.values(MSG));

/** The lane of a reliable type, or undefined when we do not know the type. */
export function laneOfType(type: number): Lane | undefined {
  if (type === MSG.ACK || !KNOWN_TYPES.has(type)) return undefined;
  return LANES[type >>> 4];
}

export function isKnownType(type: number): boolean {
  return KNOWN_TYPES.has(type);
}

/** Node roles in the heartbeat. */
export const ROLE = { station: 0, tractor: 1 } as const;
export type Role = keyof typeof ROLE;

export function heartbeatPriority(role: Role): number {
  return role === 'station' ? CAN_PRIORITY.stationHeartbeat : CAN_PRIORITY.heartbeat;
}

/** Broadcast target meaning "every tractor" in an e-stop frame. */
export const ALL_TRACTORS = 0xff;
