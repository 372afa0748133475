/**
 * Bodies of the safety and mode messages on the reliable channel (docs/fleet-protocol.md
 * §Reliable message bodies): authenticated release, release refusal, speed limit, tractor
 * alerts and the three steps of the autonomy-mode handshake. Decoders validate every field and
 * throw BodyDecodeError, which the ports count and drop.
 */
import type { AutonomyMode, Severity } from '../../shared/index.js';
import { severitySchema } from '../../shared/index.js';
import { BodyDecodeError, ByteReader, ByteWriter } from './byte-codec.js';
import { modeCode, modeOf } from './fleet-codec.js';
import type { ReleaseAuth, ReleaseRefusal } from './fleet-messages.js';

/** Length of the release MAC on the wire (HMAC-SHA256 truncated, NIST SP 800-107 §5.3.3). */
export const RELEASE_MAC_BYTES = 16;
const TWO_POW_32 = 0x1_0000_0000;
/** Speed limits travel in mm/s; this value means "no limit". */
const NO_LIMIT = 0xffff;
const MM_PER_M = 1000;
const SEVERITIES: readonly Severity[] = severitySchema.options;
const REFUSALS: readonly ReleaseRefusal[] = ['bad-mac', 'replayed', 'not-held'];

export interface ReleaseBody {
  stopRef: number;
  auth: ReleaseAuth;
}

export function encodeRelease(body: ReleaseBody): Uint8Array {
  const { counter, mac } = body.auth;
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new RangeError(`release counter ${counter} is not a safe unsigned integer`);
  if (mac.length !== RELEASE_MAC_BYTES)
    throw new RangeError(`release MAC must be ${RELEASE_MAC_BYTES} bytes`);
  const w = new ByteWriter()
    .u32(body.stopRef)
    .u32(counter % TWO_POW_32)
    .u32(Math.floor(counter / TWO_POW_32));
  for (const b of mac) w.u8(b);
  return w.finish();
}

export function decodeRelease(body: Uint8Array): ReleaseBody {
  const r = new ByteReader(body);
  const stopRef = r.u32();
  const low = r.u32();
  const high = r.u32();
  if (high >= 1 << 21) throw new BodyDecodeError('release counter beyond 2^53');
  const mac = new Uint8Array(RELEASE_MAC_BYTES);
  for (let i = 0; i < RELEASE_MAC_BYTES; i++) mac[i] = r.u8();
  r.end();
  if (stopRef === 0) throw new BodyDecodeError('reference 0 is reserved');
  return { stopRef, auth: { counter: high * TWO_POW_32 + low, mac } };
}

export function encodeReleaseRefused(stopRef: number, reason: ReleaseRefusal): Uint8Array {
  return new ByteWriter().u32(stopRef).u8(REFUSALS.indexOf(reason)).finish();
}

export function decodeReleaseRefused(body: Uint8Array): {
  stopRef: number;
  reason: ReleaseRefusal;
} {
  const r = new ByteReader(body);
  const stopRef = r.u32();
  const reason = REFUSALS[r.u8()];
  r.end();
  if (!reason) throw new BodyDecodeError('unknown release refusal code');
  return { stopRef, reason };
}

export function encodeSpeedLimit(maxMps: number | null): Uint8Array {
  const mm = maxMps === null ? NO_LIMIT : Math.min(NO_LIMIT - 1, Math.round(maxMps * MM_PER_M));
  if (!(mm >= 0)) throw new RangeError(`speed limit ${String(maxMps)} is negative`);
  return new ByteWriter().u16(mm).finish();
}

export function decodeSpeedLimit(body: Uint8Array): number | null {
  const r = new ByteReader(body);
  const mm = r.u16();
  r.end();
  return mm === NO_LIMIT ? null : mm / MM_PER_M;
}

export function encodeAlert(severity: Severity, message: string): Uint8Array {
  return new ByteWriter().u8(SEVERITIES.indexOf(severity)).str(message).finish();
}

export function decodeAlert(body: Uint8Array): { severity: Severity; message: string } {
  const r = new ByteReader(body);
  const severity = SEVERITIES[r.u8()];
  const message = r.str();
  r.end();
  if (!severity) throw new BodyDecodeError('unknown alert severity');
  if (message.trim().length === 0) throw new BodyDecodeError('empty alert message');
  return { severity, message };
}

export function encodeModeRequest(requestId: number, mode: AutonomyMode): Uint8Array {
  return new ByteWriter().u32(requestId).u8(modeCode(mode)).finish();
}

export function decodeModeRequest(body: Uint8Array): { requestId: number; mode: AutonomyMode } {
  const r = new ByteReader(body);
  const requestId = r.u32();
  const mode = modeOf(r.u8());
  r.end();
  return { requestId, mode };
}

export function encodeModeCommit(requestId: number, commit: boolean): Uint8Array {
  return new ByteWriter()
    .u32(requestId)
    .u8(commit ? 1 : 0)
    .finish();
}

export function decodeModeCommit(body: Uint8Array): { requestId: number; commit: boolean } {
  const r = new ByteReader(body);
  const requestId = r.u32();
  const flag = r.u8();
  r.end();
  if (flag > 1) throw new BodyDecodeError('mode commit flag must be 0 or 1');
  return { requestId, commit: flag === 1 };
}

export function encodeModeReply(requestId: number, accepted: boolean, reason: string): Uint8Array {
  return new ByteWriter()
    .u32(requestId)
    .u8(accepted ? 1 : 0)
    .str(reason)
    .finish();
}

export function decodeModeReply(body: Uint8Array): {
  requestId: number;
  accepted: boolean;
  reason: string;
} {
  const r = new ByteReader(body);
  const requestId = r.u32();
  const flag = r.u8();
  const reason = r.str();
  r.end();
  if (flag > 1) throw new BodyDecodeError('mode reply flag must be 0 or 1');
  return { requestId, accepted: flag === 1, reason };
}
