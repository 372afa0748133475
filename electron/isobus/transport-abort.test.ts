import { describe, expect, it } from 'vitest';
import { ABORT_REASON } from './transport-messages.js';
import { engine, PEER } from './test-helpers/engine.js';

const PGN_X = 0xef00;
const lastAbort = (e: ReturnType<typeof engine>) =>
  e
    .sentCm()
    .filter((m) => m.kind === 'abort')
    .at(-1);

describe('transport protocol against malformed and out-of-order input', () => {
  it('aborts with reason 7 on a packet beyond every CTS', () => {
    const e = engine({ tpWindow: 4 });
    e.cm({ kind: 'rts', etp: false, size: 70, packets: 10, maxPerCts: 255, pgn: PGN_X });
    expect(e.sentCm()[0]).toMatchObject({ kind: 'cts', count: 4, next: 1 });
    e.dt(1);
    e.dt(6);
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.BAD_SEQUENCE_NUMBER, pgn: PGN_X });
    expect(e.tp.activeSessions()).toBe(0);
    expect(e.tp.heldBytes()).toBe(0);
  });

  it('aborts with reason 8 on a duplicate packet with different data, ignores an identical copy', () => {
    const e = engine();
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: PGN_X });
    e.dt(1, false, 9);
    e.dt(1, false, 9);
    expect(lastAbort(e)).toBeUndefined();
    e.dt(1, false, 8);
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.DUPLICATE_SEQUENCE_NUMBER });
    expect(e.tp.activeSessions()).toBe(0);
  });

  it('refuses a second RTS for another PGN from the same peer with reason 1 and keeps the first', () => {
    const e = engine();
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: PGN_X });
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: 0xef00 + 0x100 });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.ALREADY_IN_SESSION, pgn: 0xf000 });
    e.dt(1);
    e.dt(2);
    e.dt(3);
    expect(e.delivered).toHaveLength(1);
    expect(e.delivered[0]!.data.length).toBe(20);
  });

  it('refuses more sessions than it holds with reason 1', () => {
    const e = engine({ maxRxSessions: 2 });
    for (const peer of [1, 2, 3])
      e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: PGN_X }, peer);
    expect(e.tp.activeSessions()).toBe(2);
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.ALREADY_IN_SESSION });
  });

  it('refuses an RTS whose size and packet count disagree', () => {
    const e = engine();
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 9, maxPerCts: 255, pgn: PGN_X });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.ANY_OTHER });
    expect(e.tp.activeSessions()).toBe(0);
  });

  it('checks every ETP DPO: unexpected (9), wrong PGN (10), too many packets (11), bad offset (12)', () => {
    const start = () => {
      const e = engine({ etpWindow: 10 });
      e.cm({ kind: 'rts', etp: true, size: 5000, packets: 715, maxPerCts: 255, pgn: PGN_X });
      return e;
    };
    let e = start();
    e.cm({ kind: 'dpo', count: 10, offset: 0, pgn: 0xfe00 });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.UNEXPECTED_EDPO_PGN });
    e = start();
    e.cm({ kind: 'dpo', count: 11, offset: 0, pgn: PGN_X });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.EDPO_PACKETS_EXCEED_CTS });
    e = start();
    e.cm({ kind: 'dpo', count: 10, offset: 5, pgn: PGN_X });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.BAD_EDPO_OFFSET });
    e = start();
    e.cm({ kind: 'dpo', count: 10, offset: 0, pgn: PGN_X });
    e.cm({ kind: 'dpo', count: 10, offset: 0, pgn: PGN_X });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.UNEXPECTED_EDPO });
    e = start();
    e.dt(1, true);
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.UNEXPECTED_DATA_PACKET });
  });

  it('aborts a send whose CTS asks past the message (ETP 15) or names another PGN (ETP 14)', () => {
    let e = engine();
    const sendResult: unknown[] = [];
    e.tp.send(
      { pgn: PGN_X, source: 0x20, destination: PEER, priority: 6, data: new Uint8Array(2000) },
      (r) => sendResult.push(r),
    );
    e.cm({ kind: 'cts', etp: true, count: 10, next: 290, pgn: PGN_X });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.ECTS_EXCEEDS_MESSAGE_SIZE });
    expect(sendResult).toEqual([
      { ok: false, reason: ABORT_REASON.ECTS_EXCEEDS_MESSAGE_SIZE, byPeer: false },
    ]);
    e = engine();
    e.tp.send(
      { pgn: PGN_X, source: 0x20, destination: PEER, priority: 6, data: new Uint8Array(2000) },
      () => undefined,
    );
    e.cm({ kind: 'cts', etp: true, count: 10, next: 1, pgn: 0xfe00 });
    expect(lastAbort(e)).toMatchObject({ reason: ABORT_REASON.UNEXPECTED_ECTS_PGN });
  });

  it('honours a hold (CTS with 0 packets) for T4, then times out', () => {
    const e = engine();
    const results: unknown[] = [];
    e.tp.send(
      { pgn: PGN_X, source: 0x20, destination: PEER, priority: 6, data: new Uint8Array(100) },
      (r) => results.push(r),
    );
    e.advance(1000);
    e.cm({ kind: 'cts', etp: false, count: 0, next: 1, pgn: PGN_X });
    e.advance(1000);
    expect(results).toHaveLength(0);
    e.advance(100);
    expect(results).toEqual([{ ok: false, reason: ABORT_REASON.TIMEOUT, byPeer: false }]);
  });

  it('drops a BAM silently on a sequence gap and on T1', () => {
    const e = engine();
    e.cm({ kind: 'bam', size: 20, packets: 3, pgn: 0xfe21 }, PEER, 0xff);
    e.dt(1, false, 1, PEER, 0xff);
    e.dt(3, false, 3, PEER, 0xff);
    expect(e.tp.activeSessions()).toBe(0);
    e.cm({ kind: 'bam', size: 20, packets: 3, pgn: 0xfe21 }, PEER, 0xff);
    e.advance(800);
    expect(e.tp.activeSessions()).toBe(0);
    expect(e.out).toHaveLength(0); // never an abort for a broadcast
  });

  it('frees a session when the peer aborts it', () => {
    const e = engine();
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: PGN_X });
    e.cm({ kind: 'abort', etp: false, reason: 2, pgn: 0x1234 }); // another PGN: not ours
    expect(e.tp.activeSessions()).toBe(1);
    e.cm({ kind: 'abort', etp: false, reason: 2, pgn: PGN_X });
    expect(e.tp.activeSessions()).toBe(0);
  });
});
