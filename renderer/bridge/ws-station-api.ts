/**
 * The StationApi over the headless server's WebSocket. Requests are answered by id; events are
 * fanned out to subscribers; every message from the server is validated against the shared
 * schema. The socket reconnects on its own, and a fresh snapshot arrives on every reconnect.
 */
import {
  BRIDGE_PATH,
  bridgeResponseSchema,
  parseJson,
  parseWith,
  type BridgeRequest,
  type Command,
  type CommandResult,
  type StationApi,
  type StationEvent,
  type StationSnapshot,
} from '../../shared/index.js';

const RECONNECT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 5_000;

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void; timer: number };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class WsStationApi implements StationApi {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly queue: string[] = [];
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly onConnection: (state: ConnectionState) => void = () => undefined,
  ) {
    this.open();
  }

  static forPage(onConnection?: (state: ConnectionState) => void): WsStationApi {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new WsStationApi(`${scheme}//${window.location.host}${BRIDGE_PATH}`, onConnection);
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
    this.onConnection('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.onConnection('open');
      for (const text of this.queue.splice(0)) socket.send(text);
    };
    socket.onmessage = (message) => {
      if (typeof message.data === 'string') this.receive(message.data);
    };
    socket.onclose = () => {
      this.onConnection('closed');
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
    else pending.reject(new Error(response.message));
  }
}
