import type { Clock } from '../time/index.js';
import type { CanFrame } from './can-frame.js';
import { CanLinkError, CanLinkUnavailableError } from './can-link.js';
import { LinkBase } from './link-base.js';

/** The part of the `socketcan` package's RawChannel we use. */
interface RawChannel {
  addListener(event: string, callback: CallableFunction): void;
  start(): void;
  stop(): void;
  send(message: { id: number; ext: boolean; rtr: boolean; data: Buffer }): void;
}

interface SocketcanModule {
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

/**
 * A Linux SocketCAN interface (`can0`) through the `socketcan` native package. Kept thin: the
 * kernel does queuing and arbitration. Where PF_CAN or the interface is missing (containers,
 * macOS, Windows, this CI machine) open() fails with CanLinkUnavailableError saying so.
 */
export class SocketCanLink extends LinkBase {
  private channel: RawChannel | undefined;

  constructor(
    private readonly iface: string,
    private readonly clock: Clock,
  ) {
    super(`socketcan:${iface}`);
  }

  async open(): Promise<void> {
    if (this.state !== 'closed') return;
    this.setState('opening');
    let mod: SocketcanModule;
    try {
      mod = await import('socketcan');
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
    channel?.stop();
    this.setState('closed');
    return Promise.resolve();
  }

  protected transmit(frame: CanFrame): void {
    if (!this.channel) throw new CanLinkError(`${this.name}: not open`);
    try {
      this.channel.send({
        id: frame.id,
        ext: frame.extended,
        rtr: false,
        data: Buffer.from(frame.data),
      });
      this.emit('sent', { ...frame, timestampMs: this.clock.wallNow() });
    } catch (error) {
      this.emitError(
        new CanLinkError(
          `${this.name}: send failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  private onMessage(msg: RawMessage): void {
    if (msg.err === true || msg.rtr) return;
    this.emit('frame', {
      id: msg.id,
      extended: msg.ext,
      data: Uint8Array.from(msg.data),
      timestampMs: this.clock.wallNow(),
    });
  }
}
