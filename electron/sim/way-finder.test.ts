import { describe, expect, it } from 'vitest';
import {
  WayFinder,
  heldAtWork,
  heldBeside,
  type HeldAtWork,
  type HeldBeside,
  type SeenNearby,
} from './way-finder.js';

const STEP_S = 0.1;

/** Seconds until a machine held on its way north turns off it (null: it keeps its aim). */
function sidestepsAfterS(beside: HeldBeside, forS: number): number | null {
  const way = new WayFinder({ id: 'sim-04', fence: null, keepOut: () => [] });
  for (let tS = STEP_S; tS <= forS + 1e-9; tS += STEP_S) {
    const headingDeg = way.held({ x: 0, y: 0, headingDeg: 0 }, { x: 0, y: 100 }, STEP_S, beside);
    if (Math.abs(headingDeg) > 1) return Math.round(tS * 10) / 10;
  }
  return null;
}

describe('way finder, held on its way', () => {
  it('waits for a machine driving past and does not sidestep into its way', () => {
    expect(sidestepsAfterS('passing', 6)).toBeNull();
  });

  it('makes way at once for one it stands face to face with, and the other waits for it', () => {
    expect(sidestepsAfterS('make-way', 6)).toBeCloseTo(1, 0);
    expect(sidestepsAfterS('wait', 6)).toBeNull();
  });

  it('sidesteps anyway when held far longer, and after a few seconds when it sees no one', () => {
    expect(sidestepsAfterS('wait', 12)).not.toBeNull();
    expect(sidestepsAfterS('unseen', 6)).toBeGreaterThanOrEqual(3);
  });
});

/** Seconds until a machine held at work leaves its stretch (null: it keeps it). */
function leavesWorkAfterS(beside: HeldAtWork, forS: number): number | null {
  const way = new WayFinder({ id: 'sim-04', fence: null, keepOut: () => [] });
  for (let tS = STEP_S; tS <= forS + 1e-9; tS += STEP_S)
    if (way.heldWorking(STEP_S, beside)) return Math.round(tS * 10) / 10;
  return null;
}

describe('way finder, held at work', () => {
  it('leaves its stretch soon when it is the one to make way, and waits for the other', () => {
    expect(leavesWorkAfterS('leave', 6)).toBeCloseTo(2, 0);
    expect(leavesWorkAfterS('keep', 6)).toBeNull();
  });

  it('leaves anyway when held far longer, but never for a machine driving past or for nobody', () => {
    expect(leavesWorkAfterS('keep', 12)).not.toBeNull();
    expect(leavesWorkAfterS('wait', 60)).toBeNull();
  });
});

describe('what holds a machine, as it sees it', () => {
  const other = (over: Partial<SeenNearby>): SeenNearby => ({
    id: 'sim-02',
    x: 0,
    y: 15,
    speedMps: 0,
    state: 'turning',
    ...over,
  });
  const self = { id: 'sim-05', x: 0, y: 0 };

  it('is passing when the nearest machine drives', () => {
    expect(heldBeside(self, [other({ speedMps: 4 }), other({ id: 'sim-09', y: 30 })])).toBe(
      'passing',
    );
  });

  it('face to face, the machine on its way makes way for one at work, else the greater id does', () => {
    expect(heldBeside(self, [other({ state: 'working' })])).toBe('make-way');
    expect(heldBeside(self, [other({})])).toBe('make-way');
    expect(heldBeside({ ...self, id: 'sim-01' }, [other({})])).toBe('wait');
  });

  it('at work face to face with another at work, the greater id leaves its stretch', () => {
    expect(heldAtWork(self, [other({ state: 'working' })])).toBe('leave');
    expect(heldAtWork({ ...self, id: 'sim-01' }, [other({ state: 'working' })])).toBe('keep');
    // One on its way makes way for a machine at work, which keeps its line.
    expect(heldAtWork(self, [other({})])).toBe('keep');
    expect(heldAtWork(self, [other({ state: 'working', speedMps: 4 })])).toBe('wait');
    expect(heldAtWork(self, [other({ state: 'done' })])).toBe('wait');
  });

  it('sees no one in parked or finished machines, or beyond its reach', () => {
    expect(heldBeside(self, [other({ state: 'idle' }), other({ state: 'done' })])).toBe('unseen');
    expect(heldBeside(self, [other({ y: 60 })])).toBe('unseen');
  });
});
