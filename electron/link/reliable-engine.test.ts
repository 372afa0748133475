import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../time/index.js';
import { decodeReliable } from './link-frames.js';
import { ReliableEngine } from './reliable-engine.js';
import { enginePair, tagBody, tagOf, type EnginePair } from './test-helpers/engine-pair.js';
import { MSG } from './wire-format.js';

/** Checks the delivery contract for messages a → b and returns the counts. */
function checkContract(pair: EnginePair, sent: { id: string; tag: number; type: number }[]) {
  const got = pair.deliveredToB.map((m) => tagOf(m.body));
  // At most once.
  expect(new Set(got).size).toBe(got.length);
  // In order per lane: tags were issued increasing, so each lane's deliveries increase.
  for (const type of new Set(sent.map((s) => s.type))) {
    const lane = pair.deliveredToB.filter((m) => m.type === type).map((m) => tagOf(m.body));
    expect(lane).toEqual([...lane].sort((x, y) => x - y));
  }
  const outcome = new Map(pair.outcomesA.map((o) => [o.id, o.outcome]));
  for (const s of sent) {
    const o = outcome.get(s.id);
    // Delivered to the caller means delivered to the peer; anything else was reported expired.
    if (o === 'delivered') expect(got).toContain(s.tag);
    else
      expect(o === 'expired' || o === 'dropped', `message ${s.tag} has outcome ${String(o)}`).toBe(
        true,
      );
  }
  return { delivered: got.length };
}

