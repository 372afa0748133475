/**
 * The StationApi over a WebSocket (headless mode): every request is validated against the
 * shared schema; a bad one gets an error reply and the connection stays up. Events are pushed
 * to every client; a client that cannot keep up is skipped for that event, not queued forever.
 *
 * Roles (docs/roles.md): the `token` query parameter names the role; no token makes a viewer
 * (it sees what /api/state shows anyone and may stop, never more); an unknown token is closed
 * with 4401 so a mistyped operator link does not silently become a viewer. Every command is
 * authorized here, before the station sees it, and carries its actor into the audit log.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_CLOSE_UNKNOWN_TOKEN,
  BRIDGE_MAX_MESSAGE_BYTES,
  bridgeRequestSchema,
  commandFailed,
  forbiddenMessage,
  formatActor,
  mayAdminister,
  mayCommand,
  parseJson,
  parseWith,
  type BridgeRequest,
  type BridgeResponse,
  type Role,
  type Session,
  type StationEvent,
} from '../../shared/index.js';
import type { RequestTarget } from '../sync/index.js';
import type { StationSource } from './station-source.js';
import type { AccessTokens } from './access-tokens.js';
import { sessionFromRequest } from './bridge-session.js';
import type { StationMetrics } from './metrics.js';

/** A client whose unsent data exceeds this is skipped for state events until it drains. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export class BridgeSocket {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: BRIDGE_MAX_MESSAGE_BYTES,
  });
  private readonly unsubscribe: () => void;
  /** Who each open connection is, and whether a token (rather than none) made it so. */
  private readonly sessions = new Map<WebSocket, { session: Session; byToken: boolean }>();

  constructor(
    private readonly station: StationSource,
    private readonly metrics: StationMetrics,
    private readonly tokens: AccessTokens,
    private readonly log: (line: string) => void,
  ) {
    this.unsubscribe = station.subscribe((event) => this.broadcast(event));
  }

  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    target: RequestTarget,
  ): void {
    const found = sessionFromRequest(target.params, this.tokens);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (!found.ok) {
        ws.close(BRIDGE_CLOSE_UNKNOWN_TOKEN, found.reason);
        return;
      }
      this.accept(ws, found.session, found.byToken);
    });
  }

  clientCount(): number {
    return this.wss.clients.size;
  }

  close(): void {
    this.unsubscribe();
    for (const client of this.wss.clients) client.close(1001, 'station shutting down');
    this.wss.close();
  }

  private accept(socket: WebSocket, session: Session, byToken: boolean): void {
    this.sessions.set(socket, { session, byToken });
    this.metrics.bridgeClients.set(this.wss.clients.size);
    socket.on('close', () => {
      this.sessions.delete(socket);
      this.metrics.bridgeClients.set(this.wss.clients.size);
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => {
      try {
        this.receive(socket, session, isBinary ? null : rawToText(data));
      } catch (err) {
        // One request that cannot be served is answered as such; the station carries on.
        this.log(`server: bridge request from ${formatActor(session)} failed: ${errorText(err)}`);
        this.send(socket, {
          op: 'error',
          id: null,
          message: 'the station could not serve this request',
        });
      }
    });
    this.send(socket, { op: 'session', session });
    this.send(socket, { op: 'event', event: { type: 'state', snapshot: this.station.snapshot() } });
  }

  /** A rotated token no longer opens anything: its sessions end and must reconnect. */
  private endSessionsOf(role: Role): void {
    for (const [socket, { session, byToken }] of this.sessions)
      if (byToken && session.role === role)
        socket.close(BRIDGE_CLOSE_UNKNOWN_TOKEN, 'token rotated');
  }

  private receive(socket: WebSocket, session: Session, text: string | null): void {
    const reject = (id: number | null, message: string): void => {
      this.metrics.bridgeMessages.inc({ direction: 'in', outcome: 'rejected' });
      this.send(socket, { op: 'error', id, message });
    };
    if (text === null) return reject(null, 'binary messages are not part of the bridge protocol');
    const json = parseJson(text);
    if (!json.ok) return reject(null, json.error);
    const request = parseWith(bridgeRequestSchema, json.value);
    if (!request.ok) return reject(readId(json.value), `invalid request: ${request.error}`);
    this.metrics.bridgeMessages.inc({ direction: 'in', outcome: 'accepted' });
    const req = request.value;
    if (req.op === 'snapshot') {
      this.send(socket, { op: 'snapshot', id: req.id, snapshot: this.station.snapshot() });
      return;
    }
    if (req.op === 'rotateToken') return this.rotate(socket, session, req);
    if (!mayCommand(session.role, req.command)) {
      this.metrics.commands.inc({ type: req.command.type, result: 'forbidden' });
      const result = commandFailed('forbidden', forbiddenMessage(session.role, req.command.type));
      this.send(socket, { op: 'result', id: req.id, result });
      return;
    }
    const { command } = req;
    const actor = formatActor(session);
    // A command that throws (or rejects) is answered as failed and logged: it never ends the
    // station, and the client learns its fate.
    void Promise.resolve()
      .then(() => this.station.execute(command, actor))
      .catch((err: unknown) => {
        this.log(`server: ${command.type} by ${actor} failed: ${errorText(err)}`);
        return commandFailed('unavailable', `the station could not carry out ${command.type}`);
      })
      .then((result) => {
        this.metrics.commands.inc({
          type: command.type,
          result: result.ok ? 'ok' : result.error.code,
        });
        this.send(socket, { op: 'result', id: req.id, result });
      })
      .catch((err: unknown) =>
        this.log(`server: answering ${command.type} failed: ${errorText(err)}`),
      );
  }

  private rotate(
    socket: WebSocket,
    session: Session,
    req: Extract<BridgeRequest, { op: 'rotateToken' }>,
  ): void {
    if (!mayAdminister(session.role)) {
      const result = commandFailed('forbidden', forbiddenMessage(session.role, 'rotateToken'));
      this.send(socket, { op: 'result', id: req.id, result });
      return;
    }
    const token = this.tokens.rotate(req.role);
    this.log(`server: ${req.role} token rotated by ${formatActor(session)}`);
    // Answer first: rotating the admin's own token ends this very session.
    this.send(socket, { op: 'token', id: req.id, role: req.role, token });
    this.endSessionsOf(req.role);
  }

  private broadcast(event: StationEvent): void {
    const text = JSON.stringify({ op: 'event', event } satisfies BridgeResponse);
    for (const client of this.wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      if (event.type === 'state' && client.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      client.send(text);
      this.metrics.bridgeMessages.inc({ direction: 'out', outcome: 'sent' });
    }
  }

  private send(socket: WebSocket, response: BridgeResponse): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(response));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function rawToText(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data))
    return Buffer.concat(data.filter((d): d is Buffer => Buffer.isBuffer(d))).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return '';
}

function readId(value: unknown): number | null {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = value.id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return null;
}
