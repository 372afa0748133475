import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock } from '../time/index.js';
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

/**
 * A bus with nodes `a` (a sender) and `b` (this process's own, whose handling of each frame takes
 * `handlingMs`) and a node relaying to another process; the end of each turn is run by hand.
 */
async function relayingBus(handlingMs: number) {
  const manual = new ManualClock();
  /** Time this process spent handling frames (on top of the manual clock's). */
  let busyMs = 0;
  const clock: Clock = {
    now: () => manual.now() + busyMs,
    wallNow: () => manual.wallNow() + busyMs,
    setTimer: (delayMs, fn) => manual.setTimer(delayMs, fn),
  };
  const turnEnds: (() => void)[] = [];
  const bus = new VirtualBus({ clock, seed: 7, afterTurn: (fn) => turnEnds.push(fn) });
  /** Each hand-over to the relay: the wall time then and the stamps of the frames it got. */
  const written: { atMs: number; stamps: number[] }[] = [];
  const relay = bus.createNode('socketcand-1', {
    relay: (frames) =>
      written.push({ atMs: clock.wallNow(), stamps: frames.map((f) => f.timestampMs ?? NaN) }),
  });
  const a = bus.createNode('a');
  const b = bus.createNode('b');
  for (const node of [relay, a, b]) await node.open();
  // The slow local handling: time passes, nothing else runs meanwhile.
  b.on('frame', () => (busyMs += handlingMs));
  const handedOver: number[] = [];
  bus.onWire((f) => handedOver.push(f.timestampMs ?? NaN));
  const captured: number[] = [];
  bus.onCapture((f) => captured.push(f.timestampMs ?? NaN));
  const endTurn = (): void => {
    for (const fn of turnEnds.splice(0)) fn();
  };
  return { clock: manual, bus, a, relay, written, handedOver, captured, endTurn };
}

describe('virtual bus relaying to another process', () => {
  it('dates a relayed frame and its capture when it leaves the process, after the local handling that followed its hand-over', async () => {
    const { clock, a, written, handedOver, captured, endTurn } = await relayingBus(8);
    a.send(extFrame(0x18fef100, 1));
    clock.advance(1);
    expect(handedOver).toHaveLength(1);
    expect(written).toEqual([]); // held until the turn ends
    expect(captured).toEqual([]); // the capture waits for the frame to leave
    endTurn();
    expect(written).toHaveLength(1);
    const [write] = written;
    expect(write!.stamps).toEqual([write!.atMs]);
    expect(captured).toEqual(write!.stamps);
    // The hand-over's stamp is the 8 ms of local handling (and the rest of the turn) earlier.
    expect(captured[0]! - handedOver[0]!).toBeGreaterThanOrEqual(8);
  });

  it('hands a turn’s frames over in one batch with one stamp, in bus order', async () => {
    const { clock, a, written, captured, endTurn } = await relayingBus(0);
    for (let i = 0; i < 3; i++) a.send(extFrame(0x18fef100, i));
    clock.stall(5); // the bus catches up with all three frames in one turn
    clock.advance(0);
    endTurn();
    expect(written).toHaveLength(1);
    expect(written[0]!.stamps).toHaveLength(3);
    expect(new Set(written[0]!.stamps).size).toBe(1);
    expect(captured).toEqual(written[0]!.stamps);
  });

  it('does not hold a frame behind a long turn: a frame handed over later hands the held ones over first', async () => {
    const { clock, a, written, captured, endTurn } = await relayingBus(3);
    for (let i = 0; i < 3; i++) a.send(extFrame(0x18fef100, i));
    clock.stall(5);
    clock.advance(0);
    // The first frame's local handling took 3 ms: it left with the second, before the second's
    // handling; the third waits for the end of the turn.
    expect(written.map((w) => w.stamps.length)).toEqual([2]);
    endTurn();
    expect(written.map((w) => w.stamps.length)).toEqual([2, 1]);
    for (const w of written) expect(new Set([w.atMs, ...w.stamps]).size).toBe(1);
    expect(captured).toEqual(written.flatMap((w) => w.stamps));
    expect(captured[2]! - captured[0]!).toBeCloseTo(6, 9);
  });

  it('captures in bus order when the last relaying node leaves with frames still held', async () => {
    const { clock, bus, a, relay, captured, handedOver, endTurn } = await relayingBus(0);
    a.send(extFrame(0x18fef100, 1));
    clock.advance(1);
    bus.removeNode(relay);
    a.send(extFrame(0x18fef100, 2));
    clock.advance(1);
    endTurn();
    expect(captured).toHaveLength(2);
    expect(captured[1]!).toBeGreaterThanOrEqual(captured[0]!);
    a.send(extFrame(0x18fef100, 3));
    clock.advance(1);
    // No node relays any more: the capture takes the frame as it is handed over.
    expect(captured[2]).toBe(handedOver[2]);
  });
});
