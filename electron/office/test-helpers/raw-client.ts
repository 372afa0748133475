/**
 * A Hocuspocus client at the byte level, for what no well-behaved provider sends: a malformed
 * update, an oversized one. Message layout: `<document name> <type> ...` (Hocuspocus 3.4,
 * packages/server/src/types.ts and @hocuspocus/common's auth messages).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';

const SYNC = 0;
const AUTH = 2;
const CLOSE = 7;
const AUTH_TOKEN = 0;
const AUTH_DENIED = 1;
const AUTH_GRANTED = 2;
/** y-protocols/sync message types. */
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export interface RawClient {
  /** Sends a sync message of `step` carrying `payload` as the update. */
  sendUpdate(payload: Uint8Array, step?: number): void;
  send(bytes: Uint8Array): void;
  /** Resolves with the reason of the first CLOSE or permission-denied message. */
  readonly refused: Promise<string>;
  close(): void;
}

export function frame(name: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, name);
  write(e);
  return encoding.toUint8Array(e);
}

/** Connects, authenticates on `name` with `token`, and resolves once the office has let it in. */
export async function rawClient(url: string, name: string, token: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  let refuse: (reason: string) => void = () => undefined;
  const refused = new Promise<string>((resolve) => (refuse = resolve));
  const granted = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(d);
      const type = decoding.readVarUint(d);
      if (type === CLOSE) refuse(decoding.readVarString(d));
      if (type !== AUTH) return;
      const auth = decoding.readVarUint(d);
      if (auth === AUTH_GRANTED) resolve();
      if (auth === AUTH_DENIED) {
        const reason = decoding.readVarString(d);
        refuse(reason);
        reject(new Error(reason));
      }
    });
    ws.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(
    frame(name, (e) => {
      encoding.writeVarUint(e, AUTH);
      encoding.writeVarUint(e, AUTH_TOKEN);
      encoding.writeVarString(e, token);
    }),
  );
  await granted;
  return {
    sendUpdate(payload, step = SYNC_UPDATE) {
      ws.send(
        frame(name, (e) => {
          encoding.writeVarUint(e, SYNC);
          encoding.writeVarUint(e, step);
          encoding.writeVarUint8Array(e, payload);
        }),
      );
    },
    send: (bytes) => ws.send(bytes),
    refused,
    close: () => ws.terminate(),
  };
}
