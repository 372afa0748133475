/**
 * Builds a station and simulated tractors as real ISOBUS nodes on one virtual CAN bus, joined
 * by the fleet link. It offers the same surface as LocalFleetBus (stationPort, tractorPort,
 * setConnected, deliveredCount), so the composition root and the simulator switch by
 * construction only. Tractor nodes are created on first use of tractorPort(id).
 */
import { type VirtualBus, type VirtualBusNode } from '../can/index.js';
import { encodeName, IsobusNode, INDUSTRY_GROUP_AGRICULTURE } from '../isobus/index.js';
import { seededRandom, type Clock } from '../time/index.js';
import { FleetLinkNode, type FleetLinkConfig } from './fleet-link-node.js';
import { FleetLinkStationPort } from './station-port.js';
import { FleetLinkTractorPort, type TractorPortOptions } from './tractor-port.js';
import { STATION_ADDRESS } from './fleet-messages.js';
import type { FleetTransport } from './fleet-port.js';
import type { OutboxStore } from './outbox-store.js';
import type { PeerLinkStatus } from './peer-liveness.js';
import type { Lane } from './wire-format.js';

export interface VirtualFleetOptions {
  clock: Clock;
  bus: VirtualBus;
  /** Tractors to create at once (more are created by tractorPort(id)). */
  tractorIds?: readonly string[];
  /** The station's outbox (FileOutboxStore for store-and-forward across restarts). */
  stationStore?: OutboxStore;
  seed?: number;
  stationConfig?: Partial<FleetLinkConfig>;
  tractorConfig?: Partial<FleetLinkConfig>;
  tractorPort?: TractorPortOptions;
  /** Called with errors from background starts (address claim failures). */
  onError?: (error: unknown) => void;
}

export interface VirtualTractor {
  readonly id: string;
  readonly can: VirtualBusNode;
  readonly node: IsobusNode;
  readonly link: FleetLinkNode;
  readonly port: FleetLinkTractorPort;
  readonly started: Promise<number>;
}

/** ISOBUS function 130 is reserved for manufacturer use in our NAMEs; identity numbers are per fleet. */
const STATION_IDENTITY = 1;
const STATION_PREFERRED_ADDRESS = 0x20;
const TRACTOR_FIRST_ADDRESS = 0x80; // ISO 11783-5 §4.2: self-configurable range 128–247
const MANUFACTURER_CODE = 1407;

export function fleetName(identityNumber: number, deviceClass: number): bigint {
  return encodeName({
    identityNumber,
    manufacturerCode: MANUFACTURER_CODE,
    ecuInstance: 0,
    functionInstance: 0,
    function: 130,
    deviceClass,
    deviceClassInstance: 0,
    industryGroup: INDUSTRY_GROUP_AGRICULTURE,
    selfConfigurable: true,
  });
}

export class VirtualFleet implements FleetTransport {
  /** The station's nodes; replaced by restartStation(). */
  station!: FleetLinkNode;
  stationCan!: VirtualBusNode;
  stationNode!: IsobusNode;
  stationStarted!: Promise<number>;
  readonly tractors = new Map<string, VirtualTractor>();
  private port!: FleetLinkStationPort;
  private stationPriority!: VirtualBusNode;
  private readonly stationName = fleetName(STATION_IDENTITY, 0);
  private readonly cut = new Set<string>();
  private nextIdentity = STATION_IDENTITY + 1;
  private restarts = 0;
  private crashed = false;
  private instance: number | undefined;
  private lastEpoch: number | undefined;

  constructor(private readonly options: VirtualFleetOptions) {
    this.startStation();
    for (const id of options.tractorIds ?? []) this.tractor(id);
  }

  /**
   * The station process dies: its link goes silent at once and nothing is flushed (its outbox
   * store, if any, keeps what it had written). restartStation() brings it back.
   */
  crashStation(): void {
    if (this.crashed) return;
    this.crashed = true;
    this.port.close();
    this.station.close();
    this.stationNode.stop();
    void this.stationCan.close();
    void this.stationPriority.close();
  }

  /**
   * A new station process on the same NAME, with a fresh epoch and the next instance number,
   * so tractors send their hello again (docs/fleet-protocol.md §4.1). Resolves with its address.
   */
  restartStation(): Promise<number> {
    this.crashStation();
    this.crashed = false;
    this.startStation();
    for (const [id, t] of this.tractors) this.station.addPeer(id, t.node.name);
    return this.stationStarted;
  }

