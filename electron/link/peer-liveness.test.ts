import { describe, expect, it } from 'vitest';
import { PeerLiveness } from './peer-liveness.js';

describe('PeerLiveness', () => {
  it('goes online when heard, degraded after 300 ms of silence and lost after 1 s', () => {
    let now = 0;
    const changes: string[] = [];
    const l = new PeerLiveness(
      () => now,
      {},
      (id, s) => changes.push(`${now}:${id}:${s}`),
    );
    l.expect('t');
    expect(l.state('t')).toBe('lost');
    l.heard('t');
    now = 301;
    l.tick();
    now = 1001;
    l.tick();
    now = 1100;
    l.heard('t');
    expect(changes).toEqual(['0:t:online', '301:t:degraded', '1001:t:lost', '1100:t:online']);
    expect(l.status('t').lastHeardAgoMs).toBe(0);
  });

  it('counts loss from sequence gaps and shows a lossy peer as degraded', () => {
    let now = 0;
    const l = new PeerLiveness(() => now);
    for (let i = 0; i < 100; i++) {
      now += 10;
      if (i % 4 === 3) continue; // every fourth frame lost
      l.heard('t');
      l.sequenced('t', 0xff41, i % 32);
    }
    expect(l.status('t').lossPct).toBeGreaterThan(20);
    expect(l.status('t').lossPct).toBeLessThan(30);
    expect(l.state('t')).toBe('degraded');
  });

  it('does not count an outage as loss once the peer is heard again', () => {
    let now = 0;
    const l = new PeerLiveness(() => now);
    l.heard('t');
    l.sequenced('t', 1, 0);
    now = 5000;
    l.heard('t');
    l.sequenced('t', 1, 17);
    expect(l.status('t').lossPct).toBe(0);
  });

  it('smooths round-trip samples', () => {
    const l = new PeerLiveness(() => 0);
    l.rttSample('t', 8);
    l.rttSample('t', 16);
    expect(l.status('t').rttMs).toBe(9);
  });
});
