/**
 * An ordered, reliable byte channel to one peer over the fleet link — the shape of
 * electron/sync's MessageChannel (send / onMessage / close), so the Yjs sync protocol can run
 * over ISOBUS unchanged. Messages ride the sync lane (type 0x21) by default: exactly once, in
 * order, TP/ETP when larger than a frame.
 */
import type { FleetLinkNode } from './fleet-link-node.js';
import { laneOfType, MSG } from './wire-format.js';

export interface LinkChannel {
  send(bytes: Uint8Array): void;
  onMessage(cb: (bytes: Uint8Array) => void): () => void;
  /** Stops delivering to this channel's listeners (the link itself stays up). */
  close(code?: number, reason?: string): void;
  /** Messages refused by a full queue (the sender should back off or resync). */
  readonly refused: number;
}

export class LinkChannelError extends Error {
  override readonly name = 'LinkChannelError';
}

export function linkChannel(
  link: FleetLinkNode,
  peer: string,
  type: number = MSG.SYNC_DATA,
): LinkChannel {
  if (laneOfType(type) === undefined || type === MSG.ACK)
    throw new LinkChannelError(`type 0x${type.toString(16)} is not a reliable message type`);
  const listeners = new Set<(bytes: Uint8Array) => void>();
  let refused = 0;
  let closed = false;
  const off = link.onReliable((from, t, body) => {
    if (closed || from !== peer || t !== type) return;
    for (const cb of [...listeners]) cb(body);
  });
  return {
    send(bytes) {
      if (closed) throw new LinkChannelError(`channel to ${peer} is closed`);
      if (!link.sendReliable(peer, type, bytes).ok) refused++;
    },
    onMessage(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    close() {
      closed = true;
      listeners.clear();
      off();
    },
    get refused() {
      return refused;
    },
  };
}
