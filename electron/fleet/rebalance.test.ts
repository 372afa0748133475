import { describe, expect, it } from 'vitest';
import {
  COOLDOWN_MS,
  decideRebalance,
  type RebalanceMachine,
  type RebalanceSection,
} from './rebalance.js';

/** `n` unstarted sections of 20 s each (200 m² at 10 m²/s, 0 s of turns) along the x axis. */
function sections(prefix: string, n: number): RebalanceSection[] {
  return Array.from({ length: n }, (_, i) => ({
    sectionId: `${prefix}${i}`,
    plannedS: 20,
    workM2: 200,
    centroid: [i * 10, 0] as [number, number],
  }));
}

function machine(id: string, leftS: number, unstarted: RebalanceSection[] = []): RebalanceMachine {
  return {
    tractorId: id,
    name: id.toUpperCase(),
    leftS,
    pace: 1,
    rateM2PerS: 10,
    unstarted,
    canTake: true,
  };
}

/** Machines without a position: the way to the moved sections is not counted. */
const input = (machines: RebalanceMachine[], extra = {}) => ({
  machines,
  nowMs: 100_000,
  transitSpeedMps: 5,
  ...extra,
});

describe('decideRebalance', () => {
  it('moves the tail of the slowest run to an idle machine, halving the gap', () => {
    const move = decideRebalance(
      input([machine('t2', 200, sections('s', 8)), machine('t5', 0), machine('t3', 150)]),
    );
    expect(move).not.toBeNull();
    expect(move?.fromId).toBe('t2');
    expect(move?.toId).toBe('t5');
    // 200 s vs 0 s: five sections (100 s) leave both at 100 s.
    expect(move?.sectionIds).toEqual(['s3', 's4', 's5', 's6', 's7']);
    expect(move?.gainS).toBeCloseTo(100);
    expect(move?.reason).toBe('rebalanced: 5 sections from T2 to T5, T5 idle, T2 200 s behind');
  });

  it('makes no move that saves less than the minimum gain', () => {
    // 40 s vs 20 s: one 20 s section would leave 20 s vs 40 s; nothing helps by 20 s.
    expect(decideRebalance(input([machine('a', 40, sections('s', 2)), machine('b', 20)]))).toBe(
      null,
    );
  });

  it('never moves a machine past the donor: the receiver takes only what shortens the pair', () => {
    const move = decideRebalance(input([machine('a', 130, sections('s', 5)), machine('b', 60)]));
    // 130 vs 60: two sections (90 vs 100) are best; three would leave b at 120.
    expect(move?.sectionIds).toEqual(['s3', 's4']);
    expect(move?.gainS).toBeCloseTo(30);
  });

  it('counts the way to the moved sections and a slower receiver', () => {
    const far = { ...machine('b', 0), position: [1000, 0] as [number, number], rateM2PerS: 5 };
    const move = decideRebalance(input([machine('a', 200, sections('s', 8)), far]));
    // Each moved section costs b 40 s plus ~200 s to get there: too far to be worth it.
    expect(move).toBeNull();
  });

  it('gives nothing to a machine that cannot take work, and takes nothing being worked', () => {
    const held = { ...machine('b', 0), canTake: false };
    expect(decideRebalance(input([machine('a', 200, sections('s', 8)), held]))).toBeNull();
    // Every section of a's run is started (its current one is never listed): nothing to move.
    expect(decideRebalance(input([machine('a', 200, []), machine('b', 0)]))).toBeNull();
  });

  it('gives work only to a machine whose own run is finished', () => {
    // b will finish long before a, but it still has sections of its own to reach first.
    const busy = machine('b', 30, sections('m', 1));
    expect(decideRebalance(input([machine('a', 200, sections('s', 8)), busy]))).toBeNull();
  });

  it('waits out the cooldown after a move before the next', () => {
    const machines = [machine('a', 200, sections('s', 8)), machine('b', 0)];
    expect(decideRebalance(input(machines, { lastMoveMs: 100_000 - COOLDOWN_MS + 1 }))).toBe(null);
    expect(decideRebalance(input(machines, { lastMoveMs: 100_000 - COOLDOWN_MS }))).not.toBe(null);
  });

  it('does not send the sections back once the pair is balanced', () => {
    const first = decideRebalance(input([machine('a', 200, sections('s', 8)), machine('b', 0)]));
    expect(first?.sectionIds).toHaveLength(5);
    // After the move: a 100 s with three sections, b 100 s with five.
    const after = decideRebalance(
      input([machine('a', 100, sections('s', 3)), machine('b', 100, sections('m', 5))]),
    );
    expect(after).toBeNull();
  });
});
