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
});
