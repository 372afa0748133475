/**
 * The connection-mode timeouts of ISO 11783-3 (J1939-21 §5.10.2.4), frame by frame on a manual
 * clock: T2 after a CTS, T1 between packets, T3 and T4 on the sending side, each ending in abort
 * reason 3 at the standard's time and not later.
 */
import { describe, expect, it } from 'vitest';
import { PGN } from './pgn-registry.js';
import { ABORT_REASON, decodeCm, TIMING } from './transport-messages.js';
import { RESPONSE_GRACE_MS } from './transport-session.js';
import { engine, PEER } from './test-helpers/engine.js';

const PGN_X = 0xef00;

/** The connection management frames the engine sent, with the time each went out. */
function timeline(e: ReturnType<typeof engine>) {
  const log: { atMs: number; kind: string; next?: number; reason?: number }[] = [];
  let seen = 0;
  const collect = (): void => {
    for (; seen < e.out.length; seen++) {
      const f = e.out[seen]!;
      if (f.pgn !== PGN.TP_CM && f.pgn !== PGN.ETP_CM) continue;
      const m = decodeCm(f.data, f.pgn === PGN.ETP_CM)!;
      log.push({
        atMs: e.clock.now(),
        kind: m.kind,
        ...(m.kind === 'cts' ? { next: m.next } : {}),
        ...(m.kind === 'abort' ? { reason: m.reason } : {}),
      });
    }
  };
  /** Advances in 1 ms steps, noting when each frame went out. */
  const advance = (ms: number): void => {
    collect();
    for (let i = 0; i < ms; i++) {
      e.advance(1);
      collect();
    }
  };
  return { log, advance, collect };
}

describe('connection-mode timeouts', () => {
  it('T2: a CTS nobody answers is sent once more after 3 × Tr, and the session aborts at T2', () => {
    expect(RESPONSE_GRACE_MS).toBe(3 * TIMING.TR_MS);
    const e = engine();
    const t = timeline(e);
    e.cm({ kind: 'rts', etp: false, size: 20, packets: 3, maxPerCts: 255, pgn: PGN_X });
    t.advance(5_000);
    expect(t.log).toEqual([
      { atMs: 0, kind: 'cts', next: 1 },
      { atMs: 600, kind: 'cts', next: 1 },
      { atMs: TIMING.T2_MS, kind: 'abort', reason: ABORT_REASON.TIMEOUT },
    ]);
    expect(e.tp.activeSessions()).toBe(0);
  });

  it('T2 holds for ETP too: the DPO is the answer the receiver waits for', () => {
    const e = engine();
    const t = timeline(e);
    e.cm({ kind: 'rts', etp: true, size: 3000, packets: 429, maxPerCts: 255, pgn: PGN_X });
    t.advance(5_000);
    expect(t.log.map((x) => [x.atMs, x.kind])).toEqual([
      [0, 'cts'],
      [600, 'cts'],
      [1250, 'abort'],
    ]);
  });

  it('a window whose tail went missing is asked for again after 3 × Tr of silence, inside T1', () => {
    const e = engine({ tpWindow: 4 });
    const t = timeline(e);
    e.cm({ kind: 'rts', etp: false, size: 70, packets: 10, maxPerCts: 255, pgn: PGN_X });
    t.advance(10);
    e.dt(1);
    e.dt(2); // 3 and 4 are lost
    t.advance(2_000);
    expect(t.log).toEqual([
      { atMs: 0, kind: 'cts', next: 1 },
      { atMs: 610, kind: 'cts', next: 3 }, // a retransmission request, 600 ms after packet 2
      { atMs: 1210, kind: 'cts', next: 3 }, // the same CTS once more, unanswered
      { atMs: 610 + TIMING.T2_MS, kind: 'abort', reason: ABORT_REASON.TIMEOUT }, // T2
    ]);
  });

  it('T1: with no retransmission left, silence between packets aborts at T1', () => {
    const e = engine({ tpWindow: 4, maxRetransmits: 0 });
    const t = timeline(e);
    e.cm({ kind: 'rts', etp: false, size: 70, packets: 10, maxPerCts: 255, pgn: PGN_X });
    t.advance(10);
    e.dt(1);
    t.advance(2_000);
    expect(t.log).toEqual([
      { atMs: 0, kind: 'cts', next: 1 },
      { atMs: 10 + TIMING.T1_MS, kind: 'abort', reason: ABORT_REASON.TIMEOUT },
    ]);
  });

  it('T3: a sender aborts 1250 ms after its RTS, and after its last packet, without a CTS', () => {
    const e = engine();
    const t = timeline(e);
    const results: unknown[] = [];
    const send = () =>
      e.tp.send(
        { pgn: PGN_X, source: 0x20, destination: PEER, priority: 6, data: new Uint8Array(30) },
        (r) => results.push(r),
      );
    send();
    t.advance(3_000);
    expect(t.log.map((x) => [x.atMs, x.kind])).toEqual([
      [0, 'rts'],
      [TIMING.T3_MS, 'abort'],
    ]);
    t.log.length = 0;
    send();
    e.cm({ kind: 'cts', etp: false, count: 5, next: 1, pgn: PGN_X });
    t.advance(3_000);
    expect(t.log.map((x) => [x.atMs - 3_000, x.kind])).toEqual([
      [0, 'rts'],
      [TIMING.T3_MS, 'abort'],
    ]);
    expect(results).toEqual([
      { ok: false, reason: ABORT_REASON.TIMEOUT, byPeer: false },
      { ok: false, reason: ABORT_REASON.TIMEOUT, byPeer: false },
    ]);
  });

  it('T4: a hold keeps the sender waiting 1050 ms, renewed by each hold CTS (sent every Th)', () => {
    const e = engine();
    const t = timeline(e);
    const results: unknown[] = [];
    e.tp.send(
      { pgn: PGN_X, source: 0x20, destination: PEER, priority: 6, data: new Uint8Array(30) },
      (r) => results.push(r),
    );
    e.cm({ kind: 'cts', etp: false, count: 0, next: 1, pgn: PGN_X });
    t.advance(TIMING.TH_MS);
    e.cm({ kind: 'cts', etp: false, count: 0, next: 1, pgn: PGN_X });
    t.advance(TIMING.T4_MS - 1);
    expect(results).toEqual([]);
    t.advance(1);
    expect(t.log.at(-1)).toEqual({
      atMs: TIMING.TH_MS + TIMING.T4_MS,
      kind: 'abort',
      reason: ABORT_REASON.TIMEOUT,
    });
  });
});
