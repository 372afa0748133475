import type { CanFrame } from './can-frame.js';

/** Link life cycle. `bus-off` follows ISO 11898-1 §12.1.4 fault confinement. */
export type CanLinkState = 'closed' | 'opening' | 'open' | 'bus-off' | 'closing';

export interface CanLinkEvents {
  /** A frame received from the bus (never the link's own transmissions). */
  frame: CanFrame;
  /** A frame this link put on the bus (for captures); fired when it is handed to the medium. */
  sent: CanFrame;
  error: CanLinkError;
  state: CanLinkState;
}

export type CanLinkListener<K extends keyof CanLinkEvents> = (value: CanLinkEvents[K]) => void;

/**
 * The one contract every CAN medium implements (virtual bus node, SocketCAN, socketcand).
 * `send` is synchronous and never blocks: a link queues and reports trouble through `error`.
 */
export interface CanLink {
  readonly name: string;
  readonly state: CanLinkState;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Throws CanLinkClosedError if the link is not open; the frame is validated first. */
  send(frame: CanFrame): void;
  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof CanLinkEvents>(event: K, listener: CanLinkListener<K>): () => void;
  /** Received frames as an async stream that ends when the link closes or `signal` aborts. */
  frames(signal?: AbortSignal): AsyncIterable<CanFrame>;
  /**
   * Withdraws the frames still waiting in this link's own transmit queue that `match` selects
   * (a frame already handed to the medium cannot be called back); returns how many. A node
   * that lost its address uses it so nothing more goes out from that address.
   */
  discardQueued(match: (frame: CanFrame) => boolean): number;
}

export class CanLinkError extends Error {
  override readonly name: string = 'CanLinkError';
}

export class CanLinkClosedError extends CanLinkError {
  override readonly name = 'CanLinkClosedError';
}

export class CanLinkUnavailableError extends CanLinkError {
  override readonly name = 'CanLinkUnavailableError';
}
