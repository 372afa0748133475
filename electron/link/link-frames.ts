/**
 * Binary codecs for fleet-link frames (layouts in docs/fleet-protocol.md). Multi-byte fields are
 * little-endian as in J1939-71. Every decoder treats its input as hostile: it checks length,
 * integrity check, version and type before reading a field, and returns a typed rejection
 * instead of throwing, so a bad frame is counted and dropped, never a crash.
 */
import { crc16, crc8 } from './crc.js';
import { LANE_INDEX, LANES, MSG, PROTOCOL_VERSION, isKnownType, type Lane } from './wire-format.js';

export type Rejection = 'short' | 'long' | 'crc' | 'version' | 'type' | 'field';
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: Rejection };

/** Bytes of the reliable header: version/flags, type, epoch, seq, base. */
export const RELIABLE_HEADER_BYTES = 5;
/** Largest body that still fits one CAN frame (8 − header − CRC-8). */
export const SINGLE_FRAME_BODY_BYTES = 8 - RELIABLE_HEADER_BYTES - 1;

export interface ReliableData {
  kind: 'data';
  type: number;
  epoch: number;
  seq: number;
  /** Oldest sequence number the sender still holds in this lane (≤ seq). */
  base: number;
  body: Uint8Array;
}

export interface ReliableAck {
  kind: 'ack';
  lane: Lane;
  /** The epoch of the data sender whose messages are acknowledged. */
  epoch: number;
  /** Every sequence number up to and including this one has been delivered. */
  cumulative: number;
}

export type ReliableFrame = ReliableData | ReliableAck;

/** Appends the integrity check: CRC-8 if the result fits one frame, otherwise CRC-16. */
function seal(content: Uint8Array): Uint8Array {
  if (content.length + 1 <= 8) {
    const out = new Uint8Array(content.length + 1);
    out.set(content);
    out[content.length] = crc8(content);
    return out;
  }
  const out = new Uint8Array(content.length + 2);
  out.set(content);
  const c = crc16(content);
  out[content.length] = c & 0xff;
  out[content.length + 1] = c >>> 8;
  return out;
}

/** Checks the integrity check chosen by length; returns the content length or a rejection. */
function unseal(data: Uint8Array): number | 'crc' {
  if (data.length <= 8) {
    const n = data.length - 1;
    return crc8(data, 0, n) === data[n] ? n : 'crc';
  }
  const n = data.length - 2;
  const c = (data[n] ?? 0) | ((data[n + 1] ?? 0) << 8);
  return crc16(data, 0, n) === c ? n : 'crc';
}

export function encodeReliable(frame: ReliableFrame): Uint8Array {
  if (frame.kind === 'ack') {
    return seal(
      Uint8Array.of(
        PROTOCOL_VERSION << 5,
        MSG.ACK,
        frame.epoch & 0xff,
        frame.cumulative & 0xff,
        LANE_INDEX[frame.lane],
      ),
    );
  }
  const content = new Uint8Array(RELIABLE_HEADER_BYTES + frame.body.length);
  content[0] = PROTOCOL_VERSION << 5;
  content[1] = frame.type;
  content[2] = frame.epoch & 0xff;
  content[3] = frame.seq & 0xff;
  content[4] = frame.base & 0xff;
  content.set(frame.body, RELIABLE_HEADER_BYTES);
  return seal(content);
}

export function decodeReliable(data: Uint8Array): Decoded<ReliableFrame> {
  if (data.length < 4) return { ok: false, reason: 'short' };
  const n = unseal(data);
  if (n === 'crc') return { ok: false, reason: 'crc' };
  const version = (data[0] ?? 0) >>> 5;
  if (version !== PROTOCOL_VERSION) return { ok: false, reason: 'version' };
  const type = data[1] ?? 0;
  if (type === MSG.ACK) {
    if (n !== 5) return { ok: false, reason: n < 5 ? 'short' : 'long' };
    const lane = LANES[data[4] ?? 0xff];
    if (!lane) return { ok: false, reason: 'field' };
    return {
      ok: true,
      value: { kind: 'ack', lane, epoch: data[2] ?? 0, cumulative: data[3] ?? 0 },
    };
  }
  if (!isKnownType(type)) return { ok: false, reason: 'type' };
  if (n < RELIABLE_HEADER_BYTES) return { ok: false, reason: 'short' };
  return {
    ok: true,
    value: {
      kind: 'data',
      type,
      epoch: data[2] ?? 0,
      seq: data[3] ?? 0,
      base: data[4] ?? 0,
      body: data.slice(RELIABLE_HEADER_BYTES, n),
    },
  };
}

