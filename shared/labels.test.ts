import { describe, expect, it } from 'vitest';
import { machineLabel, sectionLabel, sectionLabels } from './labels.js';

describe('labels people read', () => {
  it('shorten section ids to their kind and number', () => {
    expect(sectionLabel('S0012')).toBe('S12');
    expect(sectionLabel('H0060')).toBe('H60');
    expect(sectionLabel('S0100')).toBe('S100');
    expect(sectionLabel('custom-id')).toBe('custom-id');
    expect(sectionLabels(['S0001', 'H0002'])).toBe('S1, H2');
  });

  it('give a machine its name, with the id where there is room', () => {
    expect(machineLabel('Tractor 1', 'sim-01')).toBe('Tractor 1 (sim-01)');
    expect(machineLabel('sim-01', 'sim-01')).toBe('sim-01');
  });
});
