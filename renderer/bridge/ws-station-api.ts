/**
 * The StationApi over the headless server's WebSocket. Requests are answered by id; events are
 * fanned out to subscribers; every message from the server is validated against the shared
 * schema. The socket reconnects on its own, and a fresh snapshot arrives on every reconnect —
 * except after a refusal of its token (4401), which reconnecting would only repeat.
 */
import {
  BRIDGE_CLOSE_UNKNOWN_TOKEN,
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
const REQUEST_TIMEOUT_MS = 5_000;

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void; timer: number };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WsStationHooks {
  onConnection?: (state: ConnectionState) => void;
  /** Who the station takes this client to be; sent first on every connection. */
  onSession?: (session: Session) => void;
  /** The station refused the token; the socket stays closed. */
  onRefused?: (reason: string) => void;
}

export class WsStationApi implements StationApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly queue: string[] = [];
  private disposed = false;

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
      this.hooks.onConnection?.('open');
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(message.data);
    };
    socket.onclose = (event) => {
      this.hooks.onConnection?.('closed');
      if (event.code === BRIDGE_CLOSE_UNKNOWN_TOKEN) {
        this.disposed = true;
        this.hooks.onRefused?.(event.reason || 'the station refused this page');
        return;
      }
      if (!this.disposed) window.setTimeout(() => this.open(), RECONNECT_MS);
    };
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
