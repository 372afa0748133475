import { describe, expect, it } from 'vitest';
import { SwathPasses } from './swath-passes.js';

describe('SwathPasses', () => {
  it('turns a growing leg interval into increments', () => {
    const passes = new SwathPasses();
    expect(passes.report('t1', 'a', 0, 10)).toEqual([[0, 10]]);
    expect(passes.report('t1', 'a', 0, 25)).toEqual([[10, 25]]);
    expect(passes.report('t1', 'a', 0, 25)).toEqual([]);
    expect(passes.passesOf('a')).toEqual([{ tractorId: 't1', fromM: 0, toM: 25 }]);
  });

  it('handles legs driven from the end backwards', () => {
    const passes = new SwathPasses();
    passes.report('t1', 'a', 90, 100);
    expect(passes.report('t1', 'a', 70, 100)).toEqual([[70, 90]]);
  });

  it('keeps a second pass over the same ground as its own pass, and the union once', () => {
    const passes = new SwathPasses();
    passes.report('t1', 'a', 0, 50);
    passes.report('t2', 'a', 40, 60);
    expect(passes.passesOf('a')).toHaveLength(2);
    expect(passes.doneIntervals('a')).toEqual([[0, 60]]);
  });

  it('starts a new pass when a tractor moves to another swath', () => {
    const passes = new SwathPasses();
    passes.report('t1', 'a', 0, 50);
    expect(passes.report('t1', 'b', 0, 5)).toEqual([[0, 5]]);
    expect(passes.report('t1', 'a', 0, 20)).toEqual([[0, 20]]);
    expect(passes.passesOf('a')).toHaveLength(2);
  });
});
