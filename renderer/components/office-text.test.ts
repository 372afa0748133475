import { describe, expect, it } from 'vitest';
import { isQuiet, machinesText, percentText, updateAgeText } from './office-text.js';

const NOW = 1_800_000_000_000;

describe("the office page's words", () => {
  it('says a station is live while it was heard within a minute', () => {
    expect(updateAgeText(NOW - 5_000, NOW)).toBe('live');
    expect(isQuiet(NOW - 59_999, NOW)).toBe(false);
  });

  it('says how old the last update of a station that went quiet is', () => {
    expect(updateAgeText(NOW - 3 * 60_000 - 10_000, NOW)).toBe('last update 3 min ago');
    expect(updateAgeText(NOW - 5 * 3_600_000, NOW)).toBe('last update 5 h ago');
    expect(updateAgeText(NOW - 3 * 86_400_000, NOW)).toBe('last update 3 days ago');
    expect(updateAgeText(null, NOW)).toBe('no update yet');
    expect(isQuiet(NOW - 60_000, NOW)).toBe(true);
  });

  it('counts the machines and names their states, most common first', () => {
    expect(
      machinesText([
        { id: 'a', activity: 'offline' },
        { id: 'b', activity: 'working' },
        { id: 'c', activity: 'working' },
      ]),
    ).toBe('3 machines: 2 working, 1 offline');
    expect(machinesText([{ id: 'a', activity: null }])).toBe('1 machine: 1 not reported');
    expect(machinesText([])).toBe('0 machines');
  });

  it('never shows 100% before the work is all done', () => {
    expect(percentText(0.999)).toBe('99%');
    expect(percentText(1)).toBe('100%');
    expect(percentText(0.426)).toBe('42%');
  });
});
