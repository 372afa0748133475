/**
 * Gives every simulated tractor of a fleet link a replica of the job document: a FleetTransport
 * that hands out the link's tractor ports wrapped by a TractorReplica on that tractor's own
 * fleet-link node. The simulator drives the wrapped ports exactly like plain ones; the replicas
 * record coverage from what the tractors report and sync with the station's ReplicaHub.
 */
import type { FleetLinkNode, FleetTransport, StationPort, TractorPort } from '../link/index.js';
import type { Clock } from '../time/index.js';
import { TractorReplica } from './tractor-replica.js';

export interface ReplicaTransportOptions {
  /** The fleet link whose tractors get replicas (VirtualFleet, RemoteTractorFleet). */
  readonly transport: FleetTransport;
  /** A tractor's own fleet-link node (created by the transport on first use of its port). */
  readonly linkOf: (tractorId: string) => FleetLinkNode;
  /** The id the station knows the tractor by, under which it writes (default: its own id). */
  readonly stationSideId?: (tractorId: string) => string;
  readonly clock: Clock;
  readonly log?: (line: string) => void;
}

export class ReplicaTransport implements FleetTransport {
  readonly replicas = new Map<string, TractorReplica>();

  constructor(private readonly options: ReplicaTransportOptions) {}

  stationPort(): StationPort {
    return this.options.transport.stationPort();
  }

  tractorPort(address: string): TractorPort {
    const port = this.options.transport.tractorPort(address);
    let replica = this.replicas.get(address);
    if (!replica) {
      replica = new TractorReplica({
        id: this.options.stationSideId?.(address) ?? address,
        link: this.options.linkOf(address),
        clock: this.options.clock,
        ...(this.options.log ? { log: this.options.log } : {}),
      });
      this.replicas.set(address, replica);
    }
    return replica.wrap(port);
  }

  setConnected(address: string, connected: boolean): void {
    this.options.transport.setConnected(address, connected);
  }

  deliveredCount(): number {
    return this.options.transport.deliveredCount();
  }

  close(): void {
    for (const replica of this.replicas.values()) replica.close();
    this.replicas.clear();
  }
}
