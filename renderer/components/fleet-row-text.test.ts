import { describe, expect, it } from 'vitest';
import { heardAgo, linkBars, stopLatencyText, stopText, tankText } from './fleet-row-text.js';

describe('fleet row texts', () => {
  it('say how long ago a machine was heard without flickering', () => {
    expect(heardAgo(80)).toBe('<1 s');
    expect(heardAgo(999)).toBe('<1 s');
    expect(heardAgo(2_400)).toBe('2 s');
    expect(heardAgo(125_000)).toBe('2 min');
    expect(heardAgo(null)).toBe('never');
  });

  it('grade the link in bars', () => {
    const link = { state: 'online' as const, rttMs: 40, lossPct: 0, lastHeardAgoMs: 100 };
    expect(linkBars(link)).toBe(3);
    expect(linkBars({ ...link, lossPct: 12 })).toBe(2);
    expect(linkBars({ ...link, state: 'degraded' })).toBe(1);
    expect(linkBars({ ...link, state: 'lost' })).toBe(0);
  });

  it('put the stop and its confirmation time in place of the state', () => {
    expect(stopText('confirmed')).toBe('STOPPED');
    expect(stopLatencyText({ status: 'confirmed', latencyMs: 71.6 })).toBe('72 ms');
    expect(stopText('sent')).toBe('STOP SENT…');
    expect(stopLatencyText({ status: 'sent', latencyMs: null })).toBeNull();
    expect(stopText('lost')).toBe('NO REPLY');
  });
});

describe('a machine’s tank in its row', () => {
  it('says the share left in 5% steps and when the next refill is due', () => {
    expect(tankText({ kind: 'hopper', level: 0.639, nextRefillS: 725 })).toEqual({
      short: '60%',
      title: 'Hopper 60% full; next refill in about 12 min of work',
    });
    expect(tankText({ kind: 'tank', level: 0.01, nextRefillS: 20 })).toEqual({
      short: '0%',
      title: 'Tank 0% full; refill due now',
    });
  });

  it('says nothing for a machine with nothing to refill', () => {
    expect(tankText(null)).toBeNull();
    expect(tankText(undefined)).toBeNull();
  });
});
