import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import { CanLinkUnavailableError } from './can-link.js';
import { SocketCanLink, type RawChannel, type SocketcanModule } from './socketcan-link.js';
import { extFrame } from './test-helpers/frames.js';

/** A stand-in for the native module: a kernel queue with room for `room` frames at a time. */
function fakeKernel(room: number) {
  const wire: number[] = [];
  let free = room;
  const listeners = new Map<string, CallableFunction>();
  const channel: RawChannel = {
    addListener: (event, cb) => void listeners.set(event, cb),
    start: () => undefined,
    stop: () => undefined,
    send: (m) => {
      if (free === 0) return -1;
      free--;
      wire.push(m.data[0] ?? -1);
      return 16;
    },
  };
  const mod: SocketcanModule = { createRawChannelWithOptions: () => channel };
  return {
    mod,
    wire,
    drainKernel: () => (free = room),
    deliver: (m: { id: number; ext: boolean; data: Buffer }): void => {
      listeners.get('onMessage')?.({ ...m, rtr: false });
    },
  };
}

describe('SocketCAN link', () => {
  it('keeps frames in order in a backlog while the kernel queue is full', async () => {
    const clock = new ManualClock();
    const kernel = fakeKernel(10);
    const link = new SocketCanLink('can0', clock, () => Promise.resolve(kernel.mod));
    await link.open();
    for (let i = 0; i < 25; i++) link.send(extFrame(0x1ceb2010, i));
    expect(kernel.wire).toHaveLength(10);
    expect(link.pendingTx()).toBe(15);
    kernel.drainKernel();
    clock.advance(1);
    kernel.drainKernel();
    clock.advance(1);
    expect(kernel.wire).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(link.pendingTx()).toBe(0);
  });

  it('reports received frames and skips error and remote frames', async () => {
    const kernel = fakeKernel(10);
    const link = new SocketCanLink('can0', new ManualClock(), () => Promise.resolve(kernel.mod));
    await link.open();
    const got: CanFrame[] = [];
    link.on('frame', (f) => got.push(f));
    kernel.deliver({ id: 0x18eeff26, ext: true, data: Buffer.from([1, 2]) });
    expect(got).toMatchObject([{ id: 0x18eeff26, extended: true }]);
  });

  it('fails to open with a clear message when the module or interface is missing', async () => {
    const link = new SocketCanLink('can0', new ManualClock(), () =>
      Promise.reject(new Error('no binary')),
    );
    await expect(link.open()).rejects.toBeInstanceOf(CanLinkUnavailableError);
    const noIface = new SocketCanLink('can9', new ManualClock(), () =>
      Promise.resolve({
        createRawChannelWithOptions: () => {
          throw new Error('Error while creating channel');
        },
      }),
    );
    await expect(noIface.open()).rejects.toThrow(/ip link set can0 up/);
    expect(noIface.state).toBe('closed');
  });
});
