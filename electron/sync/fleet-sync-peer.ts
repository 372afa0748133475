/**
 * One replica's sync with one peer over the fleet link, across disconnections. While the peer
 * is reachable (it has claimed an address and the link does not report it lost) a SyncSession
 * runs over a FleetSyncChannel; when the link loses the peer the session ends, so nothing piles
 * up in the sync lane for a machine that cannot hear it; when the peer is heard again a fresh
 * session starts with a state-vector exchange (sync step 1), and each side sends only what the
 * other lacks (step 2). A session the other side's gate ended (or that lost a message) is
 * restarted after a pause: soon for a gap, slowly for a refused write.
 */
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MSG, type FleetLinkNode } from '../link/index.js';
import type { Clock } from '../time/index.js';
import { FleetSyncChannel, type FleetSyncChannelStats } from './fleet-sync-channel.js';
import { MESSAGE_TYPE } from './message-channel.js';
import type { SyncBudget } from './sync-budget.js';
import type { PeerLimits } from './peer-limiter.js';
import type { Principal } from './principal.js';
import { SyncSession } from './sync-session.js';
import type { UpdateGate } from './update-gate.js';

/** Pause before restarting after a gap or a lost message: the next step 1/2 fills it. */
export const RESYNC_AFTER_GAP_MS = 1_000;
/** Pause before retrying a peer whose session was ended for anything else (refused writes). */
export const RESYNC_AFTER_REFUSAL_MS = 30_000;

export interface FleetSyncPeerOptions {
  readonly link: FleetLinkNode;
  readonly peer: string;
  readonly doc: Y.Doc;
  readonly gate: UpdateGate;
  readonly awareness: Awareness;
  /** Who the peer is: its updates are authorized as this principal. */
  readonly principal: Principal;
  readonly clock: Clock;
  readonly ownWritesOnly?: boolean;
  /**
   * On rejoin, send the peer at once what it lacks relative to the state it is known to hold
   * (everything the link confirmed delivered), instead of waiting for its step 1 — which may
   * sit behind a backlog in the peer's own sync lane. A wrong guess (the peer lost its replica)
   * costs one refused message and the ordinary step 1/2 exchange. Station side.
   */
  readonly pushOnRejoin?: boolean;
  /** Shared by every peer of one link node (sync-budget.ts). */
  readonly budget?: SyncBudget;
  readonly limits?: PeerLimits;
  readonly log?: (line: string) => void;
}

export type FleetSyncState = 'waiting' | 'syncing' | 'paused';

export class FleetSyncPeer {
  /** Sessions started so far (the first join, then one per rejoin or restart). */
  sessions = 0;
  /** Totals over the channels this peer has closed. */
  private readonly closedTotals: FleetSyncChannelStats = {
    messagesSent: 0,
    updatesBeforeStep2: 0,
    updatesMerged: 0,
    bytesBeforeCompression: 0,
    bytesSent: 0,
  };
  private session: SyncSession | null = null;
  private channel: FleetSyncChannel | null = null;
  private retryAtMs = 0;
  /** The document's state vector as of the last message the link confirmed delivered. */
  private knownPeerState: Uint8Array | null = null;
  /** What our catch-up push of this session brings the peer (it arrives before any answer). */
  private pushedState: Uint8Array | null = null;
  private closed = false;
  private readonly offReliable: () => void;

  constructor(private readonly options: FleetSyncPeerOptions) {
    // The peer may start its session first: its step 1 must not be lost for want of ours, or
    // it would never get our step 2. A sync message with no session here starts one now.
    this.offReliable = options.link.onReliable((from, type, body) => {
      if (from !== options.peer || type !== MSG.SYNC_DATA || this.session || this.closed) return;
      if (options.clock.now() < this.retryAtMs) return;
      this.start().receive(body);
    });
  }

  /** What this peer has sent over every channel it has had, the current one included. */
  get totals(): FleetSyncChannelStats {
    const out = { ...this.closedTotals };
    const open = this.channel?.stats;
    if (open)
      for (const key of Object.keys(out) as (keyof FleetSyncChannelStats)[]) out[key] += open[key];
    return out;
  }

  get state(): FleetSyncState {
    if (this.session) return 'syncing';
    return this.options.clock.now() < this.retryAtMs ? 'paused' : 'waiting';
  }

  /** True when a session runs and nothing of ours waits or is in flight. */
  get idle(): boolean {
    return this.channel?.idle ?? false;
  }

  /** Starts or ends the session as the peer's reachability says; call it periodically. */
  tick(): void {
    if (this.closed) return;
    if (!this.reachable()) {
      this.stop('peer lost');
      return;
    }
    if (!this.session && this.options.clock.now() >= this.retryAtMs) this.start();
  }

  close(): void {
    this.stop('closed');
    this.closed = true;
    this.offReliable();
  }

  private reachable(): boolean {
    const { link, peer } = this.options;
    if (link.addressOf(peer) === undefined) return false;
    const status = link.liveness.status(peer);
    return status.lastHeardAgoMs !== null && status.state !== 'lost';
  }

  private start(): FleetSyncChannel {
    const o = this.options;
    const channel = new FleetSyncChannel({
      link: o.link,
      peer: o.peer,
      onClosed: (reason) => this.ended(channel, reason),
      ...(o.pushOnRejoin
        ? {
            mark: () => Y.encodeStateVector(o.doc),
            onDelivered: (state: Uint8Array) => {
              this.knownPeerState = state;
            },
          }
        : {}),
      ...(o.budget ? { budget: o.budget } : {}),
    });
    this.channel = channel;
    this.session = new SyncSession({
      doc: o.doc,
      gate: o.gate,
      awareness: o.awareness,
      principal: o.principal,
      channel,
      clock: o.clock,
      ...(o.limits ? { limits: o.limits } : {}),
      ...(o.ownWritesOnly ? { ownWritesOnly: true } : {}),
      ...(o.pushOnRejoin ? { peerAlsoHas: () => this.pushedState } : {}),
    });
    this.sessions++;
    this.session.start();
    this.pushedState = null;
    if (o.pushOnRejoin && this.knownPeerState) {
      channel.send(this.catchUp(this.knownPeerState));
      this.pushedState = Y.encodeStateVector(o.doc);
    }
    return channel;
  }

  /** A sync step 2 with what the document holds beyond `peerState`. */
  private catchUp(peerState: Uint8Array): Uint8Array {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
    encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(enc, Y.encodeStateAsUpdate(this.options.doc, peerState));
    return encoding.toUint8Array(enc);
  }

  private stop(reason: string): void {
    // Closing the channel ends the session through `ended`.
    this.channel?.close(0, reason);
  }

  /** The channel closed: by us (peer lost), by the session (the gate refused), or a lost message. */
  private ended(channel: FleetSyncChannel, reason: string): void {
    if (channel !== this.channel) return;
    for (const key of Object.keys(this.totals) as (keyof FleetSyncChannelStats)[])
      this.closedTotals[key] += channel.stats[key];
    this.session?.destroy();
    this.session = null;
    this.channel = null;
    if (reason === 'peer lost' || reason === 'closed') return;
    const gap = reason.startsWith('clock-gap') || reason.startsWith('sync message');
    this.retryAtMs =
      this.options.clock.now() + (gap ? RESYNC_AFTER_GAP_MS : RESYNC_AFTER_REFUSAL_MS);
    this.options.log?.(`sync: session with ${this.options.peer} ended (${reason})`);
  }
}
