import { ManualClock, seededRandom, type Random } from '../../time/index.js';
import { decodeReliable } from '../link-frames.js';
import type { OutboxStore } from '../outbox-store.js';
import type { ReliableConfig } from '../reliable-config.js';
import { ReliableEngine, type DeliveredMessage, type OutcomeEvent } from '../reliable-engine.js';

export interface ChannelFaults {
  loss: number;
  duplicate: number;
  /** Max extra delay in ms (uniform), which reorders frames. */
  jitterMs: number;
}

export interface EnginePair {
  clock: ManualClock;
  a: ReliableEngine;
  b: ReliableEngine;
  /** Messages delivered to b's application (from a), in order. */
  deliveredToB: DeliveredMessage[];
  deliveredToA: DeliveredMessage[];
  outcomesA: OutcomeEvent[];
  faults: ChannelFaults;
  /** When false, every frame between a and b is lost (a partition). */
  connected: boolean;
  /** Runs `ms` of simulated time in 1 ms steps, moving frames both ways. */
  run(ms: number): void;
  /** Replaces engine a (e.g. a restart over the same store). */
  restartA(store: OutboxStore, epoch?: number): void;
}

interface InFlight {
  atMs: number;
  to: 'a' | 'b';
  data: Uint8Array;
}

/** Two engines ("a" and "b") joined by a simulated channel with loss, duplication and reordering. */
export function enginePair(options: {
  seed?: number;
  faults?: Partial<ChannelFaults>;
  config?: Partial<ReliableConfig>;
  storeA?: OutboxStore;
  /** Frames each side may put on the channel per ms (a crude bus rate). */
  framesPerMs?: number;
}): EnginePair {
  const clock = new ManualClock();
  const rnd: Random = seededRandom(options.seed ?? 7);
  const deliveredToB: DeliveredMessage[] = [];
  const deliveredToA: DeliveredMessage[] = [];
  const outcomesA: OutcomeEvent[] = [];
  const faults: ChannelFaults = { loss: 0, duplicate: 0, jitterMs: 0, ...options.faults };
  const wire: InFlight[] = [];
  const makeA = (store: OutboxStore | undefined, epoch = 11): ReliableEngine =>
    new ReliableEngine({
      clock,
      random: seededRandom((options.seed ?? 7) + 1),
      epoch,
      ...(store ? { store } : {}),
      ...(options.config ? { config: options.config } : {}),
      deliver: (m) => deliveredToA.push(m),
      outcome: (e) => outcomesA.push(e),
    });
  const pair: EnginePair = {
    clock,
    a: makeA(options.storeA),
    b: new ReliableEngine({
      clock,
      random: seededRandom((options.seed ?? 7) + 2),
      epoch: 22,
      ...(options.config ? { config: options.config } : {}),
      deliver: (m) => deliveredToB.push(m),
    }),
    deliveredToB,
    deliveredToA,
    outcomesA,
    faults,
    connected: true,
    run(ms: number) {
      const perMs = options.framesPerMs ?? 2;
      for (let t = 0; t < ms; t++) {
        for (const [to, engine] of [
          ['b', pair.a],
          ['a', pair.b],
        ] as const) {
          engine.tick();
          for (let i = 0; i < perMs; i++) {
            const out = engine.nextFrame();
            if (!out) break;
            if (!pair.connected || rnd.next() < faults.loss) continue;
            const copies = rnd.next() < faults.duplicate ? 2 : 1;
            for (let c = 0; c < copies; c++)
              wire.push({
                atMs: clock.now() + 0.5 + rnd.next() * faults.jitterMs,
                to,
                data: out.data,
              });
          }
        }
        clock.advance(1);
        const due = wire.filter((f) => f.atMs <= clock.now()).sort((x, y) => x.atMs - y.atMs);
        for (const f of due) {
          wire.splice(wire.indexOf(f), 1);
          const decoded = decodeReliable(f.data);
          if (!decoded.ok) continue;
          const target = f.to === 'a' ? pair.a : pair.b;
          const from = f.to === 'a' ? 'b' : 'a';
          target.heard(from);
          target.handle(from, decoded.value);
        }
      }
    },
    restartA(store: OutboxStore, epoch?: number) {
      pair.a = makeA(store, epoch);
      pair.a.setReachable('b', true);
    },
  };
  pair.a.setReachable('b', true);
  pair.b.setReachable('a', true);
  return pair;
}

/** A body that names the message so the receiver can check identity and order. */
export function tagBody(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff);
}

export function tagOf(body: Uint8Array): number {
  return (body[0] ?? 0) | ((body[1] ?? 0) << 8);
}
