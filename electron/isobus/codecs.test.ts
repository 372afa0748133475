import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeIdentifier,
  encodeIdentifier,
  GLOBAL_ADDRESS,
  IdentifierError,
  isPdu1,
} from './identifier.js';
import {
  compareNames,
  decodeName,
  encodeName,
  nameFromBytes,
  nameToBytes,
  type IsoNameFields,
} from './iso-name.js';
import { pgnName, PGN } from './pgn-registry.js';
import {
  ACK_CONTROL,
  decodeAcknowledgement,
  decodeRequest,
  encodeAcknowledgement,
  encodeRequest,
} from './request-ack.js';
import { decodeCm, encodeCm, type CmMessage } from './transport-messages.js';

const arbitraryPgn = fc.integer({ min: 0, max: 0x3ffff }).map((p) => (isPdu1(p) ? p & 0x3ff00 : p));

const arbitraryNameFields: fc.Arbitrary<IsoNameFields> = fc.record({
  identityNumber: fc.integer({ min: 0, max: 2 ** 21 - 1 }),
  manufacturerCode: fc.integer({ min: 0, max: 2 ** 11 - 1 }),
  ecuInstance: fc.integer({ min: 0, max: 7 }),
  functionInstance: fc.integer({ min: 0, max: 31 }),
  function: fc.integer({ min: 0, max: 255 }),
  deviceClass: fc.integer({ min: 0, max: 127 }),
  deviceClassInstance: fc.integer({ min: 0, max: 15 }),
  industryGroup: fc.integer({ min: 0, max: 7 }),
  selfConfigurable: fc.boolean(),
});

describe('identifier codec', () => {
  it('decodes a PDU1 Request to address 0x80 from 0x26', () => {
    expect(decodeIdentifier(0x18ea8026)).toMatchObject({
      priority: 6,
      pdu: 1,
      pf: 0xea,
      pgn: 0xea00,
      destination: 0x80,
      source: 0x26,
    });
  });

  it('decodes a PDU2 broadcast: the PS byte is part of the PGN', () => {
    expect(decodeIdentifier(0x0cfe4980)).toMatchObject({
      priority: 3,
      pdu: 2,
      pgn: 0xfe49,
      destination: GLOBAL_ADDRESS,
      source: 0x80,
    });
  });

  it('round-trips priority, PGN (with data pages), source and destination', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        arbitraryPgn,
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        (priority, pgn, source, da) => {
          const destination = isPdu1(pgn) ? da : GLOBAL_ADDRESS;
          const d = decodeIdentifier(encodeIdentifier({ priority, pgn, source, destination }));
          return (
            d.priority === priority &&
            d.pgn === pgn &&
            d.source === source &&
            d.destination === destination &&
            d.pgn >>> 17 === d.edp
          );
        },
      ),
    );
  });

  it('decodes any 29-bit id and re-encodes it to the same id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x1fffffff }),
        (id) => encodeIdentifier(decodeIdentifier(id)) === id,
      ),
    );
  });

  it('rejects a PDU1 PGN with a non-zero low byte and out-of-range fields', () => {
    expect(() => encodeIdentifier({ priority: 6, pgn: 0xea12, source: 1, destination: 2 })).toThrow(
      IdentifierError,
    );
    expect(() =>
      encodeIdentifier({ priority: 8, pgn: 0xfe49, source: 1, destination: 255 }),
    ).toThrow(/priority/);
    expect(() =>
      encodeIdentifier({ priority: 6, pgn: 0x40000, source: 1, destination: 255 }),
    ).toThrow(/PGN/);
  });

  it('names well-known PGNs and labels proprietary B', () => {
    expect(pgnName(PGN.ADDRESS_CLAIMED)).toBe('Address Claimed');
    expect(pgnName(0xff21)).toMatch(/Proprietary B/);
    expect(pgnName(0x1234)).toBe('PGN 0x1234');
  });
});