/** Byte 0 of every broadcast frame: version in bits 7–5, a 5-bit rolling sequence in 4–0. */
function head(seq: number): number {
  return (PROTOCOL_VERSION << 5) | (seq & 0x1f);
}

/** Common checks for a broadcast frame of exactly `size` bytes. */
function checkBroadcast(data: Uint8Array, size: number): Rejection | undefined {
  if (data.length < size) return 'short';
  if (data.length > size) return 'long';
  if (unseal(data) === 'crc') return 'crc';
  if ((data[0] ?? 0) >>> 5 !== PROTOCOL_VERSION) return 'version';
  return undefined;
}

export interface HeartbeatFrame {
  seq: number;
  role: number;
  epoch: number;
  /** Application status (a tractor state code), 0xFF when not given. */
  status: number;
  /** Sequence (5 bit) of the last station heartbeat the sender heard, or undefined. */
  echoSeq: number | undefined;
  /** Milliseconds between hearing that heartbeat and sending this one (saturates at 254). */
  echoHoldMs: number;
}

export const HEARTBEAT_BYTES = 7;

export function encodeHeartbeat(f: HeartbeatFrame): Uint8Array {
  const echo = f.echoSeq === undefined ? 0 : 0x80 | (f.echoSeq & 0x1f);
  const hold = Math.max(0, Math.min(254, Math.round(f.echoHoldMs)));
  return seal(
    Uint8Array.of(
      head(f.seq),
      f.role & 0xff,
      f.epoch & 0xff,
      f.status & 0xff,
      echo,
      f.echoSeq === undefined ? 0xff : hold,
    ),
  );
}

export function decodeHeartbeat(data: Uint8Array): Decoded<HeartbeatFrame> {
  const bad = checkBroadcast(data, HEARTBEAT_BYTES);
  if (bad) return { ok: false, reason: bad };
  const echo = data[4] ?? 0;
  return {
    ok: true,
    value: {
      seq: (data[0] ?? 0) & 0x1f,
      role: data[1] ?? 0,
      epoch: data[2] ?? 0,
      status: data[3] ?? 0xff,
      echoSeq: echo & 0x80 ? echo & 0x1f : undefined,
      echoHoldMs: data[5] ?? 0,
    },
  };
}

/** 1e-7 degree units (the resolution of J1939-71 SPN 584/585 Vehicle Position). */
export const DEG_SCALE = 1e7;
export const HEADING_SCALE = 100; // 0.01°
export const SPEED_SCALE = 10; // 0.1 m/s
export const SPEED_NOT_AVAILABLE = 0xff;

export interface TelemetryA {
  seq: number;
  latDeg: number;
  headingDeg: number;
}

export interface TelemetryB {
  seq: number;
  lonDeg: number;
  speedMps: number;
  state: number;
  mode: number;
  /**
   * Whether the machine stands by a stop of its own (its heartbeat watchdog or a fault) rather
   * than one of the station's; absent where its firmware does not say (sent "not available").
   */
  ownStop?: boolean;
}

export const TELEMETRY_BYTES = 8;
/** A J1939-style two-bit status: 00 no, 01 yes, 11 not available (10, an error, reads as such). */
const OWN_STOP_NO = 0b00;
const OWN_STOP_YES = 0b01;
const OWN_STOP_NOT_AVAILABLE = 0b11;

export function encodeTelemetryA(t: TelemetryA): Uint8Array {
  const out = new Uint8Array(7);
  const view = new DataView(out.buffer);
  out[0] = head(t.seq);
  view.setInt32(1, clampDeg(t.latDeg, 90), true);
  const heading = (((t.headingDeg % 360) + 360) % 360) * HEADING_SCALE;
  view.setUint16(5, Math.round(heading) % 36000, true);
  return seal(out);
}

