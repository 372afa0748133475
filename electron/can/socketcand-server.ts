import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Clock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import type { CanLink } from './can-link.js';
import { parseSocketcandSend, SocketcandParser } from './socketcand-protocol.js';
import { SocketcandSession, type SocketcandRefusal } from './socketcand-session.js';

export type { SocketcandRefusal } from './socketcand-session.js';

/** Where each client's CAN socket comes from: a VirtualBus satisfies it. */
export interface SocketcandMedium {
  /**
   * A node of its own on the bus for one client (which is in another process); the frames the
   * bus delivers to it go to `relay`, in batches, when they leave the process.
   */
  createNode(name: string, options: { relay: (frames: readonly CanFrame[]) => void }): CanLink;
  /** Takes a client's node off the bus once the client left and its queue drained. */
  removeNode(node: CanLink): void;
}

export interface SocketcandServerOptions {
  /** The bus the clients join; every client gets a node of its own on it. */
  medium: SocketcandMedium;
  /** The bus name clients must `open`, e.g. `can0`. */
  bus: string;
  clock: Clock;
  /** Most clients at once; further connections get `< error >` and are closed. */
  maxClients?: number;
  /** Refusals and dropped clients, one line each (counted in stats() as well). */
  log?: (line: string) => void;
}

export interface SocketcandServerStats {
  readonly clients: number;
  /** Frames taken from clients onto the bus. */
  readonly framesIn: number;
  /** Frames written to clients as the bus delivered them. */
  readonly framesOut: number;
  readonly refused: Readonly<Record<SocketcandRefusal, number>>;
}

type ClientMode = 'no-bus' | 'bcm' | 'raw';

interface Client {
  readonly socket: Socket;
  readonly parser: SocketcandParser;
  readonly peer: string;
  mode: ClientMode;
  session: SocketcandSession | undefined;
}

const DEFAULT_MAX_CLIENTS = 64;

/**
 * A socketcand-compatible server (raw mode) on a bus, so other processes and standard tools
 * (python-can, socketcand clients) join it. As with the daemon, each client is its own CAN
 * socket: here a node of its own on the bus, so its frames take part in arbitration, take their
 * wire time, meet the bus's faults and reach captures, and every other client and node gets
 * them only when the bus delivers them. A frame the server cannot take is refused visibly (an
 * `< error >` reply, a log line, a count in stats()). Broadcast-manager commands get an error.
 */
export class SocketcandServer {
  private server: Server | undefined;
  private readonly clients = new Set<Client>();
  private nextClient = 1;
  private framesIn = 0;
  private framesOut = 0;
  private readonly refused: Record<SocketcandRefusal, number> = {
    malformed: 0,
    'bus-off': 0,
    disconnected: 0,
    'slow-reader': 0,
    'too-many-clients': 0,
  };

  constructor(private readonly options: SocketcandServerOptions) {}

  /** Starts listening; resolves to the bound port (pass 0 for an ephemeral one). */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.server) throw new Error('socketcand server already listening');
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

  stats(): SocketcandServerStats {
    return {
      clients: this.clients.size,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      refused: { ...this.refused },
    };
  }

  async close(): Promise<void> {
    for (const client of this.clients) {
      client.session?.close();
      client.socket.destroy();
    }
    this.clients.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private accept(socket: Socket): void {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (this.clients.size >= (this.options.maxClients ?? DEFAULT_MAX_CLIENTS)) {
      this.refused['too-many-clients']++;
      this.log(`socketcand: ${peer}: refused (too many clients, ${this.clients.size} connected)`);
      socket.end('< error too many clients >');
      return;
    }
    const client: Client = {
      socket,
      parser: new SocketcandParser(),
      peer,
      mode: 'no-bus',
      session: undefined,
    };
    this.clients.add(client);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.clients.delete(client);
      client.session?.close();
    });
    socket.on('data', (chunk: string) => {
      let messages: string[][];
      try {
        messages = client.parser.feed(chunk);
      } catch (error) {
        this.reply(client, `< error ${messageOf(error)} >`);
        return;
      }
      for (const words of messages) {
        try {
          this.onMessage(client, words);
        } catch (error) {
          client.session?.refuse('malformed', 1, messageOf(error));
          this.reply(client, `< error ${messageOf(error)} >`);
        }
      }
      client.session?.chunkDone();
    });
    // The greeting is sent alone, as the daemon does in its no-bus state.
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
        client.session = this.openSession(client);
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
        return client.session?.send(parseSocketcandSend(args));
    }
  }

  private openSession(client: Client): SocketcandSession {
    const { medium, clock } = this.options;
    // The bus hands frames over only after the turn that opened the node: the session exists.
    const node = medium.createNode(`socketcand-${this.nextClient++}`, {
      relay: (frames) => session.deliver(frames),
    });
    void node.open();
    const session = new SocketcandSession(
      client.socket,
      node,
      client.peer,
      {
        clock,
        refused: (reason, count) => (this.refused[reason] += count),
        accepted: () => this.framesIn++,
        delivered: (count) => (this.framesOut += count),
        log: (line) => this.log(line),
        release: (n) => {
          medium.removeNode(n);
          void n.close();
        },
      },
      () => client.mode === 'raw',
    );
    return session;
  }

  private reply(client: Client, text: string): void {
    if (!client.socket.destroyed) client.socket.write(text);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[<>]/g, '');
}
