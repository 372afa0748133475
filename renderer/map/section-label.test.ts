import { describe, expect, it } from 'vitest';
import { shortSectionLabel } from './section-label.js';

describe('short section labels', () => {
  it('drops the swath-section prefix and leading zeros', () => {
    expect(shortSectionLabel('S0012')).toBe('12');
    expect(shortSectionLabel('H0060')).toBe('H60');
    expect(shortSectionLabel('custom-id')).toBe('custom-id');
  });
});