describe('NAME', () => {
  it('round-trips all fields through the 64-bit value and its 8 bytes', () => {
    fc.assert(
      fc.property(arbitraryNameFields, (fields) => {
        const value = encodeName(fields);
        return (
          JSON.stringify(decodeName(nameFromBytes(nameToBytes(value)))) ===
            JSON.stringify(decodeName(value)) &&
          JSON.stringify(decodeName(value)) === JSON.stringify({ ...decodeName(value), ...fields })
        );
      }),
    );
  });

  it('places fields where ISO 11783-5 puts them', () => {
    const value = encodeName({
      identityNumber: 1,
      manufacturerCode: 2,
      ecuInstance: 3,
      functionInstance: 4,
      function: 5,
      deviceClass: 6,
      deviceClassInstance: 7,
      industryGroup: 2,
      selfConfigurable: true,
    });
    expect(value.toString(16)).toBe('a70c052300400001');
    expect([...nameToBytes(value)]).toEqual([0x01, 0x00, 0x40, 0x00, 0x23, 0x05, 0x0c, 0xa7]);
  });

  it('gives priority to the numerically lower NAME', () => {
    const low = encodeName({
      identityNumber: 1,
      manufacturerCode: 1,
      ecuInstance: 0,
      functionInstance: 0,
      function: 0,
      deviceClass: 0,
      deviceClassInstance: 0,
      industryGroup: 2,
      selfConfigurable: false,
    });
    const high = encodeName({
      identityNumber: 1,
      manufacturerCode: 1,
      ecuInstance: 0,
      functionInstance: 0,
      function: 0,
      deviceClass: 0,
      deviceClassInstance: 0,
      industryGroup: 2,
      selfConfigurable: true,
    });
    expect(compareNames(low, high)).toBeLessThan(0);
    expect(compareNames(high, low)).toBeGreaterThan(0);
    expect(compareNames(low, low)).toBe(0);
  });

  it('rejects a field that does not fit its width', () => {
    expect(() =>
      encodeName({
        identityNumber: 2 ** 21,
        manufacturerCode: 0,
        ecuInstance: 0,
        functionInstance: 0,
        function: 0,
        deviceClass: 0,
        deviceClassInstance: 0,
        industryGroup: 0,
        selfConfigurable: false,
      }),
    ).toThrow(/identityNumber/);
  });
});

describe('request and acknowledgement', () => {
  it('round-trips a request and every acknowledgement kind', () => {
    expect(decodeRequest(encodeRequest(0x1fedc))).toBe(0x1fedc);
    for (const control of Object.values(ACK_CONTROL)) {
      const ack = { control, groupFunction: 0xff, address: 0x26, pgn: 0xfe49 };
      expect(decodeAcknowledgement(encodeAcknowledgement(ack))).toEqual(ack);
    }
    expect(() => decodeRequest(Uint8Array.of(1))).toThrow(/3 bytes/);
  });
});

describe('TP/ETP connection management codec', () => {
  const cm: fc.Arbitrary<CmMessage> = fc.oneof(
    fc.record({
      kind: fc.constant('rts' as const),
      etp: fc.constant(false),
      size: fc.integer({ min: 9, max: 1785 }),
      packets: fc.integer({ min: 0, max: 255 }),
      maxPerCts: fc.integer({ min: 0, max: 255 }),
      pgn: arbitraryPgn,
    }),
    fc.record({
      kind: fc.constant('cts' as const),
      etp: fc.boolean(),
      count: fc.integer({ min: 0, max: 255 }),
      next: fc.integer({ min: 0, max: 255 }),
      pgn: arbitraryPgn,
    }),
    fc.record({
      kind: fc.constant('dpo' as const),
      count: fc.integer({ min: 0, max: 255 }),
      offset: fc.integer({ min: 0, max: 0xffffff }),
      pgn: arbitraryPgn,
    }),
    fc.record({
      kind: fc.constant('bam' as const),
      size: fc.integer({ min: 9, max: 1785 }),
      packets: fc.integer({ min: 0, max: 255 }),
      pgn: arbitraryPgn,
    }),
    fc.record({
      kind: fc.constant('abort' as const),
      etp: fc.boolean(),
      reason: fc.integer({ min: 0, max: 255 }),
      pgn: arbitraryPgn,
    }),
  );

  it('round-trips every message', () => {
    fc.assert(
      fc.property(cm, (m) => {
        const etp = m.kind === 'dpo' || ('etp' in m && m.etp);
        return JSON.stringify(decodeCm(encodeCm(m), etp)) === JSON.stringify(m);
      }),
    );
  });

  it('round-trips ETP sizes above 16 bits', () => {
    const m: CmMessage = {
      kind: 'rts',
      etp: true,
      size: 1_048_576,
      packets: 149797,
      maxPerCts: 255,
      pgn: 0xef00,
    };
    expect(decodeCm(encodeCm(m), true)).toEqual(m);
  });

  it('ignores unknown control bytes and short frames', () => {
    expect(decodeCm(Uint8Array.of(99, 0, 0, 0, 0, 0, 0, 0), false)).toBeUndefined();
    expect(decodeCm(Uint8Array.of(16, 9, 0), false)).toBeUndefined();
  });
});
