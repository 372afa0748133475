import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crc8 } from './crc.js';
import {
  decodeEstop,
  decodeHeartbeat,
  decodeReliable,
  decodeStopConfirm,
  decodeTelemetryA,
  decodeTelemetryB,
  encodeEstop,
  encodeHeartbeat,
  encodeReliable,
  encodeStopConfirm,
  encodeTelemetryA,
  encodeTelemetryB,
  type ReliableFrame,
} from './link-frames.js';
import { LANES, MSG } from './wire-format.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const dataTypes = Object.values(MSG).filter((t) => t !== MSG.ACK);

const reliableArb: fc.Arbitrary<ReliableFrame> = fc.oneof(
  fc.record({
    kind: fc.constant('data' as const),
    type: fc.constantFrom(...dataTypes),
    epoch: fc.integer({ min: 0, max: 255 }),
    seq: fc.integer({ min: 0, max: 255 }),
    base: fc.integer({ min: 0, max: 255 }),
    body: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({
    kind: fc.constant('ack' as const),
    lane: fc.constantFrom(...LANES),
    epoch: fc.integer({ min: 0, max: 255 }),
    cumulative: fc.integer({ min: 0, max: 255 }),
  }),
);

describe('integrity checks', () => {
  it('match the catalogue check values (CRC-8/AUTOSAR 0xDF, CRC-16/IBM-3740 0x29B1)', () => {
    expect(crc8(ascii('123456789'))).toBe(0xdf);
    expect(crc16(ascii('123456789'))).toBe(0x29b1);
  });
});

describe('reliable frames', () => {
  it('round-trip every data and ack frame', () => {
    fc.assert(
      fc.property(reliableArb, (f) => {
        expect(decodeReliable(encodeReliable(f))).toEqual({ ok: true, value: f });
      }),
    );
  });

  it('fit one CAN frame for bodies of up to 2 bytes and for acks', () => {
    expect(
      encodeReliable({
        kind: 'data',
        type: MSG.START,
        epoch: 1,
        seq: 2,
        base: 2,
        body: Uint8Array.of(1, 2),
      }),
    ).toHaveLength(8);
    expect(encodeReliable({ kind: 'ack', lane: 'control', epoch: 1, cumulative: 3 })).toHaveLength(
      6,
    );
  });

  it('detect every single-bit error', () => {
    fc.assert(
      fc.property(reliableArb, fc.nat(), (f, bitSeed) => {
        const bytes = encodeReliable(f);
        const bit = bitSeed % (bytes.length * 8);
        const flipped = bytes.slice();
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect(decodeReliable(flipped).ok).toBe(false);
      }),
    );
  });

  it('reject unknown versions and types with a reason, and never throw on arbitrary bytes', () => {
    const good = encodeReliable({
      kind: 'data',
      type: MSG.START,
      epoch: 1,
      seq: 0,
      base: 0,
      body: new Uint8Array(),
    });
    const v2 = good.slice(0, -1);
    v2[0] = 2 << 5;
    expect(decodeReliable(Uint8Array.of(...v2, crc8(v2)))).toEqual({
      ok: false,
      reason: 'version',
    });
    const unknown = good.slice(0, -1);
    unknown[1] = 0x7e;
    expect(decodeReliable(Uint8Array.of(...unknown, crc8(unknown)))).toEqual({
      ok: false,
      reason: 'type',
    });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => void decodeReliable(bytes)));
  });
});

