/**
 * A node's own address as a feed: where a station learns the address its control function holds
 * and each change of it (a higher-priority NAME claims it, a Commanded Address moves it, ISO
 * 11783-5 §4.4), so that a change is never silent.
 */
import type { ClaimCause } from './address-claim.js';
import type { ClaimChange } from './isobus-node.js';

export interface CanAddressChange {
  /** The address now held; null when none could be claimed. */
  readonly address: number | null;
  /** The address held before; null at start or after a time without one. */
  readonly previous: number | null;
  readonly cause: ClaimCause;
}

/** Where the station learns its address: the ISOBUS node of its fleet link. */
export interface CanAddressFeed {
  current(): number | null;
  onChange(listener: (change: CanAddressChange) => void): () => void;
}

/** A feed from an ISOBUS node: reports when a claim completes or fails, not the steps between. */
export function canAddressFeed(node: {
  readonly address: number | undefined;
  onStateChange(listener: (change: ClaimChange) => void): () => void;
}): CanAddressFeed {
  return {
    current: () => node.address ?? null,
    onChange(listener) {
      let held = node.address ?? null;
      return node.onStateChange((c) => {
        if (c.state !== 'claimed' && c.state !== 'cannot-claim') return;
        const address = c.state === 'claimed' ? c.address : null;
        if (address === held) return;
        const previous = held;
        held = address;
        listener({ address, previous, cause: c.cause });
      });
    },
  };
}
