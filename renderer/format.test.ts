import { describe, expect, it } from 'vitest';
import { formatArea, formatDuration, formatSpeed } from './format.js';

describe('formatting for the operator', () => {
  it('shows areas in hectares or acres', () => {
    expect(formatArea(1, 'metric')).toBe('1.00 ha');
    expect(formatArea(1, 'imperial')).toBe('2.47 ac');
  });

  it('shows speeds in km/h or mph', () => {
    expect(formatSpeed(10, 'metric')).toBe('36.0 km/h');
    expect(formatSpeed(10, 'imperial')).toBe('22.4 mph');
  });

  it('shows durations in minutes, or hours and minutes', () => {
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3 h 05 min');
    expect(formatDuration(null)).toBe('—');
  });
});
