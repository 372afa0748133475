import { describe, expect, it } from 'vitest';
import { BroadcastQueue } from './broadcast-queue.js';
import { decodeEstop, decodeTelemetryA } from './link-frames.js';
import { PGN_ESTOP, PGN_HEARTBEAT, PGN_STOP_CONFIRM, PGN_TELEMETRY_B } from './wire-format.js';

const A = { latDeg: 52, headingDeg: 90 };
const B = { lonDeg: 10, speedMps: 2, state: 1, mode: 2 };

describe('broadcast queue', () => {
  it('keeps stop traffic in order and numbers each PGN on its own, modulo 32', () => {
    const q = new BroadcastQueue();
    for (let i = 0; i < 33; i++) q.estop(0xfe, i);
    q.stopConfirm(7, 1);
    const estops = Array.from({ length: 33 }, () => q.takeStop());
    expect(estops.map((f) => f?.pgn)).toEqual(Array(33).fill(PGN_ESTOP));
    const decoded = estops.map((f) => (f ? decodeEstop(f.data) : undefined));
    expect(decoded.map((d) => (d?.ok ? d.value.stopRef : -1))).toEqual([...Array(33).keys()]);
    expect(decoded.map((d) => (d?.ok ? d.value.seq : -1)).slice(30)).toEqual([30, 31, 0]);
    expect(q.takeStop()?.pgn).toBe(PGN_STOP_CONFIRM);
    expect(q.takeStop()).toBeUndefined();
  });

  it('supersedes a telemetry sample not yet started, but finishes a half-sent pair', () => {
    const q = new BroadcastQueue();
    expect(q.telemetrySample(A, B)).toBe(0);
    expect(q.telemetrySample({ ...A, latDeg: 53 }, B)).toBe(1);
    const first = q.takeTelemetry();
    expect(first && decodeTelemetryA(first.data)).toMatchObject({ ok: true, value: { seq: 1 } });
    // Half of sample 1 is out: sample 2 waits behind its second frame.
    expect(q.telemetrySample(A, B)).toBe(0);
    expect(q.takeTelemetry()?.pgn).toBe(PGN_TELEMETRY_B);
    const next = q.takeTelemetry();
    expect(next && decodeTelemetryA(next.data)).toMatchObject({ ok: true, value: { seq: 2 } });
  });

  it('holds one heartbeat, and hands stops then the heartbeat to a priority queue', () => {
    const q = new BroadcastQueue();
    q.setHeartbeat(new Uint8Array(8));
    q.setHeartbeat(new Uint8Array(8).fill(1));
    q.estop(0xff, 1);
    const frames = q.takePriority();
    expect(frames.map((f) => f.pgn)).toEqual([PGN_ESTOP, PGN_HEARTBEAT]);
    expect(frames[1]?.data[0]).toBe(1);
    expect(q.takeHeartbeat()).toBeUndefined();
  });
});
