import { describe, expect, it } from 'vitest';
import { COOLDOWN_MS, validateField, type RebalanceMove } from '../fleet/index.js';
import { rectField } from '../fleet/test-helpers/fields.js';
import { tractor } from '../fleet/test-helpers/fleet.js';
import { FieldWork } from './field-work.js';
import { LiveRebalance, REBALANCE_EVERY_MS } from './live-rebalance.js';
import { newTractorRecord, type TractorRecord } from './tractor-record.js';

/** Two equal machines on a 300 × 120 m field (40 sections); b has worked all of its own. */
function fleetWithOneDone() {
  const v = validateField(rectField('f', 300, 120));
  if (!v.ok) throw v.error;
  const work = new FieldWork({
    field: v.value,
    plan: { swathWidthM: 6, headlandPasses: 0, maxSectionLengthM: 150, workDirectionDeg: 0 },
    operation: 'tillage',
  });
  work.allocate([tractor('a', 6, 2), tractor('b', 6, 2)]);
  let t = 0;
  for (const swath of work.assignedSwaths('b')) work.report('b', swath.id, 0, 1e6, (t += 1000));
  const record = (id: string, state: TractorRecord['reportedState']): TractorRecord => ({
    ...newTractorRecord(id, { name: id.toUpperCase(), implementWidthM: 6, workSpeedMps: 2 }, 0),
    reportedState: state,
    position: work.frame.toLonLat([150, 60]),
  });
  const a = record('a', 'working');
  a.currentSectionId = work.sectionIdsOf('a')[0] ?? null;
  const tractors = new Map([
    ['a', a],
    ['b', record('b', 'done')],
  ]);
  const moves: RebalanceMove[] = [];
  const state = { canReplan: true, held: new Set<string>() };
  const live = new LiveRebalance({
    tractors,
    work: () => work,
    canReplan: () => state.canReplan,
    isHeld: (id) => state.held.has(id),
    apply: (move) => {
      moves.push(move);
      work.moveSections(move.sectionIds, move.toId);
    },
  });
  return { work, live, moves, state, a, tractors };
}

describe('LiveRebalance', () => {
  it('moves the tail of the busy machine’s run to the one that is done, and only that', () => {
    const { work, live, a } = fleetWithOneDone();
    const before = work.sectionIdsOf('a');
    const move = live.tick(t0());
    expect(move).not.toBeNull();
    expect(move).toMatchObject({ fromId: 'a', toId: 'b' });
    expect(move?.reason).toMatch(/^rebalanced: \d+ sections from A to B, B idle, A \d+ s behind$/);
    const moved = move?.sectionIds ?? [];
    // The tail of a's run, never the section it works; about half of what it had left.
    expect(moved).toEqual(before.slice(-moved.length));
    expect(moved).not.toContain(a.currentSectionId);
    expect(moved.length).toBeGreaterThan(before.length / 3);
    expect(moved.length).toBeLessThan((2 * before.length) / 3);
    for (const id of moved) expect(work.holder(id)).toBe('b');
    expect(work.sectionIdsOf('a')).toEqual(before.slice(0, before.length - moved.length));
    // Nothing is pinned for later replans.
    expect(work.locks()).toEqual({});
  });

  it('weighs the fleet once a second and waits out the cooldown after a move', () => {
    const { live, moves } = fleetWithOneDone();
    expect(live.tick(t0())).not.toBeNull();
    expect(live.tick(t0() + 500)).toBeNull();
    expect(live.tick(t0() + REBALANCE_EVERY_MS)).toBeNull();
    expect(moves).toHaveLength(1);
  });

  it('never sends moved sections back, even when the giver runs out of work', () => {
    const { work, live, moves, tractors, a } = fleetWithOneDone();
    expect(live.tick(t0())).not.toBeNull();
    // a works all it kept and stands; b has only what it was given left.
    for (const swath of work.assignedSwaths('a')) work.report('a', swath.id, 0, 1e6, t0() + 1);
    const b = tractors.get('b');
    if (!b) throw new Error('b missing');
    a.reportedState = 'done';
    a.currentSectionId = null;
    b.reportedState = 'working';
    expect(live.tick(t0() + 10 * COOLDOWN_MS)).toBeNull();
    expect(moves).toHaveLength(1);
  });

  it('moves nothing while replans are not allowed or to a machine a stop holds', () => {
    const { live, state, moves } = fleetWithOneDone();
    state.canReplan = false;
    expect(live.tick(t0())).toBeNull();
    state.canReplan = true;
    state.held.add('b');
    expect(live.tick(t0() + REBALANCE_EVERY_MS)).toBeNull();
    expect(moves).toHaveLength(0);
  });
});

/** The station clock when the checks run: after b's work (reported at 1 s steps). */
function t0(): number {
  return 100_000;
}