  private startStation(): void {
    const { clock, bus } = this.options;
    this.stationCan = bus.createNode(STATION_ADDRESS);
    this.stationPriority = bus.createNode(priorityNodeName(STATION_ADDRESS));
    this.stationNode = new IsobusNode({
      link: this.stationCan,
      clock,
      name: this.stationName,
      preferredAddress: STATION_PREFERRED_ADDRESS,
    });
    const random = seededRandom((this.options.seed ?? 1) + this.restarts++ * 104_729);
    // Without a store, a restarted station takes a new epoch (docs/fleet-protocol.md §5.3): never
    // the one before, or the tractors would take its fresh numbering for duplicates and drop it.
    const previous = this.lastEpoch;
    const epoch =
      previous === undefined ? undefined : (previous + 1 + Math.floor(random.next() * 255)) % 256;
    this.station = new FleetLinkNode({
      id: STATION_ADDRESS,
      role: 'station',
      node: this.stationNode,
      link: this.stationCan,
      priorityLink: this.stationPriority,
      clock,
      random,
      ...(epoch === undefined ? {} : { epoch }),
      roster: new Map([[STATION_ADDRESS, this.stationName]]),
      ...(this.options.stationStore ? { store: this.options.stationStore } : {}),
      ...(this.options.stationConfig ? { config: this.options.stationConfig } : {}),
    });
    // A new instance number on every start, as a real station's (wall-clock based) would have.
    this.instance =
      this.instance === undefined ? Math.floor(clock.wallNow()) % 255 : (this.instance + 1) % 255;
    this.lastEpoch = this.station.engine.epoch;
    this.port = new FleetLinkStationPort(this.station, this.instance);
    this.stationStarted = this.background(this.station.start());
  }

  stationPort(): FleetLinkStationPort {
    return this.port;
  }

  tractorPort(address: string): FleetLinkTractorPort {
    return this.tractor(address).port;
  }

  /** The tractor's nodes, created (and started in the background) on first use. */
  tractor(id: string): VirtualTractor {
    const existing = this.tractors.get(id);
    if (existing) return existing;
    const { clock, bus } = this.options;
    const identity = this.nextIdentity++;
    const name = fleetName(identity, 1);
    const can = bus.createNode(id);
    const priorityLink = bus.createNode(priorityNodeName(id));
    const node = new IsobusNode({
      link: can,
      clock,
      name,
      preferredAddress: TRACTOR_FIRST_ADDRESS + ((identity - 2) % 100),
    });
    const link = new FleetLinkNode({
      id,
      role: 'tractor',
      node,
      link: can,
      priorityLink,
      clock,
      random: seededRandom((this.options.seed ?? 1) * 7919 + identity),
      roster: new Map([
        [STATION_ADDRESS, this.stationName],
        [id, name],
      ]),
      ...(this.options.tractorConfig ? { config: this.options.tractorConfig } : {}),
    });
    this.station.addPeer(id, name);
    const port = new FleetLinkTractorPort(link, this.options.tractorPort);
    const tractor: VirtualTractor = {
      id,
      can,
      node,
      link,
      port,
      started: this.background(link.start()),
    };
    this.tractors.set(id, tractor);
    return tractor;
  }

  /** Resolves when the station and every tractor created so far have claimed addresses. */
  async ready(): Promise<void> {
    await Promise.all([this.stationStarted, ...[...this.tractors.values()].map((t) => t.started)]);
  }

  /** Cuts a tractor's radio (both directions) or gives it back, as a bus partition. */
  setConnected(address: string, connected: boolean): void {
    if (connected) this.cut.delete(address);
    else this.cut.add(address);
    if (this.cut.size === 0) {
      this.options.bus.heal();
      return;
    }
    const online = [
      STATION_ADDRESS,
      ...[...this.tractors.keys()].filter((id) => !this.cut.has(id)),
    ];
    const withPriority = (ids: string[]): string[] =>
      ids.flatMap((id) => [id, priorityNodeName(id)]);
    this.options.bus.partition(
      withPriority(online),
      ...[...this.cut].map((id) => withPriority([id])),
    );
  }

  /** Messages delivered to applications so far (both directions). */
  deliveredCount(): number {
    let n = this.port.counters.delivered;
    for (const t of this.tractors.values()) n += t.port.counters.delivered;
    return n;
  }

  /** Link quality per tractor as the station sees it. */
  linkStatus(): (PeerLinkStatus & { queued: Record<Lane, number> })[] {
    return this.station.linkStatus();
  }

  close(): void {
    this.port.close();
    this.station.close();
    this.stationNode.stop();
    for (const t of this.tractors.values()) {
      t.port.close();
      t.link.close();
      t.node.stop();
    }
  }

  private background(p: Promise<number>): Promise<number> {
    p.catch((error: unknown) => this.options.onError?.(error));
    return p;
  }
}

/** The bus node that carries a fleet node's stop traffic (its second transmit queue). */
export function priorityNodeName(id: string): string {
  return `${id}#prio`;
}

export function createVirtualFleet(options: VirtualFleetOptions): VirtualFleet {
  return new VirtualFleet(options);
}
