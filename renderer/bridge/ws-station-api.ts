/**
 * The StationApi over the headless server's WebSocket. Requests are answered by id; events are
 * fanned out to subscribers; every message from the server is validated against the shared
 * schema. The socket reconnects on its own, and a fresh snapshot arrives on every reconnect. The
 * bridge says it is alive four times a second, so a connection that has carried nothing for
 * STALE_MS is taken for lost (a cable pulled or a station frozen sends no close) and opened
 * anew: a page never shows the fleet stop armed on a connection that cannot carry it.
 */
import {
  BRIDGE_PATH,
  bridgeResponseSchema,
  parseJson,
  parseWith,
  type BridgeRequest,
  type Command,
  type CommandResult,
  type Session,
  type StationApi,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';
import { credentialQuery, pageCredentials } from './page-token.js';

const RECONNECT_MS = 1_000;
/**
 * The bridge says it is alive every 250 ms: three missed in a row mean the connection is gone,
 * so a page shows it cannot stop the fleet within a second of losing the station.
 */
export const STALE_MS = 750;
const STALE_CHECK_MS = 100;
const REQUEST_TIMEOUT_MS = 5_000;

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void; timer: number };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WsStationHooks {
  onConnection?: (state: ConnectionState) => void;
  /** Who the station takes this client to be; sent first on every connection. */
  onSession?: (session: Session) => void;
}

export class WsStationApi implements StationApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly queue: string[] = [];
  private disposed = false;
  private lastHeardMs = 0;
  private staleTimer: number | undefined;

  constructor(
    private readonly url: string,
    private readonly hooks: WsStationHooks = {},
  ) {
    this.open();
  }

  /** The bridge of the page's own server, with the page's role token (page-token.ts). */
  static forPage(hooks?: WsStationHooks): WsStationApi {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = credentialQuery(pageCredentials());
    return new WsStationApi(`${scheme}//${window.location.host}${BRIDGE_PATH}${query}`, hooks);
  }

  async snapshot(): Promise<StationSnapshot> {
    return (await this.request({ op: 'snapshot', id: this.nextId++ })) as StationSnapshot;
  }

  async command(command: Command): Promise<CommandResult> {
    return (await this.request({ op: 'command', id: this.nextId++, command })) as CommandResult;
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    window.clearInterval(this.staleTimer);
    this.socket?.close();
  }

  private request(request: BridgeRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(request.id);
        reject(new Error('the station did not answer in time'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(request.id, { resolve, reject, timer });
      const text = JSON.stringify(request);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  private open(): void {
    if (this.disposed) return;
    this.hooks.onConnection?.('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeardMs = performance.now();
      this.hooks.onConnection?.('open');
      for (const text of this.queue.splice(0)) socket.send(text);
      this.watchForStale(socket);
    };
    socket.onmessage = (message) => {
      this.lastHeardMs = performance.now();
      if (typeof message.data === 'string') this.receive(message.data);
    };
    // A rotated token (4401) reconnects too: the station then takes the page for a viewer.
    socket.onclose = () => this.lost(socket);
  }

  /** The socket is gone (closed, or silent past STALE_MS): say so at once and open another. */
  private lost(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    window.clearInterval(this.staleTimer);
    socket.onclose = null;
    socket.onmessage = null;
    if (socket.readyState === WebSocket.OPEN) socket.close();
    this.hooks.onConnection?.('closed');
    if (!this.disposed) window.setTimeout(() => this.open(), RECONNECT_MS);
  }

  private watchForStale(socket: WebSocket): void {
    window.clearInterval(this.staleTimer);
    this.staleTimer = window.setInterval(() => {
      if (performance.now() - this.lastHeardMs > STALE_MS) this.lost(socket);
    }, STALE_CHECK_MS);
  }

  private receive(text: string): void {
    const json = parseJson(text);
    const parsed = json.ok ? parseWith(bridgeResponseSchema, json.value) : json;
    if (!parsed.ok) {
      console.warn(`bridge: ignored a malformed message (${parsed.error})`);
      return;
    }
    const response = parsed.value;
    if (response.op === 'event') {
      for (const listener of this.listeners) listener(response.event);
      return;
    }
    if (response.op === 'alive') return;
    if (response.op === 'session') {
      this.hooks.onSession?.(response.session);
      return;
    }
    if (response.id === null) {
      console.warn(`bridge: station reported: ${response.op === 'error' ? response.message : ''}`);
      return;
    }
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    window.clearTimeout(pending.timer);
    if (response.op === 'snapshot') pending.resolve(response.snapshot);
    else if (response.op === 'result') pending.resolve(response.result);
    else if (response.op === 'token') pending.resolve(response.token);
    else pending.reject(new Error(response.message));
  }
}
