/**
 * The station's own ISO 11783 address on the CAN bus, as the operator sees it: in the snapshot,
 * and as an event for every change (Events tab and audit log). A control function's address can
 * move under it — a higher-priority NAME claims it, or a Commanded Address moves it (ISO 11783-5
 * §4.4) — and tools on the bus address the station by it, so a change is never silent.
 */
import type { Severity } from '../../shared/index.js';
import type { CanAddressChange } from '../isobus/index.js';

export type { CanAddressChange, CanAddressFeed } from '../isobus/index.js';

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
