/**
 * Who is who on the bus: fleet ids ↔ ISO NAMEs (the roster, from pairing) ↔ current addresses
 * (the address-claim table, ISO 11783-5 §4.4). Identity is the NAME, so a node that moves to
 * another address keeps its id, its queues and its sequence state. A NAME not in the roster
 * is named `name:<16 hex digits>`; the station is also found as the source of role-0 heartbeats.
 */
import { STATION_ADDRESS } from './fleet-messages.js';

/** What the directory needs from the network layer (IsobusNode satisfies it). */
export interface ClaimTable {
  peers(): ReadonlyMap<number, bigint>;
  addressOf(name: bigint): number | undefined;
}

const REFRESH_MS = 1_000;
const NAME_ID = /^name:([0-9a-f]{16})$/;

export class PeerDirectory {
  private readonly roster = new Map<string, bigint>();
  private readonly byName = new Map<bigint, string>();
  private table = new Map<number, bigint>();
  private tableAtMs = -Infinity;
  private stationAddress: number | undefined;

  constructor(
    private readonly claims: ClaimTable,
    private readonly now: () => number,
    roster: ReadonlyMap<string, bigint> = new Map(),
  ) {
    for (const [id, name] of roster) this.add(id, name);
  }

  add(id: string, name: bigint): void {
    this.roster.set(id, name);
    this.byName.set(name, id);
  }

  rosterIds(): string[] {
    return [...this.roster.keys()];
  }

  /** The source of a role-0 (station) heartbeat. */
  setStationAddress(address: number): void {
    this.stationAddress = address;
  }

  addressOf(id: string): number | undefined {
    const fromId = NAME_ID.exec(id)?.[1];
    const name = this.roster.get(id) ?? (fromId ? BigInt(`0x${fromId}`) : undefined);
    if (name !== undefined) {
      const address = this.claims.addressOf(name);
      if (address !== undefined) return address;
    }
    return id === STATION_ADDRESS ? this.stationAddress : undefined;
  }

  idOf(address: number): string | undefined {
    let name = this.table.get(address);
    if (name === undefined) {
      this.refresh(true);
      name = this.table.get(address);
    }
    const known = name === undefined ? undefined : this.byName.get(name);
    if (known) return known;
    if (address === this.stationAddress) return STATION_ADDRESS;
    return name === undefined ? undefined : nameId(name);
  }

  /** Re-reads the claim table (on a miss, or once a second so address moves are noticed). */
  refresh(force = false): void {
    const now = this.now();
    if (!force && now - this.tableAtMs < REFRESH_MS) return;
    this.tableAtMs = now;
    this.table = new Map(this.claims.peers());
  }
}

/** The fleet id of a node that is not in the roster: `name:<16 hex digits of its NAME>`. */
export function nameId(name: bigint): string {
  return `name:${name.toString(16).padStart(16, '0')}`;
}
