import { validateFrame, type CanFrame } from './can-frame.js';
import {
  CanLinkClosedError,
  type CanLink,
  type CanLinkError,
  type CanLinkEvents,
  type CanLinkListener,
  type CanLinkState,
} from './can-link.js';

type AnyListener = (value: never) => void;

/** Shared event plumbing and state for CanLink implementations. */
export abstract class LinkBase implements CanLink {
  private readonly listeners = new Map<keyof CanLinkEvents, Set<AnyListener>>();
  private currentState: CanLinkState = 'closed';

  constructor(readonly name: string) {}

  get state(): CanLinkState {
    return this.currentState;
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  protected abstract transmit(frame: CanFrame): void;

  send(frame: CanFrame): void {
    if (this.currentState !== 'open' && this.currentState !== 'bus-off') {
      throw new CanLinkClosedError(`${this.name}: cannot send, link is ${this.currentState}`);
    }
    this.transmit(validateFrame(frame));
  }

  on<K extends keyof CanLinkEvents>(event: K, listener: CanLinkListener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Links that hand every frame straight to the medium hold nothing to withdraw. */
  discardQueued(_match: (frame: CanFrame) => boolean): number {
    return 0;
  }

  async *frames(signal?: AbortSignal): AsyncIterable<CanFrame> {
    const queue: CanFrame[] = [];
    let wake: (() => void) | undefined;
    const stream = { done: false };
    const finish = (): void => {
      stream.done = true;
      wake?.();
    };
    const offFrame = this.on('frame', (f) => {
      queue.push(f);
      wake?.();
    });
    const offState = this.on('state', (s) => {
      if (s === 'closed') finish();
    });
    signal?.addEventListener('abort', finish, { once: true });
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (stream.done || signal?.aborted === true) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      offFrame();
      offState();
      signal?.removeEventListener('abort', finish);
    }
  }

  protected setState(state: CanLinkState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit('state', state);
  }

  protected emitError(error: CanLinkError): void {
    this.emit('error', error);
  }

  protected emit<K extends keyof CanLinkEvents>(event: K, value: CanLinkEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as CanLinkListener<K>)(value);
  }
}
