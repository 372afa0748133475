/**
 * The station's end of the tractors' replicas over the fleet link (docs/sync-schema.md, "Fleet
 * link transport"): one sync session per tractor peer of the link, over its sync lane, against
 * the station's job document. Every tractor's update passes the hub's UpdateGate as that
 * tractor (its own coverage log and status only); the station's changes and the updates it
 * accepted from one tractor flow to every other. A lost tractor's session ends and a fresh one
 * (state-vector exchange) starts when it is heard again. When the job changes (a field opened
 * between jobs) every session restarts on the new document.
 */
import { Awareness } from 'y-protocols/awareness';
import { MSG, type FleetLinkNode } from '../link/index.js';
import {
  ClientBindings,
  FleetSyncPeer,
  SyncBudget,
  UpdateGate,
  type GateStats,
  type JobDoc,
} from '../sync/index.js';
import type { Clock } from '../time/index.js';

/** How often the hub looks at the link's peers and their reachability. */
export const REPLICA_CHECK_MS = 100;

export interface ReplicaHubOptions {
  readonly link: FleetLinkNode;
  /** The station's current job document (null while it has none). */
  readonly job: () => JobDoc | null;
  readonly clock: Clock;
  /** Share with the WebSocket endpoint so a client id bound to a tractor stays bound. */
  readonly bindings?: ClientBindings;
  readonly log?: (line: string) => void;
}

interface Hosted {
  readonly job: JobDoc;
  readonly gate: UpdateGate;
  readonly awareness: Awareness;
  readonly peers: Map<string, FleetSyncPeer>;
  readonly stopLogging: () => void;
}

export class ReplicaHub {
  private hosted: Hosted | null = null;
  /** Tractors whose replica has spoken: they write their own coverage log. */
  private readonly withReplica = new Set<string>();
  /** Sync pieces in flight over all tractors together (no congestion collapse on the bus). */
  private readonly budget = new SyncBudget();
  private readonly offReliable: () => void;
  private cancelTimer: () => void = () => undefined;
  private closed = false;

  constructor(private readonly options: ReplicaHubOptions) {
    this.offReliable = options.link.onReliable((peer, type) => {
      if (type === MSG.SYNC_DATA) this.withReplica.add(peer);
    });
    this.schedule();
  }

  /**
   * True once the tractor's own replica has synced with us: it records its coverage itself, so
   * the station must not write the same ground on its behalf a second time.
   */
  recordsOwnCoverage(tractorId: string): boolean {
    return this.withReplica.has(tractorId);
  }

  /** The gate tractor updates pass (its stats count rejections by reason). */
  get gate(): UpdateGate | null {
    return this.hosted?.gate ?? null;
  }

  peer(tractorId: string): FleetSyncPeer | undefined {
    return this.hosted?.peers.get(tractorId);
  }

  stats(): { gate: GateStats | null; sessions: number; syncing: number } {
    const peers = [...(this.hosted?.peers.values() ?? [])];
    return {
      gate: this.hosted?.gate.stats ?? null,
      sessions: peers.reduce((n, p) => n + p.sessions, 0),
      syncing: peers.filter((p) => p.state === 'syncing').length,
    };
  }

  /** Looks at the job and the peers now (the timer does it every REPLICA_CHECK_MS). */
  check(): void {
    if (this.closed) return;
    const job = this.options.job();
    if (job !== this.hosted?.job) {
      this.unhost();
      if (job) this.hosted = this.host(job);
    }
    const hosted = this.hosted;
    if (!hosted) return;
    for (const id of this.options.link.knownPeers()) {
      let peer = hosted.peers.get(id);
      if (!peer) {
        peer = new FleetSyncPeer({
          link: this.options.link,
          peer: id,
          doc: hosted.job.doc,
          gate: hosted.gate,
          awareness: hosted.awareness,
          principal: { role: 'tractor', id },
          clock: this.options.clock,
          budget: this.budget,
          pushOnRejoin: true,
          ...(this.options.log ? { log: this.options.log } : {}),
        });
        hosted.peers.set(id, peer);
      }
      peer.tick();
    }
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.offReliable();
    this.unhost();
  }

  private host(job: JobDoc): Hosted {
    const gate = new UpdateGate(
      job.doc,
      this.options.clock,
      this.options.bindings ?? new ClientBindings(),
    );
    const log = this.options.log;
    const stopLogging = log
      ? gate.onRejection((e) =>
          log(
            `sync: rejected update from ${e.principal.id} over the fleet link: ${e.reason} (${e.detail})`,
          ),
        )
      : (): void => undefined;
    // Presence is not shared over the bus: the station's own entry stays empty.
    const awareness = new Awareness(job.doc);
    awareness.setLocalState(null);
    return { job, gate, awareness, peers: new Map(), stopLogging };
  }

  private unhost(): void {
    const hosted = this.hosted;
    if (!hosted) return;
    for (const peer of hosted.peers.values()) peer.close();
    hosted.stopLogging();
    hosted.awareness.destroy();
    this.hosted = null;
  }

  private schedule(): void {
    this.cancelTimer = this.options.clock.setTimer(REPLICA_CHECK_MS, () => {
      this.check();
      if (!this.closed) this.schedule();
    });
  }
}
