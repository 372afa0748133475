import { describe, expect, it } from 'vitest';
import { frameMessage, MAX_MESSAGE_BYTES, MessagePipeReader } from './message-pipe.js';

function reader(): { got: unknown[]; errors: string[]; pipe: MessagePipeReader } {
  const got: unknown[] = [];
  const errors: string[] = [];
  return {
    got,
    errors,
    pipe: new MessagePipeReader(
      (m) => got.push(m),
      (e) => errors.push(e.message),
    ),
  };
}

describe('messages over a pipe', () => {
  const messages = [
    { type: 'send', to: 'sim-01', message: { kind: 'heartbeat', seq: 7 } },
    { type: 'release', mac: new Uint8Array([1, 2, 255]) },
    'a plain string',
    { type: 'big', text: 'x'.repeat(100_000) },
  ];
  const bytes = Buffer.concat(messages.map((m) => frameMessage(m)));

  it('hands on every message whole and in order, however the stream cuts the bytes', () => {
    for (const size of [1, 3, 4, 5, 7, 4096, bytes.length]) {
      const { got, errors, pipe } = reader();
      for (let at = 0; at < bytes.length; at += size) pipe.push(bytes.subarray(at, at + size));
      expect(errors).toEqual([]);
      expect(got).toEqual(messages);
      expect(pipe.partialBytes).toBe(0);
    }
  });

  it('keeps bytes as bytes', () => {
    const { got, pipe } = reader();
    pipe.push(frameMessage({ mac: new Uint8Array([9, 8]) }));
    expect((got[0] as { mac: unknown }).mac).toBeInstanceOf(Uint8Array);
  });

  it('holds a message cut short until the rest comes', () => {
    const { got, pipe } = reader();
    const frame = frameMessage({ n: 1 });
    pipe.push(frame.subarray(0, frame.length - 1));
    expect(got).toEqual([]);
    expect(pipe.partialBytes).toBe(frame.length - 1);
    pipe.push(frame.subarray(frame.length - 1));
    expect(got).toEqual([{ n: 1 }]);
  });

  it('refuses a length it cannot believe, once, and reads nothing after it', () => {
    const { got, errors, pipe } = reader();
    const bad = Buffer.alloc(4);
    bad.writeUInt32LE(MAX_MESSAGE_BYTES + 1, 0);
    pipe.push(Buffer.concat([frameMessage('before'), bad, frameMessage('after')]));
    pipe.push(frameMessage('later'));
    expect(got).toEqual(['before']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/bytes long/);
  });

  it('refuses bytes that do not decode', () => {
    const { got, errors, pipe } = reader();
    const garbage = Buffer.from([5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff]);
    pipe.push(garbage);
    expect(got).toEqual([]);
    expect(errors[0]).toMatch(/did not decode/);
  });
});
