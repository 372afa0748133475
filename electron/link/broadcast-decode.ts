/** Decodes a frame in our Proprietary B block into a typed event, or names why it was rejected. */
import {
  decodeEstop,
  decodeHeartbeat,
  decodeStopConfirm,
  decodeTelemetryA,
  decodeTelemetryB,
  type EstopFrame,
  type HeartbeatFrame,
  type Rejection,
  type StopConfirmFrame,
  type TelemetryA,
  type TelemetryB,
} from './link-frames.js';
import {
  ALL_TRACTORS,
  PGN_ESTOP,
  PGN_HEARTBEAT,
  PGN_STOP_CONFIRM,
  PGN_TELEMETRY_A,
  PGN_TELEMETRY_B,
} from './wire-format.js';

export type BroadcastEvent =
  | { kind: 'heartbeat'; frame: HeartbeatFrame }
  | { kind: 'telemetry-a'; frame: TelemetryA }
  | { kind: 'telemetry-b'; frame: TelemetryB }
  | { kind: 'estop'; frame: EstopFrame; forMe: boolean }
  | { kind: 'stop-confirm'; frame: StopConfirmFrame };

export type BroadcastDecoded =
  { ok: true; event: BroadcastEvent } | { ok: false; reason: Rejection | 'unknown-pgn' };

export function decodeBroadcast(
  pgn: number,
  data: Uint8Array,
  myAddress: number | undefined,
): BroadcastDecoded {
  switch (pgn) {
    case PGN_HEARTBEAT: {
      const d = decodeHeartbeat(data);
      return d.ok ? { ok: true, event: { kind: 'heartbeat', frame: d.value } } : d;
    }
    case PGN_TELEMETRY_A: {
      const d = decodeTelemetryA(data);
      return d.ok ? { ok: true, event: { kind: 'telemetry-a', frame: d.value } } : d;
    }
    case PGN_TELEMETRY_B: {
      const d = decodeTelemetryB(data);
      return d.ok ? { ok: true, event: { kind: 'telemetry-b', frame: d.value } } : d;
    }
    case PGN_ESTOP: {
      const d = decodeEstop(data);
      if (!d.ok) return d;
      const forMe = d.value.target === ALL_TRACTORS || d.value.target === myAddress;
      return { ok: true, event: { kind: 'estop', frame: d.value, forMe } };
    }
    case PGN_STOP_CONFIRM: {
      const d = decodeStopConfirm(data);
      return d.ok ? { ok: true, event: { kind: 'stop-confirm', frame: d.value } } : d;
    }
    default:
      return { ok: false, reason: 'unknown-pgn' };
  }
}