describe('broadcast frames', () => {
  it("carry whose stop a machine stands by in telemetry B's last two bits: 00 the station's, 01 its own, 11 not said", () => {
    const base = { seq: 1, lonDeg: 9.75, speedMps: 0, state: 4, mode: 2 };
    const bits = (ownStop?: boolean): number =>
      (encodeTelemetryB(ownStop === undefined ? base : { ...base, ownStop })[6] ?? 0) & 0x03;
    expect([bits(false), bits(true), bits(undefined)]).toEqual([0b00, 0b01, 0b11]);
    for (const ownStop of [false, true, undefined]) {
      const decoded = decodeTelemetryB(
        encodeTelemetryB(ownStop === undefined ? base : { ...base, ownStop }),
      );
      expect(decoded.ok ? decoded.value.ownStop : null).toBe(ownStop);
      expect(decoded.ok && 'ownStop' in decoded.value).toBe(ownStop !== undefined);
      expect(decoded.ok && [decoded.value.state, decoded.value.mode]).toEqual([4, 2]);
    }
  });

  it('round-trip telemetry within its resolution (1e-7 deg, 0.01 deg, 0.1 m/s)', () => {
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 0, max: 31 }),
          lat: fc.double({ min: -90, max: 90, noNaN: true }),
          lon: fc.double({ min: -180, max: 180, noNaN: true }),
          heading: fc.double({ min: 0, max: 359.99, noNaN: true }),
          speed: fc.double({ min: 0, max: 25, noNaN: true }),
          state: fc.integer({ min: 0, max: 6 }),
          mode: fc.integer({ min: 0, max: 2 }),
        }),
        (t) => {
          const a = decodeTelemetryA(
            encodeTelemetryA({ seq: t.seq, latDeg: t.lat, headingDeg: t.heading }),
          );
          const b = decodeTelemetryB(
            encodeTelemetryB({
              seq: t.seq,
              lonDeg: t.lon,
              speedMps: t.speed,
              state: t.state,
              mode: t.mode,
            }),
          );
          if (!a.ok || !b.ok) throw new Error('decode failed');
          expect(Math.abs(a.value.latDeg - t.lat)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
          expect(Math.abs(b.value.lonDeg - t.lon)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
          const dh = Math.abs(a.value.headingDeg - t.heading);
          expect(Math.min(dh, 360 - dh)).toBeLessThanOrEqual(0.005 + 1e-9);
          expect(Math.abs(b.value.speedMps - t.speed)).toBeLessThanOrEqual(0.05 + 1e-9);
          expect([a.value.seq, b.value.seq, b.value.state, b.value.mode]).toEqual([
            t.seq,
            t.seq,
            t.state,
            t.mode,
          ]);
        },
      ),
    );
  });

  it('round-trip heartbeat, e-stop and stop-confirm', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 31 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        (seq, byte, ref) => {
          expect(
            decodeHeartbeat(
              encodeHeartbeat({
                seq,
                role: 1,
                epoch: byte,
                status: byte,
                echoSeq: seq,
                echoHoldMs: 17,
              }),
            ),
          ).toEqual({
            ok: true,
            value: { seq, role: 1, epoch: byte, status: byte, echoSeq: seq, echoHoldMs: 17 },
          });
          expect(decodeEstop(encodeEstop({ seq, target: byte, stopRef: ref }))).toEqual({
            ok: true,
            value: { seq, target: byte, stopRef: ref },
          });
          expect(decodeStopConfirm(encodeStopConfirm({ seq, stopRef: ref, state: 4 }))).toEqual({
            ok: true,
            value: { seq, stopRef: ref, state: 4 },
          });
        },
      ),
    );
  });

  it('reject wrong lengths, bad checks and impossible fields without throwing', () => {
    const frame = encodeEstop({ seq: 1, target: 0xff, stopRef: 42 });
    expect(decodeEstop(frame.slice(0, 6))).toEqual({ ok: false, reason: 'short' });
    expect(decodeEstop(Uint8Array.of(...frame, 0))).toEqual({ ok: false, reason: 'long' });
    const bad = frame.slice();
    bad[3] = (bad[3] ?? 0) ^ 0x10;
    expect(decodeEstop(bad)).toEqual({ ok: false, reason: 'crc' });
    const content = Uint8Array.of(1 << 5, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00);
    expect(decodeTelemetryA(Uint8Array.of(...content, crc8(content)))).toEqual({
      ok: false,
      reason: 'field',
    });
    for (const decode of [
      decodeHeartbeat,
      decodeTelemetryA,
      decodeTelemetryB,
      decodeEstop,
      decodeStopConfirm,
    ]) {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => void decode(bytes)));
    }
  });
});
