/**
 * A one-way channel of messages from one thread to another in shared memory, read by polling.
 * Posting to a MessagePort wakes the receiving thread while the sender still holds the port's
 * lock; a receiver that runs at once (the safety core, which mostly sleeps) then waits for that
 * lock, for as long as a loaded machine leaves the sender without a core. Here the writer only
 * copies bytes and moves an index, the reader polls on its own timer, and neither ever waits
 * for the other. Messages are structured clones (`node:v8` serialize), so bytes stay bytes.
 *
 * Layout: two 32-bit indices (bytes written, bytes read; both only grow, modulo 2^32), then a
 * data area whose size is a power of two. Each message is a 32-bit length and its bytes.
 */
import { deserialize, serialize } from 'node:v8';

const WRITTEN = 0;
const READ = 1;
const HEADER_BYTES = 8;
const LENGTH_BYTES = 4;

/** Shared memory for a ring with room for `capacityBytes` (rounded up to a power of two). */
export function createRing(capacityBytes: number): SharedArrayBuffer {
  const size = 2 ** Math.ceil(Math.log2(Math.max(1024, capacityBytes)));
  return new SharedArrayBuffer(HEADER_BYTES + size);
}

class RingView {
  protected readonly index: Uint32Array;
  protected readonly data: Uint8Array;
  protected readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.index = new Uint32Array(buffer, 0, 2);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
    this.mask = this.data.length - 1;
  }

  protected copyIn(at: number, bytes: Uint8Array): void {
    const start = at & this.mask;
    const first = Math.min(bytes.length, this.data.length - start);
    this.data.set(bytes.subarray(0, first), start);
    if (first < bytes.length) this.data.set(bytes.subarray(first), 0);
  }

  protected copyOut(at: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const start = at & this.mask;
    const first = Math.min(length, this.data.length - start);
    out.set(this.data.subarray(start, start + first), 0);
    if (first < length) out.set(this.data.subarray(0, length - first), first);
    return out;
  }
}

export class RingWriter extends RingView {
  /** Messages that did not fit yet, sent in order before any later one. */
  private readonly waiting: Uint8Array[] = [];

  /** Queues a message; if the ring is full it waits here and goes with the next send or flush. */
  send(message: unknown): void {
    this.waiting.push(serialize(message));
    this.flush();
  }

  /** Moves waiting messages into the ring as room allows; true when none is left waiting. */
  flush(): boolean {
    for (let bytes = this.waiting[0]; bytes; bytes = this.waiting[0]) {
      const written = Atomics.load(this.index, WRITTEN);
      const used = (written - Atomics.load(this.index, READ)) >>> 0;
      const needed = LENGTH_BYTES + bytes.length;
      if (needed > this.data.length)
        throw new RangeError(`a message of ${bytes.length} bytes cannot fit the ring`);
      if (used + needed > this.data.length) return false;
      const length = new Uint8Array(LENGTH_BYTES);
      new DataView(length.buffer).setUint32(0, bytes.length, true);
      this.copyIn(written, length);
      this.copyIn(written + LENGTH_BYTES, bytes);
      // Published only once its bytes are in place.
      Atomics.store(this.index, WRITTEN, (written + needed) >>> 0);
      this.waiting.shift();
    }
    return true;
  }

  get backlog(): number {
    return this.waiting.length;
  }
}

export class RingReader extends RingView {
  /** Hands every message written so far to `handle`, in order; returns how many. */
  drain(handle: (message: unknown) => void): number {
    let count = 0;
    for (;;) {
      const read = Atomics.load(this.index, READ);
      if (read === Atomics.load(this.index, WRITTEN)) return count;
      const header = this.copyOut(read, LENGTH_BYTES);
      const length = new DataView(header.buffer).getUint32(0, true);
      const message: unknown = deserialize(this.copyOut(read + LENGTH_BYTES, length));
      Atomics.store(this.index, READ, (read + LENGTH_BYTES + length) >>> 0);
      count++;
      handle(message);
    }
  }
}
