/**
 * Our heartbeat (docs/fleet-protocol.md §4.1): when the next one is due, what it carries, and
 * the round trips measured from tractors' echoes of the station's heartbeat.
 */
import { encodeHeartbeat, type HeartbeatFrame } from './link-frames.js';
import { ROLE, type Role } from './wire-format.js';

const SEQ_MODULO = 32;
/** An echo older than this is not a round trip of the heartbeat it names (the 5-bit sequence has wrapped). */
const ECHO_MAX_AGE_MS = 1_000;

export interface HeartbeatTiming {
  periodMs: number;
  /** A tractor whose telemetry flows may stretch its heartbeat up to this gap. */
  maxGapMs: number;
}

export class HeartbeatKeeper {
  private nextDueMs: number;
  private lastSentMs = -Infinity;
  private lastTelemetryMs = -Infinity;
  private seq = -1;
  private readonly sentAt: number[] = new Array<number>(SEQ_MODULO).fill(Number.NaN);
  private lastStation: { seq: number; atMs: number } | undefined;
  status = 0xff;

  constructor(
    private readonly role: Role,
    private readonly timing: HeartbeatTiming,
    nowMs: number,
  ) {
    this.nextDueMs = nowMs;
  }

  get dueMs(): number {
    return this.nextDueMs;
  }

  /** Pushes the next heartbeat out (nothing may be sent yet, e.g. before the address claim). */
  postpone(nowMs: number): void {
    this.nextDueMs = Math.max(this.nextDueMs, nowMs + this.timing.periodMs);
  }

  telemetrySent(nowMs: number): void {
    this.lastTelemetryMs = nowMs;
  }

  /** The heartbeat to send now, if one is due and not skipped. */
  take(nowMs: number, epoch: number): Uint8Array | undefined {
    if (nowMs < this.nextDueMs) return undefined;
    this.nextDueMs = nextBeat(this.nextDueMs, nowMs, this.timing.periodMs);
    const telemetryFlowing = nowMs - this.lastTelemetryMs <= this.timing.periodMs;
    if (
      this.role === 'tractor' &&
      telemetryFlowing &&
      nowMs - this.lastSentMs < this.timing.maxGapMs
    )
      return undefined;
    this.seq = (this.seq + 1) % SEQ_MODULO;
    this.lastSentMs = nowMs;
    if (this.role === 'station') this.sentAt[this.seq] = nowMs;
    const echo = this.role === 'tractor' ? this.lastStation : undefined;
    const frame: HeartbeatFrame = {
      seq: this.seq,
      role: ROLE[this.role],
      epoch,
      status: this.status,
      echoSeq: echo?.seq,
      echoHoldMs: echo ? nowMs - echo.atMs : 0,
    };
    return encodeHeartbeat(frame);
  }

  /** A peer's heartbeat: remembers the station's for our echo; returns a round trip if it echoes ours. */
  heard(hb: HeartbeatFrame, nowMs: number): number | undefined {
    if (hb.role === ROLE.station) this.lastStation = { seq: hb.seq, atMs: nowMs };
    if (this.role !== 'station' || hb.echoSeq === undefined) return undefined;
    const sentAt = this.sentAt[hb.echoSeq] ?? Number.NaN;
    const rtt = nowMs - sentAt - hb.echoHoldMs;
    return Number.isFinite(rtt) && rtt >= 0 && nowMs - sentAt < ECHO_MAX_AGE_MS ? rtt : undefined;
  }
}

/**
 * The beat after one due at `dueMs` and sent at `nowMs`: on the fixed schedule, so a late timer
 * does not push every later beat back (the gap a listener hears is the period plus the lateness
 * of one timer, not of each in a row), but never sooner than half a period after this one, and
 * after a stall the schedule starts anew rather than catching up in a burst.
 */
export function nextBeat(dueMs: number, nowMs: number, periodMs: number): number {
  const onSchedule = dueMs + periodMs;
  return onSchedule - nowMs >= periodMs / 2 ? onSchedule : nowMs + periodMs / 2;
}
