/**
 * Messages over a byte stream between two processes (a pipe the parent opened for its child):
 * each message is a 32-bit length and its structured clone (`node:v8` serialize), so bytes stay
 * bytes. The writer never waits: what the pipe cannot take yet waits in the stream's own buffer,
 * in order. The reader takes chunks as they come, whatever their boundaries, and refuses a
 * length it cannot believe or bytes that do not decode, once and for good: after a bad frame it
 * can no longer know where the next one starts.
 */
import { deserialize, serialize } from 'node:v8';

const LENGTH_BYTES = 4;
/** Larger than anything the station and its core say to each other (a whole fleet's probe). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export class MessagePipeError extends Error {
  override readonly name = 'MessagePipeError';
}

/** The framed bytes of one message. */
export function frameMessage(message: unknown): Buffer {
  const body = serialize(message);
  if (body.length > MAX_MESSAGE_BYTES)
    throw new MessagePipeError(`a message of ${body.length} bytes is larger than a pipe takes`);
  const frame = Buffer.allocUnsafe(LENGTH_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, LENGTH_BYTES);
  return frame;
}

export class MessagePipeReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private broken = false;

  constructor(
    private readonly handle: (message: unknown) => void,
    private readonly fail: (error: MessagePipeError) => void,
  ) {}

  /** Takes the next chunk off the stream; hands each whole message on, in order. */
  push(chunk: Buffer): void {
    if (this.broken) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= LENGTH_BYTES) {
      const length = this.nextLength();
      if (length > MAX_MESSAGE_BYTES)
        return this.break(`a message said it is ${length} bytes long`);
      if (this.pendingBytes < LENGTH_BYTES + length) return;
      const frame = this.take(LENGTH_BYTES + length);
      let message: unknown;
      try {
        message = deserialize(frame.subarray(LENGTH_BYTES));
      } catch (error) {
        return this.break(
          `a message did not decode: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.handle(message);
    }
  }

  /** Bytes of a message begun but not yet whole (at the stream's end: a message cut short). */
  get partialBytes(): number {
    return this.pendingBytes;
  }

  /** The length the next message announces (chunks are joined only when its header is split). */
  private nextLength(): number {
    const first = this.pending[0] as Buffer;
    if (first.length >= LENGTH_BYTES) return first.readUInt32LE(0);
    this.pending = [Buffer.concat(this.pending)];
    return (this.pending[0] as Buffer).readUInt32LE(0);
  }

  /** The first `bytes` of what is pending, taken off it. */
  private take(bytes: number): Buffer {
    const all =
      this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    const rest = all.subarray(bytes);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return all.subarray(0, bytes);
  }

  private break(reason: string): void {
    this.broken = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.fail(new MessagePipeError(reason));
  }
}