export function decodeTelemetryA(data: Uint8Array): Decoded<TelemetryA> {
  const bad = checkBroadcast(data, TELEMETRY_BYTES);
  if (bad) return { ok: false, reason: bad };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lat = view.getInt32(1, true);
  const heading = view.getUint16(5, true);
  if (Math.abs(lat) > 90 * DEG_SCALE || heading >= 36000) return { ok: false, reason: 'field' };
  return {
    ok: true,
    value: {
      seq: (data[0] ?? 0) & 0x1f,
      latDeg: lat / DEG_SCALE,
      headingDeg: heading / HEADING_SCALE,
    },
  };
}

export function encodeTelemetryB(t: TelemetryB): Uint8Array {
  const out = new Uint8Array(7);
  const view = new DataView(out.buffer);
  out[0] = head(t.seq);
  view.setInt32(1, clampDeg(t.lonDeg, 180), true);
  out[5] = Number.isFinite(t.speedMps)
    ? Math.max(0, Math.min(254, Math.round(Math.abs(t.speedMps) * SPEED_SCALE)))
    : SPEED_NOT_AVAILABLE;
  const ownStop =
    t.ownStop === undefined ? OWN_STOP_NOT_AVAILABLE : t.ownStop ? OWN_STOP_YES : OWN_STOP_NO;
  out[6] = ((t.state & 0x0f) << 4) | ((t.mode & 0x03) << 2) | ownStop;
  return seal(out);
}

export function decodeTelemetryB(data: Uint8Array): Decoded<TelemetryB> {
  const bad = checkBroadcast(data, TELEMETRY_BYTES);
  if (bad) return { ok: false, reason: bad };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const lon = view.getInt32(1, true);
  if (Math.abs(lon) > 180 * DEG_SCALE) return { ok: false, reason: 'field' };
  const speed = data[5] ?? SPEED_NOT_AVAILABLE;
  const bits = data[6] ?? 0;
  const ownStop = bits & 0x03;
  return {
    ok: true,
    value: {
      seq: (data[0] ?? 0) & 0x1f,
      lonDeg: lon / DEG_SCALE,
      speedMps: speed === SPEED_NOT_AVAILABLE ? 0 : speed / SPEED_SCALE,
      state: bits >>> 4,
      mode: (bits >>> 2) & 0x03,
      ...(ownStop === OWN_STOP_NO || ownStop === OWN_STOP_YES
        ? { ownStop: ownStop === OWN_STOP_YES }
        : {}),
    },
  };
}

export interface EstopFrame {
  seq: number;
  /** Address of the one tractor to stop, or ALL_TRACTORS. */
  target: number;
  stopRef: number;
}

export const ESTOP_BYTES = 7;

export function encodeEstop(f: EstopFrame): Uint8Array {
  const out = new Uint8Array(6);
  out[0] = head(f.seq);
  out[1] = f.target & 0xff;
  new DataView(out.buffer).setUint32(2, f.stopRef >>> 0, true);
  return seal(out);
}

export function decodeEstop(data: Uint8Array): Decoded<EstopFrame> {
  const bad = checkBroadcast(data, ESTOP_BYTES);
  if (bad) return { ok: false, reason: bad };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    ok: true,
    value: { seq: (data[0] ?? 0) & 0x1f, target: data[1] ?? 0, stopRef: view.getUint32(2, true) },
  };
}

export interface StopConfirmFrame {
  seq: number;
  stopRef: number;
  /** The confirming tractor's state code. */
  state: number;
}

export const STOP_CONFIRM_BYTES = 7;

export function encodeStopConfirm(f: StopConfirmFrame): Uint8Array {
  const out = new Uint8Array(6);
  out[0] = head(f.seq);
  new DataView(out.buffer).setUint32(1, f.stopRef >>> 0, true);
  out[5] = f.state & 0xff;
  return seal(out);
}

export function decodeStopConfirm(data: Uint8Array): Decoded<StopConfirmFrame> {
  const bad = checkBroadcast(data, STOP_CONFIRM_BYTES);
  if (bad) return { ok: false, reason: bad };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    ok: true,
    value: { seq: (data[0] ?? 0) & 0x1f, stopRef: view.getUint32(1, true), state: data[5] ?? 0 },
  };
}

function clampDeg(deg: number, limit: number): number {
  const v = Number.isFinite(deg) ? Math.max(-limit, Math.min(limit, deg)) : 0;
  return Math.round(v * DEG_SCALE);
}
