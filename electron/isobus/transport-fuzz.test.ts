import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PGN } from './pgn-registry.js';
import { encodeCm, type CmMessage } from './transport-messages.js';
import { engine, ME } from './test-helpers/engine.js';

const pgns = [PGN.TP_CM, PGN.TP_DT, PGN.ETP_CM, PGN.ETP_DT];

/** Hostile input: well-formed CM messages with wild fields, raw garbage and data packets. */
const hostileFrame = fc.oneof(
  fc.record({
    kind: fc.constant('cm' as const),
    etp: fc.boolean(),
    control: fc.constantFrom(16, 17, 19, 20, 21, 22, 23, 32, 255, 0, 99),
    a: fc.integer({ min: 0, max: 0xffffffff }),
    b: fc.integer({ min: 0, max: 255 }),
    pgn: fc.constantFrom(0xef00, 0xfe00, 0),
    source: fc.integer({ min: 0, max: 6 }),
    toGlobal: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('dt' as const),
    etp: fc.boolean(),
    seq: fc.integer({ min: 0, max: 255 }),
    source: fc.integer({ min: 0, max: 6 }),
    toGlobal: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    pgn: fc.constantFrom(...pgns),
    data: fc.uint8Array({ maxLength: 8 }),
    source: fc.integer({ min: 0, max: 255 }),
    toGlobal: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 900 }) }),
  fc.record({
    kind: fc.constant('open' as const),
    message: fc.oneof(
      fc.integer({ min: 9, max: 1785 }).map((size): CmMessage => ({
        kind: 'rts',
        etp: false,
        size,
        packets: Math.ceil(size / 7),
        maxPerCts: 255,
        pgn: 0xef00,
      })),
      fc.integer({ min: 1786, max: 50_000 }).map((size): CmMessage => ({
        kind: 'rts',
        etp: true,
        size,
        packets: Math.ceil(size / 7),
        maxPerCts: 255,
        pgn: 0xef00,
      })),
      fc.integer({ min: 9, max: 1785 }).map((size): CmMessage => ({
        kind: 'bam',
        size,
        packets: Math.ceil(size / 7),
        pgn: 0xfe21,
      })),
      fc
        .record({
          count: fc.integer({ min: 0, max: 255 }),
          offset: fc.integer({ min: 0, max: 40 }),
        })
        .map((d): CmMessage => ({ kind: 'dpo', ...d, pgn: 0xef00 })),
    ),
    source: fc.integer({ min: 1, max: 6 }),
  }),
);

describe('transport protocol fuzz', () => {
  it('survives hostile frame sequences: no crash, bounded memory, nothing stuck', () => {
    const maxBufferedBytes = 200_000;
    let peakSessions = 0;
    fc.assert(
      fc.property(fc.array(hostileFrame, { maxLength: 300 }), (frames) => {
        const e = engine({ maxRxSessions: 4, maxBufferedBytes, maxMessageBytes: 100_000 });
        for (const f of frames) {
          if (f.kind === 'wait') {
            e.advance(f.ms);
            continue;
          }
          if (f.kind === 'open') {
            e.cm(f.message, f.source, f.message.kind === 'bam' ? 0xff : ME);
            peakSessions = Math.max(peakSessions, e.tp.activeSessions());
            continue;
          }
          const destination = f.toGlobal ? 0xff : ME;
          if (f.kind === 'raw')
            e.tp.handle({ priority: 7, pgn: f.pgn, source: f.source, destination, data: f.data });
          else if (f.kind === 'dt')
            e.tp.handle({
              priority: 7,
              pgn: f.etp ? PGN.ETP_DT : PGN.TP_DT,
              source: f.source,
              destination,
              data: Uint8Array.of(f.seq, 1, 2, 3, 4, 5, 6, 7),
            });
          else {
            const data = encodeCm({ kind: 'abort', etp: f.etp, reason: 0, pgn: f.pgn });
            data[0] = f.control;
            data[1] = f.a & 0xff;
            data[2] = (f.a >>> 8) & 0xff;
            data[3] = f.b;
            data[4] = (f.a >>> 24) & 0xff;
            e.tp.handle({
              priority: 7,
              pgn: f.etp ? PGN.ETP_CM : PGN.TP_CM,
              source: f.source,
              destination,
              data,
            });
          }
          expect(e.tp.heldBytes()).toBeLessThanOrEqual(maxBufferedBytes);
          expect(e.tp.activeSessions()).toBeLessThanOrEqual(4);
        }
        e.advance(30_000);
        expect(e.tp.activeSessions()).toBe(0);
        expect(e.tp.heldBytes()).toBe(0);
        expect(e.tp.nextDeadlineMs()).toBeUndefined();
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(peakSessions).toBe(4); // the hostile input did open sessions up to the limit
  });
});
