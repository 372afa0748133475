import { connect, type Socket } from 'node:net';
import type { Clock } from '../time/index.js';
import { frameTimestampNow, type CanFrame } from './can-frame.js';
import { CanLinkError, CanLinkUnavailableError } from './can-link.js';
import { LinkBase } from './link-base.js';
import { corkUntilNextTick } from './socket-batching.js';
import {
  formatSocketcandSend,
  parseSocketcandFrame,
  SocketcandParser,
  SocketcandProtocolError,
} from './socketcand-protocol.js';

export interface SocketcandLinkOptions {
  host: string;
  port: number;
  /** The bus name the server exposes, e.g. `can0`. */
  bus: string;
  clock: Clock;
  /** How long the greeting/open/rawmode handshake may take. */
  handshakeTimeoutMs?: number;
}

type Phase = 'greeting' | 'opening' | 'raw-request' | 'raw';

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
/** How long close() waits for written frames to reach the network before it cuts the socket. */
const CLOSE_FLUSH_MS = 1000;

/**
 * A CanLink to a socketcand server in raw mode: wait for `< hi >`, send `< open BUS >`, expect
 * `< ok >`, send `< rawmode >`, expect `< ok >`; afterwards frames flow both ways. A successful
 * `send` gets no reply; `< error ... >` is reported through the error event.
 */
export class SocketcandLink extends LinkBase {
  private socket: Socket | undefined;
  private readonly parser = new SocketcandParser();
  private phase: Phase = 'greeting';

  constructor(private readonly options: SocketcandLinkOptions) {
    super(`socketcand://${options.host}:${options.port}/${options.bus}`);
  }

  open(): Promise<void> {
    if (this.state !== 'closed') return Promise.resolve();
    this.setState('opening');
    this.phase = 'greeting';
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: CanLinkError): void => {
        if (settled) return;
        settled = true;
        cancel();
        this.teardown();
        reject(error);
      };
      const cancel = this.options.clock.setTimer(
        this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        () => fail(new CanLinkUnavailableError(`${this.name}: socketcand handshake timed out`)),
      );
      const socket = connect({ host: this.options.host, port: this.options.port });
      this.socket = socket;
      socket.setEncoding('latin1');
      socket.setNoDelay(true);
      socket.on('error', (err) => {
        const error = new CanLinkUnavailableError(`${this.name}: ${err.message}`);
        if (!settled) fail(error);
        else this.emitError(error);
      });
      socket.on('close', () => {
        if (!settled)
          fail(new CanLinkUnavailableError(`${this.name}: connection closed during handshake`));
        else if (this.state !== 'closed' && this.state !== 'closing') {
          this.emitError(new CanLinkError(`${this.name}: connection closed by the server`));
          this.teardown();
        }
      });
      socket.on('data', (chunk: string) => {
        try {
          for (const words of this.parser.feed(chunk)) {
            const ready = this.onMessage(words);
            if (ready && !settled) {
              settled = true;
              cancel();
              this.setState('open');
              resolve();
            }
          }
        } catch (error) {
          const wrapped = new CanLinkError(
            `${this.name}: ${error instanceof Error ? error.message : String(error)}`,
          );
          if (!settled) fail(wrapped);
          else this.emitError(wrapped);
        }
      });
    });
  }

  /** Closes after the frames already sent have been handed to the network (they are not lost). */
  async close(): Promise<void> {
    const socket = this.socket;
    if (socket && !socket.destroyed && socket.writable) {
      this.setState('closing');
      await new Promise<void>((resolve) => {
        const cancel = this.options.clock.setTimer(CLOSE_FLUSH_MS, resolve);
        socket.end(() => {
          cancel();
          resolve();
        });
      });
    }
    this.teardown();
  }

  protected transmit(frame: CanFrame): void {
    const socket = this.socket;
    if (!socket || this.phase !== 'raw') throw new CanLinkError(`${this.name}: not in raw mode`);
    corkUntilNextTick(socket);
    socket.write(formatSocketcandSend(frame));
    this.emit('sent', { ...frame, timestampMs: frameTimestampNow(this.options.clock) });
  }

  /** Handles one message; true when the handshake has just completed. */
  private onMessage(words: readonly string[]): boolean {
    const [word, ...args] = words;
    if (word === 'error') throw new SocketcandProtocolError(`server error: ${args.join(' ')}`);
    switch (this.phase) {
      case 'greeting':
        if (word !== 'hi')
          throw new SocketcandProtocolError(`expected < hi >, got < ${words.join(' ')} >`);
        this.write(`< open ${this.options.bus} >`);
        this.phase = 'opening';
        return false;
      case 'opening':
        if (word !== 'ok')
          throw new SocketcandProtocolError(
            `open ${this.options.bus} refused: < ${words.join(' ')} >`,
          );
        this.write('< rawmode >');
        this.phase = 'raw-request';
        return false;
      case 'raw-request':
        if (word !== 'ok')
          throw new SocketcandProtocolError(`rawmode refused: < ${words.join(' ')} >`);
        this.phase = 'raw';
        return true;
      case 'raw':
        if (word === 'frame') this.emit('frame', parseSocketcandFrame(args));
        return false;
    }
  }

  private write(text: string): void {
    this.socket?.write(text);
  }

  private teardown(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.phase = 'greeting';
    socket?.removeAllListeners('data');
    socket?.destroy();
    this.setState('closed');
  }
}
