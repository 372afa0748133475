/**
 * One peer's sync session speaking the y-websocket protocol (y-protocols/sync: step 1 = state
 * vector, step 2 = missing updates, update = incremental) plus awareness, over any
 * MessageChannel. Incoming updates pass the UpdateGate before touching the doc; a rejected
 * update ends the session, because every later update from that sender would have a clock gap
 * (issue 6) — the peer rejoins under a new client id. The session forwards doc updates to the
 * peer except those it applied itself (origin = this session).
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { Clock } from '../time/index.js';
import { isLocalOrigin } from './job-doc.js';
import { CLOSE_CODE, MESSAGE_TYPE, type MessageChannel } from './message-channel.js';
import { DEFAULT_PEER_LIMITS, PeerLimiter, type PeerLimits } from './peer-limiter.js';
import type { Principal, RejectReason } from './principal.js';
import type { UpdateGate } from './update-gate.js';

export interface SyncSessionOptions {
  readonly doc: Y.Doc;
  readonly gate: UpdateGate;
  readonly awareness: awarenessProtocol.Awareness;
  readonly principal: Principal;
  readonly channel: MessageChannel;
  readonly clock: Clock;
  readonly limits?: PeerLimits;
  /**
   * A tractor replica sends only what its own client wrote: relayed writes from a tractor
   * would be refused by the station (a tractor's word counts only for its own data).
   */
  readonly ownWritesOnly?: boolean;
  /**
   * A state vector the peer will hold by the time our answer to its step 1 arrives (what we
   * already sent it on this ordered channel): the answer then leaves that out.
   */
  readonly peerAlsoHas?: () => Uint8Array | null;
  readonly onClose?: (session: SyncSession) => void;
}

const CLOSE_FOR: Record<RejectReason, number> = {
  malformed: CLOSE_CODE.malformed,
  forbidden: CLOSE_CODE.forbidden,
  'clock-gap': CLOSE_CODE.clockGap,
  'invalid-content': CLOSE_CODE.forbidden,
  'client-spoofed': CLOSE_CODE.forbidden,
  'too-large': CLOSE_CODE.tooLarge,
  'rate-limited': CLOSE_CODE.rateLimited,
};

