import { describe, expect, it } from 'vitest';
import { FillLevels } from './fill-levels.js';

const POINT: [number, number] = [0, 0];

describe('a machine’s fill as the station estimates it', () => {
  it('is full again after the machine stood at the point with its work off', () => {
    const fills = new FillLevels(POINT);
    expect(fills.usedM2('a', 3000)).toBe(3000);
    fills.observe('a', { position: [4, 3], working: false, speedMps: 0 }, 3000);
    expect(fills.usedM2('a', 3000)).toBe(0);
    expect(fills.usedM2('a', 3500)).toBe(500);
  });

  it('is not refilled by a drive past the point with the implement up', () => {
    // On the headland from one section to the next, the way leads within a few metres of the
    // point: the machine turns there at turn speed and fills nothing.
    const fills = new FillLevels(POINT);
    fills.observe('a', { position: [3, 0], working: false, speedMps: 2.5 }, 300);
    expect(fills.usedM2('a', 300)).toBe(300);
    expect(fills.usedM2('a', 1300)).toBe(1300);
  });

  it('is not refilled by working past the point, nor by standing away from it', () => {
    const fills = new FillLevels(POINT);
    fills.observe('a', { position: [1, 0], working: true, speedMps: 0 }, 300);
    fills.observe('a', { position: [40, 0], working: false, speedMps: 0 }, 300);
    expect(fills.usedM2('a', 300)).toBe(300);
  });

  it('says when a machine is back at work after a fill (once), not after a stand at the start', () => {
    const fills = new FillLevels(POINT);
    const at = { position: [2, 0] as [number, number], working: false, speedMps: 0 };
    // Parked at the point before it has spread anything: no fill.
    expect(fills.observe('a', at, 0)).toBe(false);
    expect(fills.observe('a', { position: [30, 0], working: true, speedMps: 3 }, 0)).toBe(false);
    // Filled after spreading, driven back with its work off, then at work again.
    expect(fills.observe('a', at, 3000)).toBe(false);
    expect(fills.observe('a', { position: [40, 0], working: false, speedMps: 4 }, 3000)).toBe(
      false,
    );
    expect(fills.observe('a', { position: [90, 0], working: true, speedMps: 4 }, 3010)).toBe(true);
    expect(fills.observe('a', { position: [95, 0], working: true, speedMps: 4 }, 3060)).toBe(false);
  });

  it('tells a machine filling at the point from one on its way back from it', () => {
    const fills = new FillLevels(POINT);
    fills.observe('a', { position: [2, 0], working: false, speedMps: 0 }, 3000);
    expect(fills.isAtPoint('a')).toBe(true);
    fills.observe('a', { position: [30, 0], working: false, speedMps: 5 }, 3000);
    expect(fills.isFilling('a')).toBe(true);
    expect(fills.isAtPoint('a')).toBe(false);
    // Parked there before it has spread anything, a machine is not filling.
    fills.observe('b', { position: [2, 0], working: false, speedMps: 0 }, 0);
    expect(fills.isAtPoint('b')).toBe(false);
  });
});