describe('ReliableEngine', () => {
  it('delivers every message exactly once and in order on a clean channel', () => {
    const pair = enginePair({});
    const sent = Array.from({ length: 50 }, (_, i) => {
      const r = pair.a.send('b', MSG.SYNC_DATA, tagBody(i));
      if (!r.ok) throw new Error(r.reason);
      return { id: r.id, tag: i, type: MSG.SYNC_DATA };
    });
    pair.run(200);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual(sent.map((s) => s.tag));
    expect(pair.outcomesA.every((o) => o.outcome === 'delivered')).toBe(true);
    expect(pair.a.counters.retransmissions).toBe(0);
  });

  it('retransmits a lost message with exponential backoff until acknowledged', () => {
    const clock = new ManualClock();
    const engine = new ReliableEngine({
      clock,
      random: seededRandom(1),
      epoch: 1,
      deliver: () => undefined,
      config: { jitter: 0 },
    });
    engine.setReachable('t1', true);
    engine.send('t1', MSG.START, new Uint8Array());
    const times: number[] = [];
    for (let t = 0; t < 400; t++) {
      engine.tick();
      if (engine.nextFrame()) times.push(clock.now());
      clock.advance(1);
    }
    expect(times.slice(0, 4)).toEqual([0, 20, 60, 140]);
  });

  it('suppresses duplicated frames on receipt', () => {
    const pair = enginePair({ faults: { duplicate: 0.5 } });
    for (let i = 0; i < 30; i++) pair.a.send('b', MSG.ASSIGN, tagBody(i));
    pair.run(300);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
    expect(pair.b.counters.duplicates).toBeGreaterThan(0);
  });

  it('reports a message expired at its TTL and later ones still arrive in order', () => {
    const pair = enginePair({});
    pair.connected = false;
    const first = pair.a.send('b', MSG.PAUSE, tagBody(1), { ttlMs: 100 });
    pair.run(50);
    const second = pair.a.send('b', MSG.START, tagBody(2), { ttlMs: 10_000 });
    pair.run(100);
    expect(pair.outcomesA.find((o) => first.ok && o.id === first.id)?.outcome).toBe('expired');
    pair.connected = true;
    pair.run(3000);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual([2]);
    expect(pair.outcomesA.find((o) => second.ok && o.id === second.id)?.outcome).toBe('delivered');
  });

  it('never transmits a withdrawn message again, and the messages after it still arrive in order', () => {
    const pair = enginePair({});
    pair.connected = false;
    const start = pair.a.send('b', MSG.START, tagBody(1));
    pair.a.send('b', MSG.ASSIGN, tagBody(2));
    pair.run(30); // both on the wire once and lost: in flight, with sequence numbers
    expect(pair.a.withdraw('b', MSG.START)).toBe(1);
    pair.a.send('b', MSG.PAUSE, tagBody(3));
    pair.connected = true;
    pair.run(3_000);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual([2, 3]);
    expect(pair.outcomesA.find((o) => start.ok && o.id === start.id)?.outcome).toBe('dropped');
    expect(pair.a.queued('b').control).toBe(0);
  });

  it('withdraws a message from the middle of the window: the receiver skips its number', () => {
    const pair = enginePair({});
    pair.a.send('b', MSG.ASSIGN, tagBody(1));
    pair.a.send('b', MSG.START, tagBody(2));
    pair.a.send('b', MSG.PAUSE, tagBody(3));
    pair.connected = false;
    pair.run(30);
    pair.a.withdraw('b', MSG.START);
    pair.connected = true;
    pair.run(3_000);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual([1, 3]);
    expect(pair.a.queued('b').control).toBe(0);
  });

  it('refuses control messages at the queue limit and drops the oldest queued bulk message, counting both', () => {
    const clock = new ManualClock();
    const outcomes: string[] = [];
    const engine = new ReliableEngine({
      clock,
      random: seededRandom(1),
      epoch: 1,
      deliver: () => undefined,
      outcome: (o) => outcomes.push(`${o.id}:${o.outcome}`),
      config: {
        queueLimit: { safety: 8, control: 8, sync: 8, bulk: 4 },
        window: { safety: 2, control: 2, sync: 2, bulk: 2 },
      },
    });
    for (let i = 0; i < 8; i++) expect(engine.send('p', MSG.START, new Uint8Array()).ok).toBe(true);
    expect(engine.send('p', MSG.START, new Uint8Array())).toEqual({
      ok: false,
      reason: 'queue-full',
    });
    expect(engine.counters.refused).toBe(1);
    const ids = Array.from({ length: 5 }, () => {
      const r = engine.send('p', MSG.BULK_DATA, Uint8Array.of(1));
      return r.ok ? r.id : '';
    });
    expect(engine.counters.dropped).toBe(1);
    expect(outcomes).toEqual([`${ids[0]}:dropped`]);
    expect(engine.queued('p').bulk).toBe(4);
  });

  it('holds messages for an unreachable peer and delivers them oldest first when it returns', () => {
    const pair = enginePair({});
    pair.a.setReachable('b', false);
    for (let i = 0; i < 10; i++) pair.a.send('b', MSG.ASSIGN, tagBody(i));
    pair.run(5000);
    expect(pair.deliveredToB).toHaveLength(0);
    expect(pair.a.counters.transmissions).toBe(0);
    pair.a.setReachable('b', true);
    pair.run(200);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual(
      Array.from({ length: 10 }, (_, i) => i),
    );
  });

  it('suspends a peer that answers nothing and resumes as soon as it is heard', () => {
    const pair = enginePair({ config: { maxAttempts: 3 } });
    pair.connected = false;
    pair.a.send('b', MSG.START, tagBody(1));
    pair.run(2000);
    expect(pair.a.isSuspended('b')).toBe(true);
    const sentBefore = pair.a.counters.transmissions;
    pair.run(5000);
    expect(pair.a.counters.transmissions).toBe(sentBefore);
    pair.connected = true;
    pair.a.heard('b');
    pair.run(100);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual([1]);
  });

  it('puts higher lanes first: a safety message overtakes a queued bulk flood', () => {
    const clock = new ManualClock();
    const engine = new ReliableEngine({
      clock,
      random: seededRandom(1),
      epoch: 1,
      deliver: () => undefined,
    });
    engine.setReachable('p', true);
    for (let i = 0; i < 100; i++) engine.send('p', MSG.BULK_DATA, Uint8Array.of(i));
    engine.nextFrame();
    engine.send('p', MSG.RELEASE, Uint8Array.of(1, 2));
    const next = engine.nextFrame();
    const decoded = next && decodeReliable(next.data);
    expect(decoded?.ok && decoded.value.kind === 'data' && decoded.value.type).toBe(MSG.RELEASE);
    expect(next?.priority).toBeLessThan(6);
  });

  it('restarts numbering when the sender comes back with a new epoch', () => {
    const pair = enginePair({});
    pair.a.send('b', MSG.START, tagBody(1));
    pair.run(50);
    pair.restartA(
      new (class {
        load() {
          return { epoch: undefined, nextSeq: new Map(), messages: [], nextSerial: 0 };
        }
        setEpoch() {}
        put() {}
        assignSeq() {}
        remove() {}
        close() {}
      })(),
      99,
    );
    pair.a.send('b', MSG.START, tagBody(2));
    pair.run(50);
    expect(pair.deliveredToB.map((m) => tagOf(m.body))).toEqual([1, 2]);
    expect(pair.b.counters.epochResets).toBe(1);
  });

  it('property: under loss, duplication, reordering, partitions and TTLs every message is delivered once in order or reported expired', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
          duplicate: fc.double({ min: 0, max: 0.2, noNaN: true }),
          jitterMs: fc.integer({ min: 0, max: 20 }),
          sends: fc.array(
            fc.record({
              lane: fc.constantFrom(MSG.RELEASE, MSG.START, MSG.PROGRESS, MSG.BULK_DATA),
              ttlMs: fc.integer({ min: 50, max: 20_000 }),
              gapMs: fc.integer({ min: 0, max: 40 }),
            }),
            { minLength: 1, maxLength: 60 },
          ),
          partitionAt: fc.integer({ min: 0, max: 500 }),
          partitionMs: fc.constantFrom(0, 300, 2000),
        }),
        (p) => {
          const pair = enginePair({
            seed: p.seed,
            faults: { loss: p.loss, duplicate: p.duplicate, jitterMs: p.jitterMs },
          });
          const sent: { id: string; tag: number; type: number }[] = [];
          let elapsed = 0;
          p.sends.forEach((s, i) => {
            if (elapsed >= p.partitionAt && elapsed < p.partitionAt + p.partitionMs)
              pair.connected = false;
            else pair.connected = true;
            const r = pair.a.send('b', s.lane, tagBody(i), { ttlMs: s.ttlMs });
            if (r.ok) sent.push({ id: r.id, tag: i, type: s.lane });
            pair.run(s.gapMs);
            elapsed += s.gapMs;
          });
          pair.connected = true;
          pair.a.heard('b');
          pair.run(25_000);
          checkContract(pair, sent);
          // Everything was settled one way or the other.
          expect(pair.outcomesA.length).toBe(sent.length);
        },
      ),
      { numRuns: 40 },
    );
  });
});