export class SyncSession {
  readonly principal: Principal;
  private readonly doc: Y.Doc;
  private readonly gate: UpdateGate;
  private readonly awareness: awarenessProtocol.Awareness;
  private readonly channel: MessageChannel;
  private readonly limiter: PeerLimiter;
  private readonly awarenessClients = new Set<number>();
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    if (this.options.ownWritesOnly && !isLocalOrigin(origin)) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
    syncProtocol.writeUpdate(enc, update);
    this.send(encoding.toUint8Array(enc));
  };
  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...change.added, ...change.updated, ...change.removed];
    if (origin === this) {
      for (const c of change.added) this.awarenessClients.add(c);
      for (const c of change.removed) this.awarenessClients.delete(c);
    }
    this.send(awarenessMessage(this.awareness, changed));
  };

  constructor(private readonly options: SyncSessionOptions) {
    this.principal = options.principal;
    this.doc = options.doc;
    this.gate = options.gate;
    this.awareness = options.awareness;
    this.channel = options.channel;
    this.limiter = new PeerLimiter(options.clock, options.limits ?? DEFAULT_PEER_LIMITS);
    this.unsubscribe = this.channel.onMessage((bytes) => this.handle(bytes));
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Opens the exchange: our state vector (step 1), and who else is present. */
  start(): void {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
    syncProtocol.writeSyncStep1(enc, this.doc);
    this.send(encoding.toUint8Array(enc));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) this.send(awarenessMessage(this.awareness, present));
  }

  handle(bytes: Uint8Array): void {
    if (this.closed) return;
    const limited = this.limiter.admit(bytes.byteLength);
    if (limited) {
      this.gate.reject(
        { reason: limited, detail: `${bytes.byteLength} bytes` },
        this.principal,
        bytes.byteLength,
      );
      this.end(CLOSE_FOR[limited], limited);
      return;
    }
    try {
      const dec = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(dec);
      if (type === MESSAGE_TYPE.sync) this.handleSync(dec);
      else if (type === MESSAGE_TYPE.awareness) {
        const update = decoding.readVarUint8Array(dec);
        // A viewer sees who is present but is not shown to anyone: presence is a write that
        // every peer receives, and a viewer writes nothing.
        if (this.principal.role !== 'viewer')
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, this);
      } else if (type === MESSAGE_TYPE.queryAwareness) {
        this.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
      } else if (type !== MESSAGE_TYPE.auth) {
        throw new Error(`unknown message type ${type}`);
      }
    } catch (err) {
      this.gate.reject(
        { reason: 'malformed', detail: String(err) },
        this.principal,
        bytes.byteLength,
      );
      this.end(CLOSE_CODE.malformed, 'malformed message');
    }
  }

  private handleSync(dec: decoding.Decoder): void {
    const kind = decoding.readVarUint(dec);
    if (kind === syncProtocol.messageYjsSyncStep1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_TYPE.sync);
      const remoteSv = withAlsoHas(decoding.readVarUint8Array(dec), this.options.peerAlsoHas?.());
      if (this.options.ownWritesOnly) {
        encoding.writeVarUint(enc, syncProtocol.messageYjsSyncStep2);
        encoding.writeVarUint8Array(enc, encodeOwnWrites(this.doc, remoteSv));
      } else syncProtocol.writeSyncStep2(enc, this.doc, remoteSv);
      this.send(encoding.toUint8Array(enc));
      return;
    }
    if (kind !== syncProtocol.messageYjsSyncStep2 && kind !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${kind}`);
    }
    const update = decoding.readVarUint8Array(dec);
    const result = this.gate.apply(update, this.principal, this);
    if (!result.ok)
      this.end(
        CLOSE_FOR[result.rejection.reason],
        `${result.rejection.reason}: ${result.rejection.detail}`.slice(0, 120),
      );
  }

  private send(bytes: Uint8Array): void {
    if (!this.closed) this.channel.send(bytes);
  }

  /** Ends the session with a close code (4400–4499 for protocol violations). */
  end(code: number, reason: string): void {
    if (this.closed) return;
    this.channel.close(code, reason);
    this.destroy();
  }

  /** Removes every listener this session added and its peer's awareness states. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...this.awarenessClients], null);
    this.options.onClose?.(this);
  }
}

/** The per-client maximum of the peer's state vector and what it will also hold. */
function withAlsoHas(remoteSv: Uint8Array, alsoHas: Uint8Array | null | undefined): Uint8Array {
  if (!alsoHas) return remoteSv;
  const merged = Y.decodeStateVector(remoteSv);
  for (const [client, clock] of Y.decodeStateVector(alsoHas))
    if (clock > (merged.get(client) ?? 0)) merged.set(client, clock);
  return encodeSv(merged);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_TYPE.awareness);
  encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(enc);
}

/**
 * Step 2 limited to this replica's own writes: structs of its own client, and a delete set of
 * its own client's deleted structs only (a stock step 2 carries the whole delete set, which
 * would make a tractor "delete" station data it merely heard about). The delete set sits at
 * the end of a v1 update, so the structs part is the update minus the full delete set's bytes.
 */
export function encodeOwnWrites(doc: Y.Doc, remoteStateVector: Uint8Array): Uint8Array {
  const remote = Y.decodeStateVector(remoteStateVector);
  const own = doc.clientID;
  const target = new Map<number, number>();
  for (const client of doc.store.clients.keys())
    target.set(client, client === own ? (remote.get(client) ?? 0) : Y.getState(doc.store, client));
  const withStructs = Y.encodeStateAsUpdate(doc, encodeSv(target));
  target.set(own, Y.getState(doc.store, own));
  // No structs: one varuint 0 followed by the full delete set.
  const fullDsBytes = Y.encodeStateAsUpdate(doc, encodeSv(target)).byteLength - 1;
  const enc = encoding.createEncoder();
  encoding.writeUint8Array(enc, withStructs.subarray(0, withStructs.byteLength - fullDsBytes));
  const ranges: [number, number][] = [];
  for (const s of doc.store.clients.get(own) ?? []) {
    if (!(s instanceof Y.GC) && !(s instanceof Y.Item && s.deleted)) continue;
    const last = ranges.at(-1);
    if (last && last[0] + last[1] === s.id.clock) last[1] += s.length;
    else ranges.push([s.id.clock, s.length]);
  }
  // Delete set, v1 layout (yjs DeleteSet.writeDeleteSet with DSEncoderV1).
  encoding.writeVarUint(enc, ranges.length > 0 ? 1 : 0);
  if (ranges.length > 0) {
    encoding.writeVarUint(enc, own);
    encoding.writeVarUint(enc, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(enc, clock);
      encoding.writeVarUint(enc, len);
    }
  }
  return encoding.toUint8Array(enc);
}

function encodeSv(sv: Map<number, number>): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, sv.size);
  for (const [client, clock] of sv) {
    encoding.writeVarUint(enc, client);
    encoding.writeVarUint(enc, clock);
  }
  return encoding.toUint8Array(enc);
}
