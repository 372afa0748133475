/**
 * The classic CAN 2.0 data frame (ISO 11898-1), the unit every link in this folder carries.
 * Remote and FD frames are not used on ISOBUS (ISO 11783-3 §5.2) and are not modelled.
 */
import type { Clock } from '../time/index.js';

export interface CanFrame {
  /** 29-bit identifier when `extended`, otherwise 11-bit. */
  readonly id: number;
  readonly extended: boolean;
  /** 0–8 bytes. */
  readonly data: Uint8Array;
  /** Wall-clock milliseconds since the Unix epoch when the frame was seen (end of frame). */
  readonly timestampMs?: number;
}

export const CAN_MAX_DATA_BYTES = 8;
export const CAN_STD_ID_MAX = 0x7ff;
export const CAN_EXT_ID_MAX = 0x1fffffff;

export class CanFrameError extends Error {
  override readonly name = 'CanFrameError';
}

/** Returns the frame if it is a valid classic CAN data frame, else throws CanFrameError. */
export function validateFrame(frame: CanFrame): CanFrame {
  const max = frame.extended ? CAN_EXT_ID_MAX : CAN_STD_ID_MAX;
  if (!Number.isInteger(frame.id) || frame.id < 0 || frame.id > max) {
    throw new CanFrameError(
      `CAN id 0x${frame.id.toString(16)} out of range for a ${frame.extended ? '29' : '11'}-bit frame`,
    );
  }
  if (frame.data.length > CAN_MAX_DATA_BYTES) {
    throw new CanFrameError(
      `CAN data is ${frame.data.length} bytes; classic CAN carries at most 8`,
    );
  }
  return frame;
}

/** Builds a validated frame; `data` is copied so later changes by the caller cannot leak in. */
export function makeFrame(
  id: number,
  data: ArrayLike<number>,
  extended = true,
  timestampMs?: number,
): CanFrame {
  const frame: CanFrame =
    timestampMs === undefined
      ? { id, extended, data: Uint8Array.from(data) }
      : { id, extended, data: Uint8Array.from(data), timestampMs };
  return validateFrame(frame);
}

/**
 * The time to stamp a frame with as it is handed over: wall-clock milliseconds, to the
 * microsecond where the clock can tell (captures are compared with other machines' to that).
 */
export function frameTimestampNow(clock: Clock): number {
  return clock.wallNowPrecise?.() ?? clock.wallNow();
}

/** A copy of `frame` stamped with `timestampMs`. */
export function stampFrame(frame: CanFrame, timestampMs: number): CanFrame {
  return { id: frame.id, extended: frame.extended, data: frame.data, timestampMs };
}

/** `18FEF100#0102` in the candump/cansend notation (8 hex digits extended, 3 standard). */
export function formatFrame(frame: CanFrame): string {
  return `${formatCanId(frame.id, frame.extended)}#${toHex(frame.data)}`;
}

export function formatCanId(id: number, extended: boolean): string {
  return id
    .toString(16)
    .toUpperCase()
    .padStart(extended ? 8 : 3, '0');
}

export function toHex(data: Uint8Array): string {
  let out = '';
  for (const byte of data) out += byte.toString(16).toUpperCase().padStart(2, '0');
  return out;
}

/** Parses an even-length hex string into bytes; throws CanFrameError on bad input. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
    throw new CanFrameError(`bad hex data '${hex}'`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
