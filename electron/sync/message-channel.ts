/**
 * The transport contract the sync protocol runs over: any ordered, reliable message channel
 * (a WebSocket today; the fleet link's TP/ETP session later). The protocol core never sees
 * sockets, so the link layer can carry it unchanged.
 */
export interface MessageChannel {
  send(bytes: Uint8Array): void;
  /** Registers the receiver; returns a function that removes it. */
  onMessage(cb: (bytes: Uint8Array) => void): () => void;
  /** Ends the session with a code in 4400–4499 (stock y-websocket clients then stay away). */
  close(code: number, reason: string): void;
}

/** y-websocket message types (y-websocket/src/y-websocket.js); numeric values are the wire. */
export const MESSAGE_TYPE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** Close codes in the 4400–4499 band, after the HTTP statuses they echo. */
export const CLOSE_CODE = {
  malformed: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  unknownJob: 4404,
  clockGap: 4409,
  tooLarge: 4413,
  rateLimited: 4429,
} as const;
