/**
 * The StationApi over a WebSocket (headless mode): every request is validated against the
 * shared schema; a bad one gets an error reply and the connection stays up.
 *
 * Roles (docs/roles.md): the `token` query parameter names the role; no token makes a viewer
 * (it sees what /api/state shows anyone and may stop, never more); an unknown token makes a
 * viewer too, told so in its session, so a stale link can still stop the fleet. Every command is
 * authorized here, before the station sees it, and carries its actor into the audit log.
 *
 * What one client may cost (the `ws` backpressure pattern): every snapshot it gets is the one
 * shared snapshot of this tick (snapshot-cache.ts); a client whose unsent data passes 1 MB is
 * skipped for state pushes until it drains, and one that passes 4 MB (it asks and never reads)
 * is dropped; a client sending more than 50 requests a second (100 in a burst) is closed with
 * 4429 — except that a stop is always carried out first. Drops are counted on /metrics.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_ALIVE_MS,
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
import { PeerLimiter, type PeerLimits, type RequestTarget } from '../sync/index.js';
import type { Clock } from '../time/index.js';
import type { StationSource } from './station-source.js';
import type { AccessTokens } from './access-tokens.js';
import { sessionFromRequest } from './bridge-session.js';
import { CommandTurns } from './command-turns.js';
import { errorText } from './http-answers.js';
import type { StationMetrics } from './metrics.js';
import type { SnapshotCache } from './snapshot-cache.js';

/** A client whose unsent data exceeds this is skipped for state events until it drains. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
export interface BridgeLimits {
  /** A client whose unsent data would exceed this is dropped: it asks and does not read. */
  readonly maxQueuedBytes: number;
  readonly requests: PeerLimits;
}

/**
 * Requests per client: the UI sends a snapshot request when it connects and a command per
 * click or replay seek; 50/s with bursts of 100 is far above that and far below a flood. A
 * snapshot at 20 tractors is a few hundred KB: 4 MB unsent is many of them, never read.
 */
export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxQueuedBytes: 4 * 1024 * 1024,
  requests: { maxMessageBytes: BRIDGE_MAX_MESSAGE_BYTES, messagesPerS: 50, burst: 100 },
};
/** Close code for a client over its request rate (4400–4499: as the sync endpoint's 4429). */
export const BRIDGE_CLOSE_RATE_LIMITED = 4429;
/** Over its rate, a message this small is still read: it may be a stop. */
const STOP_SCAN_BYTES = 4 * 1024;

interface Client {
  readonly session: Session;
  readonly byToken: boolean;
  readonly limiter: PeerLimiter;
}

