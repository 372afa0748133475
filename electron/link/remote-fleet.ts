/**
 * Simulated tractors in a process of their own, joined to a station's bus through a CAN link
 * (socketcand on loopback, or SocketCAN): each tractor opens its own link, claims its own
 * address with its own NAME and speaks the fleet protocol. It offers the tractor half of the
 * FleetTransport surface, so the simulator drives these tractors exactly like local ones.
 */
import { createLink, type CanLink } from '../can/index.js';
import { IsobusNode } from '../isobus/index.js';
import { seededRandom, type Clock } from '../time/index.js';
import { STATION_ADDRESS } from './fleet-messages.js';
import { FleetLinkNode } from './fleet-link-node.js';
import type { FleetTransport, StationPort } from './fleet-port.js';
import { nameId } from './peer-directory.js';
import { FleetLinkTractorPort } from './tractor-port.js';
import { fleetName } from './virtual-fleet.js';

/** The station's identity number in the fleet NAME scheme (virtual-fleet.ts). */
const STATION_IDENTITY = 1;
/** ISO 11783-5 §4.2: self-configurable addresses 128–247. */
const TRACTOR_FIRST_ADDRESS = 0x80;

export interface RemoteFleetOptions {
  clock: Clock;
  /** Link URI every tractor opens, e.g. socketcand://127.0.0.1:29536/can0. */
  uri: string;
  /** First NAME identity number; tractors take consecutive ones (keep fleets apart). */
  identityBase: number;
  onError?: (error: unknown) => void;
}

interface RemoteTractor {
  name: bigint;
  link: CanLink;
  node: IsobusNode;
  fleetNode: FleetLinkNode;
  port: FleetLinkTractorPort;
}

export class RemoteTractorFleet implements FleetTransport {
  private readonly tractors = new Map<string, RemoteTractor>();
  private readonly started: Promise<unknown>[] = [];

  constructor(private readonly options: RemoteFleetOptions) {}

  stationPort(): StationPort {
    throw new Error('a remote tractor fleet has no station: the station runs in its own process');
  }

  tractorPort(address: string): FleetLinkTractorPort {
    const existing = this.tractors.get(address);
    if (existing) return existing.port;
    const { clock } = this.options;
    const identity = this.options.identityBase + this.tractors.size;
    const name = fleetName(identity, 1);
    const link = createLink(this.options.uri, { clock, nodeName: address });
    const node = new IsobusNode({
      link,
      clock,
      name,
      preferredAddress: TRACTOR_FIRST_ADDRESS + (this.tractors.size % 100),
    });
    const fleetNode = new FleetLinkNode({
      id: address,
      role: 'tractor',
      node,
      link,
      clock,
      random: seededRandom(identity),
      roster: new Map([
        [STATION_ADDRESS, fleetName(STATION_IDENTITY, 0)],
        [address, name],
      ]),
    });
    const port = new FleetLinkTractorPort(fleetNode, { stationSideId: nameId(name) });
    this.tractors.set(address, { name, link, node, fleetNode, port });
    const start = link.open().then(() => fleetNode.start());
    start.catch((error: unknown) => this.options.onError?.(error));
    this.started.push(start);
    return port;
  }

  /** A tractor's own fleet-link node (its job replica syncs over it); created on first use. */
  linkOf(address: string): FleetLinkNode {
    this.tractorPort(address);
    const tractor = this.tractors.get(address);
    if (!tractor) throw new Error(`no remote tractor ${address}`);
    return tractor.fleetNode;
  }

  /**
   * The id the station knows a tractor by: it has not paired these machines, so it names them
   * by their NAME (peer-directory.ts). Their job replicas write their coverage under this id.
   */
  stationSideId(address: string): string {
    return this.tractorPort(address).stationSideId ?? address;
  }

  /** Resolves when every tractor created so far has opened its link and claimed an address. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  setConnected(): void {
    // A remote tractor's radio is its own link; cut it by stopping the process or the server.
  }

  deliveredCount(): number {
    let n = 0;
    for (const t of this.tractors.values()) n += t.port.counters.delivered;
    return n;
  }

  async close(): Promise<void> {
    for (const t of this.tractors.values()) {
      t.port.close();
      t.fleetNode.close();
      t.node.stop();
      await t.link.close();
    }
  }
}
