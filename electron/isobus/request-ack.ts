import { readPgn, writePgn } from './pgn-registry.js';

/**
 * Request PGN (ISO 11783-3 §5.4.4, J1939-21 §5.4.2): 3 data bytes, the requested PGN.
 * Acknowledgement PGN (ISO 11783-3 §5.4.5, J1939-21 §5.4.4): control byte, group function,
 * 2 reserved bytes, the address being acknowledged, the PGN.
 */
export const ACK_CONTROL = {
  ACK: 0,
  NACK: 1,
  ACCESS_DENIED: 2,
  CANNOT_RESPOND: 3,
} as const;

export type AckControl = (typeof ACK_CONTROL)[keyof typeof ACK_CONTROL];

export interface Acknowledgement {
  readonly control: AckControl;
  readonly groupFunction: number;
  readonly address: number;
  readonly pgn: number;
}

export class RequestAckError extends Error {
  override readonly name = 'RequestAckError';
}

export function encodeRequest(pgn: number): Uint8Array {
  const data = new Uint8Array(3);
  writePgn(data, 0, pgn);
  return data;
}

export function decodeRequest(data: Uint8Array): number {
  if (data.length < 3) throw new RequestAckError(`Request needs 3 bytes, got ${data.length}`);
  return readPgn(data, 0);
}

export function encodeAcknowledgement(ack: Acknowledgement): Uint8Array {
  const data = Uint8Array.of(
    ack.control,
    ack.groupFunction & 0xff,
    0xff,
    0xff,
    ack.address & 0xff,
    0,
    0,
    0,
  );
  writePgn(data, 5, ack.pgn);
  return data;
}

export function decodeAcknowledgement(data: Uint8Array): Acknowledgement {
  if (data.length < 8)
    throw new RequestAckError(`Acknowledgement needs 8 bytes, got ${data.length}`);
  const control = data[0] ?? 0;
  if (control > 3) throw new RequestAckError(`unknown acknowledgement control byte ${control}`);
  return {
    control: control as AckControl,
    groupFunction: data[1] ?? 0xff,
    address: data[4] ?? 0xff,
    pgn: readPgn(data, 5),
  };
}
