import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Clock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import type { CanLink } from './can-link.js';
import {
  formatSocketcandFrame,
  parseSocketcandSend,
  SocketcandParser,
  SocketcandProtocolError,
} from './socketcand-protocol.js';

export interface SocketcandServerOptions {
  /** The link the server exposes; give it a node of its own on a virtual bus. */
  link: CanLink;
  /** The bus name clients must `open`, e.g. `can0`. */
  bus: string;
  clock: Clock;
  /** Most clients at once; further connections get `< error >` and are closed. */
  maxClients?: number;
}

type ClientMode = 'no-bus' | 'bcm' | 'raw';

interface Client {
  readonly socket: Socket;
  readonly parser: SocketcandParser;
  mode: ClientMode;
}

const DEFAULT_MAX_CLIENTS = 64;
/** A client that lets this much output pile up is too slow for the bus and is dropped. */
const MAX_CLIENT_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * A socketcand-compatible server (raw mode) in front of any CanLink, so other processes and
 * standard tools (python-can, cannelloni-style bridges, socketcand clients) join the bus. Like
 * the daemon, each client behaves as its own CAN socket: it sees frames from the bus and from
 * the other clients, never its own. Broadcast-manager commands are answered with an error.
 */
export class SocketcandServer {
  private server: Server | undefined;
  private readonly clients = new Set<Client>();
  private offFrame: (() => void) | undefined;

  constructor(private readonly options: SocketcandServerOptions) {}

  /** Starts listening; resolves to the bound port (pass 0 for an ephemeral one). */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.server) throw new Error('socketcand server already listening');
    if (this.options.link.state === 'closed') await this.options.link.open();
    this.offFrame = this.options.link.on('frame', (frame) => this.broadcast(frame, undefined));
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  clientCount(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    this.offFrame?.();
    this.offFrame = undefined;
    for (const client of this.clients) client.socket.destroy();
    this.clients.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    if (this.clients.size >= (this.options.maxClients ?? DEFAULT_MAX_CLIENTS)) {
      socket.end('< error too many clients >');
      return;
    }
    const client: Client = { socket, parser: new SocketcandParser(), mode: 'no-bus' };
    this.clients.add(client);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.clients.delete(client));
    socket.on('data', (chunk: string) => {
      try {
        for (const words of client.parser.feed(chunk)) this.onMessage(client, words);
      } catch (error) {
        this.reply(client, `< error ${messageOf(error)} >`);
      }
    });
    // The greeting is sent alone (issue 4, "facts checked"; socketcand state_nobus).
    socket.write('< hi >');
  }

  private onMessage(client: Client, words: readonly string[]): void {
    const [word, ...args] = words;
    if (word === 'echo') return this.reply(client, '< echo >');
    switch (client.mode) {
      case 'no-bus':
        if (word !== 'open') return this.reply(client, '< error expected open >');
        if (args[0] !== this.options.bus)
          return this.reply(client, `< error could not open bus '${args[0] ?? ''}' >`);
        client.mode = 'bcm';
        return this.reply(client, '< ok >');
      case 'bcm':
        if (word === 'rawmode') {
          client.mode = 'raw';
          return this.reply(client, '< ok >');
        }
        if (word === 'bcmmode') return this.reply(client, '< ok >');
        return this.reply(
          client,
          `< error broadcast manager command '${word ?? ''}' is not supported, use rawmode >`,
        );
      case 'raw':
        if (word === 'bcmmode') {
          client.mode = 'bcm';
          return this.reply(client, '< ok >');
        }
        if (word !== 'send')
          return this.reply(client, `< error unknown command '${word ?? ''}' in raw mode >`);
        return this.forward(client, parseSocketcandSend(args));
    }
  }

  private forward(from: Client, frame: CanFrame): void {
    const link = this.options.link;
    if (link.state !== 'open')
      throw new SocketcandProtocolError(`bus ${this.options.bus} is ${link.state}`);
    link.send(frame);
    this.broadcast(frame, from);
  }

  private broadcast(frame: CanFrame, except: Client | undefined): void {
    const text = formatSocketcandFrame(frame, frame.timestampMs ?? this.options.clock.wallNow());
    for (const client of this.clients) {
      if (client === except || client.mode !== 'raw') continue;
      if (client.socket.writableLength > MAX_CLIENT_BACKLOG_BYTES) {
        client.socket.destroy(); // never let one stalled reader grow the station's memory
        this.clients.delete(client);
        continue;
      }
      client.socket.write(text);
    }
  }

  private reply(client: Client, text: string): void {
    client.socket.write(text);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[<>]/g, '');
}
