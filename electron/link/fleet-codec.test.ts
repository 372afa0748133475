import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BodyDecodeError } from './byte-codec.js';
import {
  stateCode,
  decodeAssign,
  decodeHello,
  decodeProgress,
  encodeAssign,
  encodeHello,
  encodeProgress,
  refOfStopId,
  stopIdForRef,
} from './fleet-codec.js';
import type { AssignedSection } from './fleet-messages.js';
import { decodeRelease, encodeRelease } from './safety-codec.js';

const deg7 = (min: number, max: number) =>
  fc.integer({ min: min * 1e7, max: max * 1e7 }).map((v) => v / 1e7);
const mm = fc.integer({ min: 0, max: 4_000_000 }).map((v) => v / 1000);
const sectionArb: fc.Arbitrary<AssignedSection> = fc.record({
  id: fc
    .string({ minLength: 1, maxLength: 40 })
    .filter((s) => new TextEncoder().encode(s).length <= 255),
  start: fc.tuple(deg7(-180, 180), deg7(-90, 90)),
  end: fc.tuple(deg7(-180, 180), deg7(-90, 90)),
  widthM: fc.integer({ min: 0, max: 65535 }).map((v) => v / 100),
  done: fc.array(
    fc.tuple(mm, mm).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
    { maxLength: 5 },
  ),
});

/** Decoding arbitrary bytes either succeeds or throws BodyDecodeError — nothing else. */
function onlyTypedErrors(decode: (b: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        decode(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(BodyDecodeError);
      }
    }),
  );
}

describe('fleet message bodies', () => {
  it('round-trip assign lists exactly (positions in 1e-7 deg, widths in cm, intervals in mm)', () => {
    fc.assert(
      fc.property(fc.array(sectionArb, { maxLength: 8 }), (sections) => {
        expect(decodeAssign(encodeAssign(sections))).toEqual(sections);
      }),
    );
  });

  it('round-trip hello and progress', () => {
    expect(
      decodeHello(
        encodeHello({ name: 'Tractor 7 — Fendt', implementWidthM: 12.5, workSpeedMps: 3.9 }),
      ),
    ).toEqual({
      name: 'Tractor 7 — Fendt',
      implementWidthM: 12.5,
      workSpeedMps: 3.9,
      capacity: { kind: 'none' },
    });
    expect(
      decodeProgress(
        encodeProgress({ currentRef: 7, coverage: { sectionRef: 9, fromM: 1.5, toM: 300.25 } }),
      ),
    ).toEqual({ currentRef: 7, coverage: { sectionRef: 9, fromM: 1.5, toM: 300.25 } });
    expect(decodeProgress(encodeProgress({ currentRef: 0, coverage: null }))).toEqual({
      currentRef: 0,
      coverage: null,
    });
  });

  it('round-trips a release with a counter beyond 32 bits and its MAC', () => {
    const mac = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
    const body = encodeRelease({ stopRef: 0xdeadbeef, auth: { counter: 2 ** 40 + 5, mac } });
    expect(body.length).toBe(28);
    expect(decodeRelease(body)).toEqual({
      stopRef: 0xdeadbeef,
      auth: { counter: 2 ** 40 + 5, mac },
    });
    expect(() => encodeRelease({ stopRef: 1, auth: { counter: 1, mac: mac.slice(1) } })).toThrow(
      RangeError,
    );
  });

  it('maps stop references both ways', () => {
    expect(refOfStopId(stopIdForRef(0xdeadbeef))).toBe(0xdeadbeef);
    expect(refOfStopId('stop-abc-1')).toBeUndefined();
  });

  it('reject truncated, padded and inconsistent bodies with a typed error only', () => {
    const body = encodeAssign([{ id: 's', start: [1, 2], end: [3, 4], widthM: 1, done: [[0, 1]] }]);
    expect(() => decodeAssign(body.slice(0, -1))).toThrow(BodyDecodeError);
    expect(() => decodeAssign(Uint8Array.of(...body, 0))).toThrow(BodyDecodeError);
    expect(() => decodeRelease(new Uint8Array(28))).toThrow(BodyDecodeError);
    const backwards = encodeProgress({
      currentRef: 1,
      coverage: { sectionRef: 1, fromM: 0, toM: 0 },
    });
    backwards.set([0xff, 0xff, 0, 0], 8); // fromM 65.535 m, toM 0: ends before it starts
    expect(() => decodeProgress(backwards)).toThrow(BodyDecodeError);
    for (const decode of [decodeAssign, decodeHello, decodeProgress, decodeRelease])
      onlyTypedErrors(decode);
  });
});

describe('the capacity in a hello', () => {
  const hello = { name: 'Sprayer 2', implementWidthM: 24, workSpeedMps: 3.5 };
  const tank = { kind: 'tank', amount: 3000, ratePerHa: 150.5, fillPerMin: 400 } as const;

  it('round-trips a tank and a hopper', () => {
    expect(decodeHello(encodeHello({ ...hello, capacity: tank })).capacity).toEqual(tank);
    const hopper = { kind: 'hopper', amount: 4500, ratePerHa: 180, fillPerMin: 900 } as const;
    expect(decodeHello(encodeHello({ ...hello, capacity: hopper })).capacity).toEqual(hopper);
  });

  it('reads an older hello that ends after the name as a machine with nothing to refill', () => {
    const old = encodeHello(hello).subarray(0, -1); // without the capacity kind byte
    expect(decodeHello(old)).toEqual({ ...hello, capacity: { kind: 'none' } });
  });

  it('refuses a capacity out of range, naming the figure', () => {
    const empty = encodeHello({ ...hello, capacity: { ...tank, amount: 0 } });
    expect(() => decodeHello(empty)).toThrow(
      /hello capacity refused: amount: capacity must be above 0/,
    );
    const huge = encodeHello({ ...hello, capacity: { ...tank, ratePerHa: 90_000 } });
    expect(() => decodeHello(huge)).toThrow(/application rate per hectare must be at most 5000/);
  });

  it('refuses an unknown capacity kind and a capacity cut short', () => {
    const body = encodeHello({ ...hello, capacity: tank });
    const unknown = Uint8Array.from(body);
    unknown[4 + 1 + new TextEncoder().encode(hello.name).length] = 9;
    expect(() => decodeHello(unknown)).toThrow(/unknown capacity kind 9/);
    expect(() => decodeHello(body.subarray(0, -2))).toThrow(BodyDecodeError);
  });
});

describe('tractor state codes on the wire', () => {
  it('keep the numbers the protocol gives them, whatever states the station adds for itself', () => {
    expect(
      ['idle', 'working', 'turning', 'paused', 'stopped', 'comm-lost', 'done'].map((s) =>
        stateCode(s as Parameters<typeof stateCode>[0]),
      ),
    ).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