export class BridgeSocket {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: BRIDGE_MAX_MESSAGE_BYTES,
  });
  private readonly unsubscribe: () => void;
  /** Who each open connection is, and whether a token (rather than none) made it so. */
  private readonly clients = new Map<WebSocket, Client>();
  /** Every page's commands, one per turn in the order they came. */
  private readonly turns = new CommandTurns();

  constructor(
    private readonly station: StationSource,
    private readonly metrics: StationMetrics,
    private readonly tokens: AccessTokens,
    private readonly log: (line: string) => void,
    private readonly snapshots: SnapshotCache,
    private readonly clock: Clock,
    private readonly limits: BridgeLimits = DEFAULT_BRIDGE_LIMITS,
  ) {
    const unsubscribe = station.subscribe((event) => this.broadcast(event));
    const alive = setInterval(() => this.sayAlive(), BRIDGE_ALIVE_MS);
    alive.unref();
    this.unsubscribe = () => {
      unsubscribe();
      clearInterval(alive);
    };
  }

  /** Every page hears from us even when the station publishes nothing (a paused replay). */
  private sayAlive(): void {
    const text = JSON.stringify({ op: 'alive' } satisfies BridgeResponse);
    for (const client of this.wss.clients)
      if (client.readyState === client.OPEN && client.bufferedAmount <= MAX_BUFFERED_BYTES)
        client.send(text);
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
    this.clients.set(socket, {
      session,
      byToken,
      limiter: new PeerLimiter(this.clock, this.limits.requests),
    });
    this.metrics.bridgeClients.set(this.wss.clients.size);
    socket.on('close', () => {
      this.clients.delete(socket);
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
    this.sendText(socket, stateEventText(this.snapshots.json()));
  }

  /** A rotated token no longer opens anything: its sessions end and must reconnect. */
  private endSessionsOf(role: Role): void {
    for (const [socket, { session, byToken }] of this.clients)
      if (byToken && session.role === role)
        socket.close(BRIDGE_CLOSE_UNKNOWN_TOKEN, 'token rotated');
  }

  private receive(socket: WebSocket, session: Session, text: string | null): void {
    const over = this.clients.get(socket)?.limiter.admit(text?.length ?? 0);
    if (over) {
      // Stopping is never withheld: a stop in the flood is carried out, then the client goes.
      if (text !== null && text.length <= STOP_SCAN_BYTES)
        this.executeIfStop(socket, session, text);
      this.metrics.bridgeDropped.inc({ reason: 'rate-limited' });
      socket.close(BRIDGE_CLOSE_RATE_LIMITED, 'too many requests');
      return;
    }
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
      this.sendText(socket, snapshotReplyText(req.id, this.snapshots.json()));
      return;
    }
    if (req.op === 'rotateToken') return this.rotate(socket, session, req);
    this.execute(socket, session, req);
  }

  private executeIfStop(socket: WebSocket, session: Session, text: string): void {
    const json = parseJson(text);
    const request = json.ok ? parseWith(bridgeRequestSchema, json.value) : null;
    if (!request?.ok || request.value.op !== 'command') return;
    const type = request.value.command.type;
    if (type === 'fleetStop' || type === 'tractorStop')
      this.execute(socket, session, request.value);
  }

  private execute(
    socket: WebSocket,
    session: Session,
    req: Extract<BridgeRequest, { op: 'command' }>,
  ): void {
    const { command } = req;
    if (!mayCommand(session.role, command)) {
      this.metrics.commands.inc({ type: command.type, result: 'forbidden' });
      const result = commandFailed('forbidden', forbiddenMessage(session.role, command.type));
      this.send(socket, { op: 'result', id: req.id, result });
      return;
    }
    const actor = formatActor(session);
    // STOP ALL goes to the safety core now, in this very read, ahead of the work of every
    // request read with it (their commands run after, one by one).
    if (command.type === 'fleetStop' && this.station.fastStop) {
      const result = this.station.fastStop(actor);
      this.metrics.commands.inc({
        type: command.type,
        result: result.ok ? 'ok' : result.error.code,
      });
      this.send(socket, { op: 'result', id: req.id, result });
      return;
    }
    // A command that throws (or rejects) is answered as failed and logged: it never ends the
    // station, and the client learns its fate.
    void this.turns
      .run(() => this.station.execute(command, actor))
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
    // Encoded once for every client (a 20-tractor snapshot is hundreds of KB).
    const text = Buffer.from(
      event.type === 'state'
        ? stateEventText(this.snapshots.jsonOf(event.snapshot))
        : JSON.stringify({ op: 'event', event } satisfies BridgeResponse),
    );
    let queued = 0;
    for (const client of this.wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      queued += client.bufferedAmount;
      if (event.type === 'state' && client.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      if (this.sendText(client, text))
        this.metrics.bridgeMessages.inc({ direction: 'out', outcome: 'sent' });
    }
    this.metrics.bridgeQueuedBytes.set(queued);
  }

  private send(socket: WebSocket, response: BridgeResponse): void {
    this.sendText(socket, JSON.stringify(response));
  }

  /** Sends (a text frame), or drops a client that would then hold more unsent data than it may. */
  private sendText(socket: WebSocket, text: string | Buffer): boolean {
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount + text.length > this.limits.maxQueuedBytes) {
      const who = this.clients.get(socket)?.session;
      this.log(
        `server: bridge client ${who ? formatActor(who) : '?'} dropped: ${socket.bufferedAmount} bytes unsent`,
      );
      this.metrics.bridgeDropped.inc({ reason: 'slow-consumer' });
      socket.terminate();
      return false;
    }
    socket.send(text, { binary: false });
    return true;
  }
}

/** `{op:'event', event:{type:'state', snapshot}}` around snapshot JSON already made. */
function stateEventText(snapshotJson: string): string {
  return `{"op":"event","event":{"type":"state","snapshot":${snapshotJson}}}`;
}

/** `{op:'snapshot', id, snapshot}` around snapshot JSON already made. */
function snapshotReplyText(id: number, snapshotJson: string): string {
  return `{"op":"snapshot","id":${id},"snapshot":${snapshotJson}}`;
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
