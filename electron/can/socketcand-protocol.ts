import { CanFrameError, formatCanId, fromHex, validateFrame, type CanFrame } from './can-frame.js';

/**
 * The socketcand ASCII protocol (linux-can/socketcand doc/protocol.md) as the daemon and
 * python-can's `socketcand` interface speak it. Every message is `< word args... >`; in raw mode
 * frames arrive as `< frame ID SECS.USECS DATA >` (data as one run of hex pairs) and are sent as
 * `< send ID LEN B0 B1 ... >`. An id written with 8 hex digits is extended, otherwise standard.
 */
export class SocketcandProtocolError extends Error {
  override readonly name = 'SocketcandProtocolError';
}

/** The longest message we buffer; a real one is under 64 characters. */
const MAX_MESSAGE_CHARS = 512;

/** Splits a TCP byte stream into `< ... >` messages, tolerating any chunking. */
export class SocketcandParser {
  private buffer = '';

  /** Returns the complete messages' words (the text between `<` and `>`, split on spaces). */
  feed(chunk: string): string[][] {
    this.buffer += chunk;
    const out: string[][] = [];
    for (;;) {
      const start = this.buffer.indexOf('<');
      if (start < 0) {
        this.buffer = '';
        break;
      }
      const end = this.buffer.indexOf('>', start);
      if (end < 0) {
        this.buffer = this.buffer.slice(start);
        if (this.buffer.length > MAX_MESSAGE_CHARS) {
          this.buffer = '';
          throw new SocketcandProtocolError(
            `socketcand message longer than ${MAX_MESSAGE_CHARS} characters`,
          );
        }
        break;
      }
      const body = this.buffer.slice(start + 1, end).trim();
      this.buffer = this.buffer.slice(end + 1);
      out.push(body === '' ? [] : body.split(/\s+/));
    }
    return out;
  }
}

export function formatSocketcandFrame(frame: CanFrame, wallMs: number): string {
  const micros = Math.round(wallMs * 1000);
  const secs = Math.floor(micros / 1_000_000);
  const usec = String(micros - secs * 1_000_000).padStart(6, '0');
  let hex = '';
  for (const b of frame.data) hex += b.toString(16).toUpperCase().padStart(2, '0');
  return `< frame ${formatCanId(frame.id, frame.extended)} ${secs}.${usec} ${hex} >`;
}

export function formatSocketcandSend(frame: CanFrame): string {
  const bytes = [...frame.data].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return `< send ${[formatCanId(frame.id, frame.extended), String(frame.data.length), ...bytes].join(' ')} >`;
}

/** `frame ID SECS.USECS DATA` words (after `frame`) to a frame stamped in wall milliseconds. */
export function parseSocketcandFrame(args: readonly string[]): CanFrame {
  const [idHex, ts, dataHex = ''] = args;
  if (idHex === undefined || ts === undefined || args.length > 3)
    throw new SocketcandProtocolError(`bad frame message: ${args.join(' ')}`);
  const seconds = Number(ts);
  if (!Number.isFinite(seconds)) throw new SocketcandProtocolError(`bad frame timestamp '${ts}'`);
  return toFrame(idHex, () => fromHex(dataHex), seconds * 1000);
}

/** `send ID LEN B...` words (after `send`) to a frame. */
export function parseSocketcandSend(args: readonly string[]): CanFrame {
  const [idHex, lenText, ...byteTexts] = args;
  if (idHex === undefined || lenText === undefined)
    throw new SocketcandProtocolError(`bad send message: ${args.join(' ')}`);
  const len = Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > 8 || byteTexts.length !== len) {
    throw new SocketcandProtocolError(
      `send length ${lenText} does not match ${byteTexts.length} data bytes`,
    );
  }
  return toFrame(idHex, () => {
    const data = new Uint8Array(len);
    byteTexts.forEach((text, i) => {
      if (!/^[0-9A-Fa-f]{1,2}$/.test(text))
        throw new SocketcandProtocolError(`bad data byte '${text}'`);
      data[i] = Number.parseInt(text, 16);
    });
    return data;
  });
}

function toFrame(idHex: string, data: () => Uint8Array, timestampMs?: number): CanFrame {
  if (!/^[0-9A-Fa-f]{1,8}$/.test(idHex)) throw new SocketcandProtocolError(`bad CAN id '${idHex}'`);
  // socketcand decides the frame format by the id's width: exactly 8 digits is extended.
  const extended = idHex.length === 8;
  if (!extended && idHex.length > 3)
    throw new SocketcandProtocolError(
      `CAN id '${idHex}' must have 1–3 (standard) or 8 (extended) hex digits`,
    );
  try {
    const base = { id: Number.parseInt(idHex, 16), extended, data: data() };
    return validateFrame(timestampMs === undefined ? base : { ...base, timestampMs });
  } catch (error) {
    if (error instanceof CanFrameError) throw new SocketcandProtocolError(error.message);
    throw error;
  }
}
