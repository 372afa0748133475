import { describe, expect, it } from 'vitest';
import { EstopRetry, DEFAULT_ESTOP_RETRY } from './estop-retry.js';
import { fleetHarness } from './test-helpers/fleet-harness.js';

describe('e-stop fast retry (engine)', () => {
  it('waits one e-stop and one confirm per tractor, then targets only the silent ones', () => {
    const retry = new EstopRetry();
    retry.sent(7, ['a', 'b', 'c'], 0);
    const first = retry.nextDeadlineMs() ?? Infinity;
    expect(first).toBeCloseTo(4 * DEFAULT_ESTOP_RETRY.frameMs + DEFAULT_ESTOP_RETRY.marginMs, 6);
    expect(retry.due(first - 0.1)).toEqual([]);
    retry.confirmed(7, 'a');
    retry.confirmed(7, 'c');
    expect(retry.due(first)).toEqual([{ peer: 'b', ref: 7 }]);
    retry.confirmed(7, 'b');
    expect(retry.open()).toBe(0);
    expect(retry.nextDeadlineMs()).toBeUndefined();
  });

  it('gives up after its rounds, and a repeat inside the window does not restart it', () => {
    const retry = new EstopRetry({ ...DEFAULT_ESTOP_RETRY, maxRounds: 3 });
    retry.sent(9, ['x'], 0);
    let copies = 0;
    for (let t = 0; t < 100; t += 0.5) {
      if (t === 20) retry.sent(9, ['x'], t); // the safety layer's own repeat
      copies += retry.due(t).length;
    }
    expect(copies).toBe(3);
    expect(retry.due(DEFAULT_ESTOP_RETRY.windowMs)).toEqual([]);
    expect(retry.open()).toBe(0);
    retry.sent(9, ['x'], 200); // a repeat after the window chases again
    expect(retry.open()).toBe(1);
  });
});

describe('e-stop fast retry with stops at once', () => {
  it("waits for every stop's confirms: one stop's round also waits for the next stop's frames", () => {
    const { frameMs, marginMs } = DEFAULT_ESTOP_RETRY;
    const retry = new EstopRetry();
    retry.sent(1, ['a', 'b', 'c'], 0);
    retry.sent(2, ['a', 'b', 'c'], 0);
    // The second stop's round: the three confirms still expected for the first, then its own
    // e-stop and three confirms; the first's round is pushed back to the same moment.
    const due = retry.nextDeadlineMs() ?? Infinity;
    expect(due).toBeCloseTo(3 * frameMs + 3 * frameMs + 1 * frameMs + marginMs, 6);
    // Stop 1's confirms came; stop 2's are still queued behind them: nobody is chased early.
    for (const peer of ['a', 'b', 'c']) retry.confirmed(1, peer);
    expect(retry.due(due - 0.1)).toEqual([]);
    retry.confirmed(2, 'a');
    retry.confirmed(2, 'b');
    expect(retry.due(due)).toEqual([{ peer: 'c', ref: 2 }]);
    // The targeted round: its e-stop and every confirm still expected.
    expect(retry.nextDeadlineMs()).toBeCloseTo(due + 2 * frameMs + marginMs, 6);
  });
});

describe('e-stop fast retry on the link', () => {
  it('gets every confirm of 20 tractors within 50 ms at 10% frame loss', async () => {
    const h = await fleetHarness({ tractors: 20, seed: 11 });
    for (const [id, t] of h.fleet.tractors) {
      t.port.onMessage((m) => {
        if (m.kind === 'estop') t.port.send({ kind: 'stop-confirm', stopId: m.stopId });
      });
      expect(id).toMatch(/^sim-/);
    }
    h.bus.configureFaults({ lossProbability: 0.1 });
    const worst: number[] = [];
    for (let trial = 0; trial < 20; trial++) {
      const confirmed = new Set<string>();
      const stopId = `stop-t-${trial + 1}`;
      const off = h.fleet.stationPort().onMessage((from, m) => {
        if (m.kind === 'stop-confirm' && m.stopId === stopId) confirmed.add(from);
      });
      const start = h.clock.now();
      h.fleet.stationPort().broadcast({ kind: 'estop', stopId });
      let elapsed = 0;
      while (confirmed.size < 20 && elapsed < 200) {
        await h.run(1);
        elapsed = h.clock.now() - start;
      }
      off();
      worst.push(elapsed);
      await h.run(60);
    }
    expect(Math.max(...worst)).toBeLessThanOrEqual(50);
    h.fleet.close();
  });
});
