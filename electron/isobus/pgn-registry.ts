/**
 * PGNs the network layer uses and names for the ones a person on a bus most often meets
 * (ISO 11783-3 Annex, -5, -7, J1939-71/-21). Unknown PGNs print as hex.
 */
export const PGN = {
  /** ISO 11783-3 §5.4.5 / J1939-21 §5.4.4 */
  ACKNOWLEDGEMENT: 0xe800,
  /** ISO 11783-3 §5.4.4 / J1939-21 §5.4.2 */
  REQUEST: 0xea00,
  /** ISO 11783-3 §5.10 transport protocol */
  TP_DT: 0xeb00,
  TP_CM: 0xec00,
  /** ISO 11783-3 §5.11 extended transport protocol */
  ETP_DT: 0xc700,
  ETP_CM: 0xc800,
  /** ISO 11783-5 §4.4 */
  ADDRESS_CLAIMED: 0xee00,
  COMMANDED_ADDRESS: 0xfed8,
  PROPRIETARY_A: 0xef00,
  PROPRIETARY_A2: 0x1ef00,
  /** Proprietary B occupies 0xFF00–0xFFFF. */
  PROPRIETARY_B_FIRST: 0xff00,
  PROPRIETARY_B_LAST: 0xffff,
} as const;

const NAMES = new Map<number, string>([
  [PGN.ACKNOWLEDGEMENT, 'Acknowledgement'],
  [PGN.REQUEST, 'Request'],
  [PGN.TP_DT, 'TP.DT'],
  [PGN.TP_CM, 'TP.CM'],
  [PGN.ETP_DT, 'ETP.DT'],
  [PGN.ETP_CM, 'ETP.CM'],
  [PGN.ADDRESS_CLAIMED, 'Address Claimed'],
  [PGN.COMMANDED_ADDRESS, 'Commanded Address'],
  [PGN.PROPRIETARY_A, 'Proprietary A'],
  [PGN.PROPRIETARY_A2, 'Proprietary A2'],
  [0xe600, 'Virtual Terminal to ECU'],
  [0xe700, 'ECU to Virtual Terminal'],
  [0xcb00, 'Process Data'],
  [0xfe0d, 'Working Set Member'],
  [0xfe0e, 'Working Set Master'],
  [0xfe48, 'Wheel-based Speed and Distance'],
  [0xfe49, 'Ground-based Speed and Distance'],
  [0xfe43, 'Primary or Rear Hitch Status'],
  [0xfe45, 'Rear PTO Output Shaft'],
  [0xfd02, 'ISOBUS Compliance Certification'],
  [0xfda4, 'All Implements Stop Operations Switch State'],
  [0xfee6, 'Time/Date'],
  [0xfeca, 'DM1 Active Diagnostic Trouble Codes'],
  [0xfecb, 'DM2 Previously Active DTCs'],
  [0xfeda, 'Software Identification'],
  [0xfdc5, 'ECU Identification Information'],
  [0xfc8e, 'Product Identification'],
  [0xfef3, 'Vehicle Position'],
  [0xfee8, 'Vehicle Direction/Speed'],
  [0x1f805, 'GNSS Position Data'],
  [0x1f801, 'Position, Rapid Update'],
  [0x1f802, 'COG & SOG, Rapid Update'],
]);

/** The registered name of `pgn`, a Proprietary B label, or `PGN 0x....`. */
export function pgnName(pgn: number): string {
  const known = NAMES.get(pgn);
  if (known) return known;
  if (pgn >= PGN.PROPRIETARY_B_FIRST && pgn <= PGN.PROPRIETARY_B_LAST)
    return `Proprietary B (0x${pgn.toString(16).toUpperCase()})`;
  return `PGN 0x${pgn.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** PGNs are sent little-endian in 3 bytes inside Request, Acknowledgement and TP messages. */
export function readPgn(data: Uint8Array, offset: number): number {
  return (
    (data[offset] ?? 0) | ((data[offset + 1] ?? 0) << 8) | (((data[offset + 2] ?? 0) & 0x03) << 16)
  );
}

export function writePgn(target: Uint8Array, offset: number, pgn: number): void {
  target[offset] = pgn & 0xff;
  target[offset + 1] = (pgn >>> 8) & 0xff;
  target[offset + 2] = (pgn >>> 16) & 0xff;
}
