import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { corkUntilNextTick, MAX_CORK_HOLD_MS } from './socket-batching.js';

/** A stream that records each batch it is handed (one entry per underlying write). */
function recordingStream(): { stream: Writable; batches: string[][] } {
  const batches: string[][] = [];
  const stream = new Writable({
    writev(chunks, done) {
      batches.push(chunks.map((c) => String(c.chunk)));
      done();
    },
    write(chunk, _encoding, done) {
      batches.push([String(chunk)]);
      done();
    },
  });
  return { stream, batches };
}

function busyWaitMs(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe('corkUntilNextTick', () => {
  it('hands the frames written in one short turn over in one write, at the turn’s end', async () => {
    const { stream, batches } = recordingStream();
    for (const frame of ['a', 'b', 'c']) {
      corkUntilNextTick(stream);
      stream.write(frame);
    }
    expect(batches).toEqual([]);
    await nextTick();
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('does not hold a frame behind a long turn: the next write flushes what waited too long', async () => {
    const { stream, batches } = recordingStream();
    corkUntilNextTick(stream);
    stream.write('first');
    busyWaitMs(MAX_CORK_HOLD_MS * 3);
    corkUntilNextTick(stream);
    stream.write('second');
    expect(batches).toEqual([['first']]);
    corkUntilNextTick(stream);
    stream.write('third');
    await nextTick();
    expect(batches).toEqual([['first'], ['second', 'third']]);
  });

  it('corks the stream anew in the next turn', async () => {
    const { stream, batches } = recordingStream();
    corkUntilNextTick(stream);
    stream.write('one');
    await nextTick();
    corkUntilNextTick(stream);
    stream.write('two');
    expect(batches).toEqual([['one']]);
    await nextTick();
    expect(batches).toEqual([['one'], ['two']]);
    expect(stream.writableCorked).toBe(0);
  });
});
