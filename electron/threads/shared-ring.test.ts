import { describe, expect, it } from 'vitest';
import { createRing, RingReader, RingWriter } from './shared-ring.js';
import { startWorker } from './worker-launch.js';

const drainAll = (reader: RingReader): unknown[] => {
  const got: unknown[] = [];
  reader.drain((m) => got.push(m));
  return got;
};

describe('shared ring', () => {
  it('carries messages in order, bytes as bytes, across the end of its memory', () => {
    const ring = createRing(1024);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    const sent: unknown[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 5; i++) {
        const message = { type: 'send', n: round * 5 + i, mac: new Uint8Array([round, i, 255]) };
        sent.push(message);
        writer.send(message);
      }
      expect(drainAll(reader)).toEqual(sent.splice(0));
    }
  });

  it('keeps what does not fit and sends it, in order, once the reader made room', () => {
    const ring = createRing(1024);
    const writer = new RingWriter(ring);
    const reader = new RingReader(ring);
    const big = 'x'.repeat(300);
    for (let i = 0; i < 6; i++) writer.send({ i, big });
    expect(writer.backlog).toBeGreaterThan(0);
    const first = drainAll(reader) as { i: number }[];
    expect(first.map((m) => m.i)).toEqual([0, 1, 2].slice(0, first.length));
    writer.send({ i: 6, big });
    const rest: { i: number }[] = [];
    while (writer.backlog > 0 || rest.length + first.length < 7) {
      writer.flush();
      rest.push(...(drainAll(reader) as { i: number }[]));
    }
    expect([...first, ...rest].map((m) => m.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses a message larger than the ring', () => {
    const writer = new RingWriter(createRing(1024));
    expect(() => writer.send({ big: 'x'.repeat(2000) })).toThrow(/cannot fit/);
  });

  it('carries messages from one thread to another', async () => {
    const ring = createRing(4096);
    const writer = new RingWriter(ring);
    const last = 999;
    const worker = startWorker(import.meta.url, 'test-helpers/ring-reader-worker', { ring, last });
    const received = new Promise<number[]>((resolve) => worker.once('message', resolve));
    for (let n = 0; n <= last; n++) {
      writer.send({ n });
      if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      while (!writer.flush()) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await received).toEqual(Array.from({ length: last + 1 }, (_, n) => n));
    await worker.terminate();
  });
});
