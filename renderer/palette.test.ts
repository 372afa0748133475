import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast.js';
import { NAME_GROUNDS, colourSlot, tractorColour, tractorTextColour } from './palette.js';

describe('tractor colours', () => {
  it('follow the id, not the place in a list', () => {
    expect(tractorColour('sim-02')).toBe(tractorColour('sim-02'));
    expect(colourSlot('sim-01')).toBe(0);
    expect(colourSlot('sim-02')).toBe(1);
    expect(colourSlot('sim-07')).toBe(0);
    // The order machines are listed in changes nothing.
    const live = ['sim-01', 'sim-02', 'sim-03'].map(tractorColour);
    const replay = ['sim-03', 'sim-01', 'sim-02'].map(tractorColour);
    expect(replay).toEqual([live[2], live[0], live[1]]);
  });

  it('give an id without a number a stable colour too', () => {
    expect(tractorColour('a00b1c2dffee')).toBe(tractorColour('a00b1c2dffee'));
    expect(colourSlot('north-field-tractor')).toBeGreaterThanOrEqual(0);
  });

  it('write every name at 4.5:1 or more on its rows in both themes', () => {
    for (let i = 1; i <= 12; i++) {
      const id = `sim-${String(i).padStart(2, '0')}`;
      for (const theme of ['daylight', 'dark'] as const)
        for (const ground of NAME_GROUNDS[theme])
          expect(contrastRatio(tractorTextColour(id, theme), ground)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
