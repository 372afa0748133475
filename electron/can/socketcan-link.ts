import type { Clock } from '../time/index.js';
import { frameTimestampNow, type CanFrame } from './can-frame.js';
import { CanLinkError, CanLinkUnavailableError } from './can-link.js';
import { LinkBase } from './link-base.js';

/** The part of the `socketcan` package's RawChannel we use. */
export interface RawChannel {
  addListener(event: string, callback: CallableFunction): void;
  start(): void;
  stop(): void;
  /** With non_block_send the native send returns -1 instead of blocking when the queue is full. */
  send(message: { id: number; ext: boolean; rtr: boolean; data: Buffer }): number | undefined;
}

export interface SocketcanModule {
  createRawChannelWithOptions(
    channel: string,
    options: { timestamps?: boolean; non_block_send?: boolean },
  ): RawChannel;
}

interface RawMessage {
  id: number;
  ext: boolean;
  rtr: boolean;
  data: Buffer;
  err?: boolean;
}

/** Frames held while the kernel's transmit queue is full (an ETP window is 255 + 1 frames). */
const BACKLOG_LIMIT = 4096;
/** Retry interval while the kernel queue is full: about two frame times at 250 kbit/s. */
const RETRY_MS = 1;

const loadSocketcan = async (): Promise<SocketcanModule> =>
  (await import('socketcan')) as unknown as SocketcanModule;

/**
 * A Linux SocketCAN interface (`can0`) through the `socketcan` native package. Kept thin: the
 * kernel does arbitration. Sends never block the event loop: when the interface queue is full
 * (txqueuelen, 10 by default) frames wait in a bounded backlog, in order, and are retried.
 * Where PF_CAN or the interface is missing (containers, macOS, Windows, this CI machine)
 * open() fails with CanLinkUnavailableError saying so.
 */
export class SocketCanLink extends LinkBase {
  private channel: RawChannel | undefined;
  private backlog: CanFrame[] = [];
  private cancelRetry: (() => void) | undefined;

  constructor(
    private readonly iface: string,
    private readonly clock: Clock,
    private readonly load: () => Promise<SocketcanModule> = loadSocketcan,
  ) {
    super(`socketcan:${iface}`);
  }

  async open(): Promise<void> {
    if (this.state !== 'closed') return;
    this.setState('opening');
    let mod: SocketcanModule;
    try {
      mod = await this.load();
    } catch (error) {
      this.setState('closed');
      throw new CanLinkUnavailableError(
        `${this.name}: the socketcan package could not be loaded (${String(error)})`,
      );
    }
    try {
      const channel = mod.createRawChannelWithOptions(this.iface, {
        timestamps: false,
        non_block_send: true,
      });
      channel.addListener('onMessage', (msg: RawMessage) => this.onMessage(msg));
      channel.addListener('onStopped', () => this.setState('closed'));
      channel.start();
      this.channel = channel;
      this.setState('open');
    } catch (error) {
      this.setState('closed');
      throw new CanLinkUnavailableError(
        `${this.name}: cannot open SocketCAN interface '${this.iface}' (${error instanceof Error ? error.message : String(error)}). ` +
          'SocketCAN needs Linux with the can/can_raw kernel modules and the interface up (ip link set can0 up type can bitrate 250000); ' +
          'use virtual:<bus> or socketcand://host:port/can0 elsewhere.',
      );
    }
  }

  close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    this.backlog = [];
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    channel?.stop();
    this.setState('closed');
    return Promise.resolve();
  }

  /** Only our backlog can be withdrawn; frames in the kernel's queue are the kernel's. */
  override discardQueued(match: (frame: CanFrame) => boolean): number {
    const before = this.backlog.length;
    this.backlog = this.backlog.filter((frame) => !match(frame));
    return before - this.backlog.length;
  }

  /** Frames waiting for room in the kernel queue. */
  pendingTx(): number {
    return this.backlog.length;
  }

  protected transmit(frame: CanFrame): void {
    if (!this.channel) throw new CanLinkError(`${this.name}: not open`);
    if (this.backlog.length === 0 && this.trySend(frame)) return;
    if (this.backlog.length >= BACKLOG_LIMIT) {
      this.emitError(
        new CanLinkError(
          `${this.name}: transmit backlog full (${BACKLOG_LIMIT} frames), frame dropped`,
        ),
      );
      return;
    }
    this.backlog.push(frame);
    this.scheduleRetry();
  }

  private trySend(frame: CanFrame): boolean {
    const channel = this.channel;
    if (!channel) return false;
    let result: number | undefined;
    try {
      result = channel.send({
        id: frame.id,
        ext: frame.extended,
        rtr: false,
        data: Buffer.from(frame.data),
      });
    } catch (error) {
      this.emitError(
        new CanLinkError(
          `${this.name}: send failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return true; // a frame the driver rejects outright is not retried
    }
    if (result !== undefined && result < 0) return false;
    this.emit('sent', { ...frame, timestampMs: frameTimestampNow(this.clock) });
    return true;
  }

  private scheduleRetry(): void {
    if (this.cancelRetry) return;
    this.cancelRetry = this.clock.setTimer(RETRY_MS, () => {
      this.cancelRetry = undefined;
      while (this.backlog.length > 0) {
        const next = this.backlog[0];
        if (!next || !this.trySend(next)) break;
        this.backlog.shift();
      }
      if (this.backlog.length > 0) this.scheduleRetry();
    });
  }

  private onMessage(msg: RawMessage): void {
    if (msg.err === true || msg.rtr) return;
    this.emit('frame', {
      id: msg.id,
      extended: msg.ext,
      data: Uint8Array.from(msg.data),
      timestampMs: frameTimestampNow(this.clock),
    });
  }
}
