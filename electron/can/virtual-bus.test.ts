import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import { frameTimeMs } from './frame-timing.js';
import { VirtualBus } from './virtual-bus.js';
import { extFrame } from './test-helpers/frames.js';

async function busWith(names: string[], seed = 7) {
  const clock = new ManualClock();
  const bus = new VirtualBus({ clock, seed });
  const nodes = names.map((n) => bus.createNode(n));
  const inbox = new Map<string, CanFrame[]>();
  for (const node of nodes) {
    await node.open();
    const list: CanFrame[] = [];
    inbox.set(node.name, list);
    node.on('frame', (f) => list.push(f));
  }
  return { clock, bus, nodes, inbox: (n: string) => inbox.get(n)! };
}

describe('virtual bus', () => {
  it('delivers a frame to every other node, not to the sender, after its wire time', async () => {
    const { clock, nodes, inbox } = await busWith(['a', 'b', 'c']);
    const frame = extFrame(0x18fef100, 1, 2, 3);
    nodes[0]!.send(frame);
    clock.advance(frameTimeMs(frame) * 0.9);
    expect(inbox('b')).toHaveLength(0);
    clock.advance(frameTimeMs(frame));
    expect(inbox('b')).toHaveLength(1);
    expect(inbox('c')).toHaveLength(1);
    expect(inbox('a')).toHaveLength(0);
    expect(inbox('b')[0]!.timestampMs).toBeCloseTo(
      clock.wallNow() - clock.now() + frameTimeMs(frame),
      6,
    );
  });

  it('dates a frame when it is handed over, so a capture shows a stalled process as a late burst', async () => {
    const { clock, bus, nodes, inbox } = await busWith(['a', 'b']);
    const captured: number[] = [];
    bus.onWire((frame) => captured.push(frame.timestampMs ?? Number.NaN));
    const queuedAtWallMs = clock.wallNow();
    nodes[0]!.send(extFrame(0x18fef100, 1));
    nodes[0]!.send(extFrame(0x18fef100, 2));
    // The process stalls for 500 ms before the bus gets to run.
    clock.stall(500);
    clock.advance(5);
    expect(inbox('b')).toHaveLength(2);
    expect(captured).toHaveLength(2);
    for (const stamp of captured) expect(stamp).toBeGreaterThanOrEqual(queuedAtWallMs + 500);
    expect(inbox('b').map((f) => f.timestampMs)).toEqual(captured);
  });

  it('hands a frame to a node relaying to another process before the nodes of this one', async () => {
    const { clock, bus, nodes } = await busWith(['a', 'b', 'c']);
    const relay = bus.createNode('socketcand-0', { relaysToAnotherProcess: true });
    await relay.open();
    const order: string[] = [];
    for (const node of [...nodes, relay]) node.on('frame', () => order.push(node.name));
    nodes[0]!.send(extFrame(0x18fef100, 1));
    clock.advance(5);
    expect(order).toEqual(['socketcand-0', 'b', 'c']);
  });

  it('lets the lowest identifier win when nodes contend', async () => {
    const { clock, nodes, inbox } = await busWith(['a', 'b', 'c', 'mon']);
    nodes[0]!.send(extFrame(0x18ff0000, 1));
    nodes[1]!.send(extFrame(0x0cff0000, 2));
    nodes[2]!.send(extFrame(0x14ff0000, 3));
    clock.advance(10);
    expect(inbox('mon').map((f) => f.data[0])).toEqual([2, 3, 1]);
  });

  it('withdraws the queued frames a node no longer may send, keeping the rest in order', async () => {
    const { clock, nodes, inbox } = await busWith(['a', 'b']);
    for (let i = 0; i < 6; i++) nodes[0]!.send(extFrame(i % 2 ? 0x1cebff20 : 0x1cebff84, i));
    nodes[0]!.send(extFrame(0x18eeff20, 9));
    expect(nodes[0]!.discardQueued((f) => (f.id & 0xff) === 0x20)).toBe(4);
    expect(nodes[0]!.pendingTx()).toBe(3);
    clock.advance(10);
    expect(inbox('b').map((f) => f.data[0])).toEqual([0, 2, 4]);
  });

  it('keeps one node’s frames in the order it sent them', async () => {
    const { clock, nodes, inbox } = await busWith(['a', 'b']);
    nodes[0]!.send(extFrame(0x1cecff80, 1));
    nodes[0]!.send(extFrame(0x1cebff80, 2));
    clock.advance(10);
    expect(inbox('b').map((f) => f.data[0])).toEqual([1, 2]);
  });

  it('sends a higher-priority frame before the node’s queued lower-priority ones', async () => {
    const { clock, nodes, inbox } = await busWith(['a', 'b']);
    for (let i = 0; i < 50; i++) nodes[0]!.send(extFrame(0x1cebff80, i)); // priority 7 bulk
    nodes[0]!.send(extFrame(0x00ffff80, 0xee)); // priority 0 stop
    clock.advance(10);
    expect(inbox('b')[0]!.data[0]).toBe(0xee);
    const bulk = inbox('b')
      .slice(1)
      .map((f) => f.data[0]);
    expect(bulk).toEqual(bulk.map((_, i) => i)); // the bulk frames still in their order
  });

  it('serialises frames so a burst takes the sum of their wire times', async () => {
    const { clock, bus, nodes, inbox } = await busWith(['a', 'b']);
    const frame = extFrame(0x18fef100, 1, 2, 3, 4, 5, 6, 7, 8);
    for (let i = 0; i < 100; i++) nodes[0]!.send(frame);
    clock.advance(100 * frameTimeMs(frame) - 0.01);
    expect(inbox('b')).toHaveLength(99);
    clock.advance(0.02);
    expect(inbox('b')).toHaveLength(100);
    expect(bus.busLoad(100 * frameTimeMs(frame))).toBeGreaterThan(0.99);
    clock.advance(1000);
    expect(bus.busLoad(1000)).toBeLessThan(0.01);
  });

  it('loses frames the same way for the same seed', async () => {
    const run = async (seed: number) => {
      const { clock, bus, nodes, inbox } = await busWith(['a', 'b'], seed);
      bus.configureFaults({ lossProbability: 0.3 });
      for (let i = 0; i < 200; i++) nodes[0]!.send(extFrame(0x18ff0000, i & 0xff));
      clock.advance(1000);
      return inbox('b').map((f) => f.data[0]);
    };
    const first = await run(3);
    expect(first.length).toBeGreaterThan(100);
    expect(first.length).toBeLessThan(180);
    expect(await run(3)).toEqual(first);
    expect(await run(4)).not.toEqual(first);
  });

  it('loses runs of frames in a burst', async () => {
    const { clock, bus, nodes, inbox } = await busWith(['a', 'b']);
    bus.configureFaults({ burstEnterProbability: 0.05, burstExitProbability: 0.2 });
    for (let i = 0; i < 255; i++) nodes[0]!.send(extFrame(0x18ff0000, i));
    clock.advance(1000);
    const got = inbox('b').map((f) => f.data[0]!);
    let longestGap = 0;
    for (let i = 1; i < got.length; i++)
      longestGap = Math.max(longestGap, got[i]! - got[i - 1]! - 1);
    expect(got.length).toBeLessThan(255);
    expect(longestGap).toBeGreaterThan(1);
  });

  it('adds latency to deliveries', async () => {
    const { clock, bus, nodes, inbox } = await busWith(['a', 'b']);
    bus.configureFaults({ latencyMs: 20 });
    nodes[0]!.send(extFrame(0x18ff0000, 1));
    clock.advance(19);
    expect(inbox('b')).toHaveLength(0);
    clock.advance(2);
    expect(inbox('b')).toHaveLength(1);
  });

  it('cuts partitioned nodes off and heals', async () => {
    const { clock, bus, nodes, inbox } = await busWith(['a', 'b', 'c']);
    bus.partition(['c']);
    nodes[0]!.send(extFrame(0x18ff0000, 1));
    nodes[2]!.send(extFrame(0x18ff0001, 2));
    clock.advance(5);
    expect(inbox('b').map((f) => f.data[0])).toEqual([1]);
    expect(inbox('c')).toHaveLength(0);
    expect(inbox('a')).toHaveLength(0);
    bus.heal();
    nodes[0]!.send(extFrame(0x18ff0000, 3));
    clock.advance(5);
    expect(inbox('c').map((f) => f.data[0])).toEqual([3]);
  });

  it('takes a bus-off node off the bus until it recovers', async () => {
    const clock = new ManualClock();
    const bus = new VirtualBus({ clock, busOffRecoveryMs: 50 });
    const a = bus.createNode('a');
    const b = bus.createNode('b');
    await a.open();
    await b.open();
    const errors: string[] = [];
    const got: CanFrame[] = [];
    a.on('error', (e) => errors.push(e.message));
    b.on('frame', (f) => got.push(f));
    bus.busOff('a');
    expect(a.state).toBe('bus-off');
    a.send(extFrame(0x18ff0000, 1));
    clock.advance(10);
    expect(got).toHaveLength(0);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    clock.advance(50);
    expect(a.state).toBe('open');
    a.send(extFrame(0x18ff0000, 2));
    clock.advance(5);
    expect(got).toHaveLength(1);
  });

  it('reports the frames a node put on the wire and refuses sends when closed', async () => {
    const { clock, nodes } = await busWith(['a', 'b']);
    const sent: CanFrame[] = [];
    nodes[0]!.on('sent', (f) => sent.push(f));
    nodes[0]!.send(extFrame(0x18ff0000, 9));
    clock.advance(5);
    expect(sent).toHaveLength(1);
    await nodes[0]!.close();
    expect(() => nodes[0]!.send(extFrame(0x18ff0000, 9))).toThrow(/closed/);
  });

  it('streams received frames as an async iterable that ends on close', async () => {
    const { clock, nodes } = await busWith(['a', 'b']);
    const collected: number[] = [];
    const done = (async () => {
      for await (const f of nodes[1]!.frames()) collected.push(f.data[0]!);
    })();
    nodes[0]!.send(extFrame(0x18ff0000, 1));
    nodes[0]!.send(extFrame(0x18ff0000, 2));
    clock.advance(5);
    await Promise.resolve();
    await nodes[1]!.close();
    await done;
    expect(collected).toEqual([1, 2]);
  });
});
