import { describe, expect, it } from 'vitest';
import { contrastRatio, luminance, readableOn } from './contrast.js';

describe('WCAG contrast', () => {
  it('computes the reference ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 on white is the well-known lightest grey that passes AA.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(luminance('#ffffff')).toBeCloseTo(1, 5);
  });

  it('keeps a colour that already reads and darkens one that does not', () => {
    expect(readableOn('#111111', ['#ffffff'])).toBe('#111111');
    const orange = readableOn('#E69F00', ['#ffffff', '#ffe1e1']);
    expect(orange).not.toBe('#e69f00');
    expect(contrastRatio(orange, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(orange, '#ffe1e1')).toBeGreaterThanOrEqual(4.5);
    expect(luminance(orange)).toBeLessThan(luminance('#E69F00'));
  });

  it('lightens a colour for a dark ground', () => {
    const blue = readableOn('#0072B2', ['#23272c', '#4a1218']);
    expect(contrastRatio(blue, '#23272c')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(blue, '#4a1218')).toBeGreaterThanOrEqual(4.5);
    expect(luminance(blue)).toBeGreaterThan(luminance('#0072B2'));
  });
});
