import { describe, expect, it } from 'vitest';
import { RefillDock } from './refill-dock.js';

describe('the refill point shared by the simulated fleet', () => {
  it('is taken for the others while one machine fills, and free again when it is done', () => {
    const dock = new RefillDock();
    expect(dock.request('a', 0.1)).toBe(true);
    expect(dock.takenFor('a')).toBe(false);
    expect(dock.takenFor('b')).toBe(true);
    dock.release('a');
    expect(dock.takenFor('b')).toBe(false);
    expect(dock.longestWaitS).toBe(0);
  });

  it('counts the time a machine stands at the waiting place while the point is taken', () => {
    const dock = new RefillDock();
    dock.request('a', 0.1);
    for (let i = 0; i < 25; i++) expect(dock.waitBeside('b', 0.1)).toBe(false);
    dock.release('a');
    expect(dock.waitBeside('b', 0.1)).toBe(true);
    expect(dock.longestWaitS).toBeCloseTo(2.5, 6);
  });

  it('lets the machines at the waiting place in in the order they came, none jumping the line', () => {
    const dock = new RefillDock();
    dock.request('a', 0.1);
    dock.waitBeside('b', 0.1);
    dock.waitBeside('c', 0.1);
    dock.release('a');
    // b drives in from the waiting place: the point stays taken for c and for a newcomer.
    expect(dock.waitBeside('b', 0.1)).toBe(true);
    expect(dock.waitBeside('c', 0.1)).toBe(false);
    expect(dock.takenFor('d')).toBe(true);
    expect(dock.request('b', 0.1)).toBe(true);
    dock.release('b');
    expect(dock.waitBeside('c', 0.1)).toBe(true);
    expect(dock.request('c', 0.1)).toBe(true);
  });
});

describe('the waiting places beside the refill point', () => {
  it('gives each machine its own, the nearest free first, kept until it drives in', () => {
    const dock = new RefillDock();
    expect(dock.placeFor('b')).toBe(0);
    expect(dock.placeFor('c')).toBe(1);
    expect(dock.placeFor('b')).toBe(0);
    expect(dock.hasPlace('b')).toBe(true);
    dock.leavePlace('b');
    expect(dock.hasPlace('b')).toBe(false);
    expect(dock.placeFor('d')).toBe(0);
    expect(dock.placeFor('c')).toBe(1);
  });
});
