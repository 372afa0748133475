import { describe, expect, it } from 'vitest';
import { startPhase } from './harness.js';

describe('startPhase', () => {
  it('returns the seconds from its start to its end and prints them with the suite and phase', () => {
    let now = 1_000;
    const lines: string[] = [];
    const end = startPhase('safety', 'radio cuts', { nowMs: () => now, log: (l) => lines.push(l) });
    now += 7_460;
    expect(end()).toBe(7.5);
    expect(lines).toEqual(['bench safety: radio cuts 7.5 s']);
  });
});
