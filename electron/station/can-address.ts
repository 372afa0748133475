/**
 * The station's own ISO 11783 address on the CAN bus, as the operator sees it: in the snapshot,
 * and as an event for every change (Events tab and audit log). A control function's address can
 * move under it — a higher-priority NAME claims it, or a Commanded Address moves it (ISO 11783-5
 * §4.4) — and tools on the bus address the station by it, so a change is never silent.
 */
import type { Severity } from '../../shared/index.js';
import type { ClaimCause, ClaimChange } from '../isobus/index.js';

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

export interface AddressEvent {
  readonly severity: Severity;
  readonly message: string;
  /** The first claim at start is for the record only: it asks nothing of the operator. */
  readonly note: boolean;
}

const hex = (address: number): string => `0x${address.toString(16).toUpperCase().padStart(2, '0')}`;

export function describeAddressChange(change: CanAddressChange): AddressEvent {
  const { address, previous, cause } = change;
  if (address === null)
    return {
      severity: 'critical',
      message: `Station has no CAN address: none could be claimed${previous === null ? '' : ` after losing ${hex(previous)}`}; tractors cannot reach it on the bus`,
      note: false,
    };
  if (previous === null) {
    if (cause === 'start')
      return {
        severity: 'info',
        message: `Station claimed CAN address ${hex(address)}`,
        note: true,
      };
    const how = cause === 'commanded' ? ' by a Commanded Address' : '';
    return {
      severity: 'warning',
      message: `Station claimed CAN address ${hex(address)}${how}`,
      note: false,
    };
  }
  const why =
    cause === 'commanded'
      ? ' by a Commanded Address'
      : `: a higher-priority NAME claimed ${hex(previous)}`;
  return {
    severity: 'warning',
    message: `Station CAN address moved ${hex(previous)} → ${hex(address)}${why}`,
    note: false,
  };
}
