/**
 * The receiving half of the reliable channel when a sender restarts: a new epoch starts its
 * numbering over by itself; a sender that restarted under an epoch it used before is known by its
 * new instance, and once told, the receiver takes its fresh numbering instead of dropping it.
 */
import { describe, expect, it } from 'vitest';
import type { ReliableData } from './link-frames.js';
import { ReliableReceiver, type ReceiverCounters } from './reliable-receiver.js';
import { MSG } from './wire-format.js';

const counters = (): ReceiverCounters => ({
  received: 0,
  duplicates: 0,
  reordered: 0,
  reorderOverflow: 0,
  skipped: 0,
  epochResets: 0,
  acksSent: 0,
});

const data = (epoch: number, seq: number, base = seq): ReliableData => ({
  kind: 'data',
  type: MSG.START,
  epoch,
  seq,
  base,
  body: new Uint8Array([seq]),
});

describe('reliable receiver across a sender restart', () => {
  it("drops a restarted sender's fresh numbering under an old epoch until told of the restart", () => {
    const delivered: number[] = [];
    const receiver = new ReliableReceiver(16, (_p, _l, d) => delivered.push(d.seq), counters());
    for (let seq = 0; seq < 5; seq++) receiver.onData('station', data(7, seq));
    expect(delivered).toEqual([0, 1, 2, 3, 4]);

    // The station comes back without its outbox and happens to draw epoch 7 again.
    receiver.onData('station', data(7, 0));
    expect(delivered).toHaveLength(5); // taken for a duplicate

    receiver.forget('station');
    receiver.onData('station', data(7, 0));
    receiver.onData('station', data(7, 1));
    expect(delivered).toEqual([0, 1, 2, 3, 4, 0, 1]);
  });

  it('forgets only the restarted sender', () => {
    const delivered: string[] = [];
    const receiver = new ReliableReceiver(
      16,
      (p, _l, d) => delivered.push(`${p}:${d.seq}`),
      counters(),
    );
    receiver.onData('station', data(7, 0));
    receiver.onData('sim-02', data(7, 0));
    receiver.forget('station');
    receiver.onData('sim-02', data(7, 0));
    expect(delivered).toEqual(['station:0', 'sim-02:0']);
  });
});
