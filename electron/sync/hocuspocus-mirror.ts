/**
 * Mirrors a job upstream to a Hocuspocus server (the scale-out path: many stations
 * or a farm office share jobs through an existing engine, e.g. Hocuspocus with its Redis
 * extension). A stock y-websocket client cannot talk to Hocuspocus (different framing),
 * so this uses @hocuspocus/provider 3.4 (4.x declares Node 22).
 *
 * The provider writes straight into the doc it is given, so it gets a private mirror doc:
 * local changes are copied into the mirror, and what arrives from upstream is copied back
 * only through the job's UpdateGate, so the upstream is held to the same rules as any remote
 * operator.
 *
 * Local changes reach the mirror only while it is synced with the server; at each (re)sync the
 * mirror catches up with everything the job gained meanwhile, from its state vector. The
 * provider would otherwise send a change made while it connects as an update ahead of its sync
 * step 2, and a server that validates updates (the farm office, like the station itself)
 * refuses an update that refers to structs it has not received.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Principal } from './principal.js';
import type { UpdateGate } from './update-gate.js';

export interface HocuspocusMirrorOptions {
  /**
   * ws:// or wss:// URL of the Hocuspocus server, or of several (nodes of one farm office): the
   * mirror tries them in turn, moving to the next whenever a connection ends or cannot be made.
   */
  readonly url: string | readonly string[];
  /** Document name on the server; the job id by default. */
  readonly name: string;
  readonly token?: string;
  readonly doc: Y.Doc;
  readonly gate: UpdateGate;
  /**
   * Rules the upstream's writes are held to: a remote operator by default (the farm office is
   * read-only toward machines: no stops, releases, field or coverage from it).
   */
  readonly principal?: Principal;
  /**
   * Hears why the server refused or ended the mirror's session: permission denied (a token
   * that may not open the document), or a session closed with a reason (an update the server
   * would not take, a server shutting down).
   */
  readonly onRefused?: (reason: string) => void;
}

export interface MirrorStatus {
  readonly connected: boolean;
  readonly synced: boolean;
  readonly rejected: number;
  /** The last reason the server gave for refusing or ending the mirror's session, or null. */
  readonly refusal: string | null;
  /** The server the mirror is connected or connecting to. */
  readonly url: string;
}

/**
 * The longest wait between two tries to reach a server (the provider's default is 30 s): a
 * station is back in the office within seconds of a link's return, and a try every 5 s is
 * nothing on any link.
 */
const RETRY_MAX_DELAY_MS = 5_000;

const TO_MIRROR = Symbol('hocuspocus-mirror:local');

export class HocuspocusMirror {
  private readonly mirror = new Y.Doc();
  private readonly socket: HocuspocusProviderWebsocket;
  private readonly provider: HocuspocusProvider;
  private readonly principal: Principal;
  private connected = false;
  private rejected = 0;
  private refusal: string | null = null;
  private readonly urls: readonly string[];
  private urlIndex = 0;
  private readonly syncedListeners = new Set<() => void>();

  /** True from a sync with the server until the connection ends. */
  private forwarding = false;

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || !this.forwarding) return;
    Y.applyUpdate(this.mirror, update, TO_MIRROR);
  };

  private readonly onMirrorUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === TO_MIRROR) return;
    const result = this.options.gate.apply(update, this.principal, this);
    if (!result.ok) this.rejected++;
  };

  constructor(private readonly options: HocuspocusMirrorOptions) {
    this.principal = options.principal ?? { role: 'operator', id: `upstream:${options.name}` };
    this.urls = typeof options.url === 'string' ? [options.url] : [...options.url];
    const [first] = this.urls;
    if (first === undefined) throw new RangeError('HocuspocusMirror needs at least one URL');
    Y.applyUpdate(this.mirror, Y.encodeStateAsUpdate(options.doc), TO_MIRROR);
    options.doc.on('update', this.onLocalUpdate);
    this.mirror.on('update', this.onMirrorUpdate);
    // Node 20 has no global WebSocket: hand the provider the `ws` implementation.
    this.socket = new HocuspocusProviderWebsocket({
      url: first,
      WebSocketPolyfill: WebSocket,
      maxDelay: RETRY_MAX_DELAY_MS,
      // Every socket that closes, or never opened, sends the next try to the next server.
      onClose: () => this.nextUrl(),
    });
    this.provider = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: options.name,
      document: this.mirror,
      token: options.token ?? null,
      onConnect: () => (this.connected = true),
      onDisconnect: () => {
        this.connected = false;
        this.forwarding = false;
      },
      onAuthenticationFailed: ({ reason }) => this.refused(reason),
      // A socket that drops closes without a reason; the server's CLOSE message carries one.
      onClose: ({ event }) => {
        this.forwarding = false;
        if (event.reason) this.refused(event.reason);
      },
      onSynced: () => {
        this.catchUp();
        for (const cb of this.syncedListeners) cb();
      },
    });
    if (!this.provider.isAttached) this.provider.attach();
  }

  status(): MirrorStatus {
    return {
      connected: this.connected,
      synced: this.provider.isSynced,
      rejected: this.rejected,
      refusal: this.refusal,
      url: this.currentUrl(),
    };
  }

  private currentUrl(): string {
    return this.urls[this.urlIndex] ?? '';
  }

  private nextUrl(): void {
    if (this.urls.length < 2) return;
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    this.socket.setConfiguration({ url: this.currentUrl() });
  }

  /** Copies into the mirror what the job has and it lacks, and forwards from here on. */
  private catchUp(): void {
    const missing = Y.encodeStateAsUpdate(this.options.doc, Y.encodeStateVector(this.mirror));
    Y.applyUpdate(this.mirror, missing, TO_MIRROR);
    this.forwarding = true;
  }

  private refused(reason: string): void {
    this.refusal = reason;
    this.options.onRefused?.(reason);
  }

  /** Resolves once the first exchange with the server has completed. */
  whenSynced(): Promise<void> {
    if (this.provider.isSynced) return Promise.resolve();
    return new Promise((resolve) => {
      const cb = (): void => {
        this.syncedListeners.delete(cb);
        resolve();
      };
      this.syncedListeners.add(cb);
    });
  }

  /** True when the server has acknowledged every local change sent so far. */
  hasUnsyncedChanges(): boolean {
    return this.provider.hasUnsyncedChanges;
  }

  destroy(): void {
    this.options.doc.off('update', this.onLocalUpdate);
    this.mirror.off('update', this.onMirrorUpdate);
    this.syncedListeners.clear();
    this.provider.destroy();
    this.socket.destroy();
    this.mirror.destroy();
  }
}
