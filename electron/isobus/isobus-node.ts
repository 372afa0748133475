import type { CanFrame, CanLink } from '../can/index.js';
import { seededRandom, type Clock, type Random } from '../time/index.js';
import { AddressClaimer, type ClaimCause, type ClaimState } from './address-claim.js';
import {
  DEFAULT_PRIORITY,
  GLOBAL_ADDRESS,
  MAX_UNICAST_ADDRESS,
  NULL_ADDRESS,
  toCanFrame,
  toPgnFrame,
  type PgnFrame,
} from './identifier.js';
import { encodeName, type IsoNameFields } from './iso-name.js';
import { PGN } from './pgn-registry.js';
import { ACK_CONTROL, decodeRequest, encodeAcknowledgement, encodeRequest } from './request-ack.js';
import {
  TransportProtocol,
  type IsobusMessage,
  type SessionEndInfo,
  type TransportResult,
} from './transport-protocol.js';
import type { TransportConfig } from './transport-session.js';

export interface IsobusNodeOptions {
  readonly link: CanLink;
  readonly clock: Clock;
  /** The NAME as fields or as its 64-bit value. */
  readonly name: IsoNameFields | bigint;
  readonly preferredAddress: number;
  /** Seeds the pseudo-random claim delay; defaults to one derived from the NAME. */
  readonly random?: Random;
  readonly transport?: Partial<TransportConfig>;
}

export interface SendOptions {
  readonly destination?: number;
  readonly priority?: number;
}

/** What a request responder returns: data to send back, or a NACK/denial. */
export type RequestAnswer = Uint8Array | 'nack' | 'access-denied' | 'cannot-respond';

export class IsobusError extends Error {
  override readonly name: string = 'IsobusError';
}

export class CannotClaimError extends IsobusError {
  override readonly name = 'CannotClaimError';
}

export class TransportAbortError extends IsobusError {
  override readonly name = 'TransportAbortError';
  constructor(
    readonly reason: number,
    readonly byPeer: boolean,
    pgn: number,
  ) {
    super(
      `transfer of PGN 0x${pgn.toString(16)} aborted ${byPeer ? 'by the peer' : 'locally'} (reason ${reason})`,
    );
  }
}

type Listener<T> = (value: T) => void;

/** A claim state change; `lostAddress` is set when it ended our use of a claimed address. */
export interface ClaimChange {
  readonly state: ClaimState;
  readonly address: number;
  readonly cause: ClaimCause;
  readonly lostAddress?: number;
}

/** The J1939 source address of an extended frame (its low byte); undefined for 11-bit frames. */
function sourceOf(frame: CanFrame): number | undefined {
  return frame.extended ? frame.id & 0xff : undefined;
}

/** Withdraws the frames from `address` still queued in `link`; returns how many. */
export function discardFramesFrom(link: CanLink, address: number): number {
  return link.discardQueued((frame) => sourceOf(frame) === address);
}

/**
 * One ISO 11783 control function on a CanLink: claims an address (ISO 11783-5), packets large
 * messages with TP/ETP, answers requests, and hands whole messages to its listeners. The fleet
 * link builds on send()/onMessage(). It owns the single timer that drives its engines.
 */
export class IsobusNode {
  readonly name: bigint;
  private readonly link: CanLink;
  private readonly clock: Clock;
  private readonly claimer: AddressClaimer;
  private readonly transport: TransportProtocol;
  private readonly messageListeners = new Set<Listener<IsobusMessage>>();
  private readonly stateListeners = new Set<Listener<ClaimChange>>();
  private readonly sessionListeners = new Set<Listener<SessionEndInfo>>();
  private readonly responders = new Map<
    number,
    (request: IsobusMessage) => RequestAnswer | undefined
  >();
  private offLink: (() => void) | undefined;
  private cancelTimer: (() => void) | undefined;
  private timerDueMs = Infinity;
  private running = false;
  /** The address we hold, once the claim completed; undefined while we have none. */
  private held: number | undefined;

  constructor(options: IsobusNodeOptions) {
    this.link = options.link;
    this.clock = options.clock;
    this.name = typeof options.name === 'bigint' ? options.name : encodeName(options.name);
    this.claimer = new AddressClaimer({
      name: this.name,
      preferredAddress: options.preferredAddress,
      send: (f) => this.sendFrame(f),
      clock: this.clock,
      random: options.random ?? seededRandom(Number(this.name & 0xffffffffn)),
      onChange: (state, address, cause) => this.onClaimChange(state, address, cause),
    });
    this.transport = new TransportProtocol({
      clock: this.clock,
      send: (f) => this.sendFrame(f),
      onMessage: (m) => this.deliver(m),
      onSessionEnd: (info) => {
        for (const l of [...this.sessionListeners]) l(info);
      },
      ...(options.transport ? { config: options.transport } : {}),
    });
  }

  get state(): ClaimState {
    return this.claimer.state;
  }

  /** The claimed address, or undefined before the claim completes. */
  get address(): number | undefined {
    return this.claimer.state === 'claimed' ? this.claimer.address : undefined;
  }

  /** Opens the link if needed and starts the address claim; resolves with the address. */
  async start(): Promise<number> {
    if (this.link.state === 'closed') await this.link.open();
    if (!this.running) {
      this.running = true;
      this.offLink = this.link.on('frame', (f) => this.onFrame(f));
      this.claimer.start();
      this.reschedule();
    }
    return this.whenClaimed();
  }

  /** Resolves when the address is claimed; rejects with CannotClaimError if it cannot be. */
  whenClaimed(): Promise<number> {
    if (this.claimer.state === 'claimed') return Promise.resolve(this.claimer.address);
    return new Promise<number>((resolve, reject) => {
      const off = this.onStateChange(({ state, address }) => {
        if (state === 'claimed') {
          off();
          resolve(address);
        } else if (state === 'cannot-claim') {
          off();
          reject(
            new CannotClaimError(`no address could be claimed for NAME ${this.name.toString(16)}`),
          );
        }
      });
    });
  }

  /** Stops taking part (sessions are aborted); the link stays open for its owner to close. */
  stop(): void {
    this.running = false;
    this.transport.reset();
    this.offLink?.();
    this.offLink = undefined;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerDueMs = Infinity;
  }

  /**
   * Sends a message: one frame up to 8 bytes, else TP (BAM when global, CMDT up to 1785 bytes)
   * or ETP. Resolves when the transfer completed (EoMA received, or last BAM packet sent).
   */
  send(pgn: number, data: Uint8Array, options: SendOptions = {}): Promise<void> {
    const source = this.address;
    if (source === undefined)
      return Promise.reject(
        new IsobusError(
          `cannot send PGN 0x${pgn.toString(16)}: no address claimed (${this.state})`,
        ),
      );
    const destination = options.destination ?? GLOBAL_ADDRESS;
    const priority = options.priority ?? DEFAULT_PRIORITY;
    if (data.length <= 8) {
      try {
        this.sendFrame({ priority, pgn, source, destination, data });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new IsobusError(String(error)));
      }
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const done = (result: TransportResult): void => {
        if (result.ok) resolve();
        else reject(new TransportAbortError(result.reason, result.byPeer, pgn));
      };
      try {
        this.transport.send({ pgn, source, destination, priority, data }, done);
      } catch (error) {
        reject(error instanceof Error ? error : new IsobusError(String(error)));
      }
      this.reschedule();
    });
  }

  /** Sends a Request for `pgn` (ISO 11783-3 §5.4.4). */
  request(pgn: number, destination = GLOBAL_ADDRESS): Promise<void> {
    return this.send(PGN.REQUEST, encodeRequest(pgn), { destination, priority: DEFAULT_PRIORITY });
  }

  onMessage(listener: Listener<IsobusMessage>): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onPgn(pgn: number, listener: Listener<IsobusMessage>): () => void {
    return this.onMessage((m) => {
      if (m.pgn === pgn) listener(m);
    });
  }

  onStateChange(listener: Listener<ClaimChange>): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onSessionEnd(listener: Listener<SessionEndInfo>): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Answers Requests for `pgn`; returning undefined answers nothing (as for a global request). */
  onRequest(
    pgn: number,
    responder: (request: IsobusMessage) => RequestAnswer | undefined,
  ): () => void {
    this.responders.set(pgn, responder);
    return () => this.responders.delete(pgn);
  }

  /** Address → NAME of the other control functions that have claimed. */
  peers(): ReadonlyMap<number, bigint> {
    return new Map(this.claimer.table);
  }

  addressOf(name: bigint): number | undefined {
    return this.claimer.addressOf(name);
  }

  activeSessions(): number {
    return this.transport.activeSessions();
  }

  /**
   * Leaving a claimed address — taken by a higher-priority NAME, moved by Commanded Address, or
   * given up — ends its use at once (ISO 11783-5 §4.4: a lost address is not used again): the
   * frames from it still waiting in our link are withdrawn, sessions end without a frame, and
   * sends start again from the new address once it is claimed.
   */
  private onClaimChange(state: ClaimState, address: number, cause: ClaimCause): void {
    const lost = this.held !== undefined && (state !== 'claimed' || address !== this.held);
    const lostAddress = lost ? this.held : undefined;
    if (lostAddress !== undefined) {
      this.held = undefined;
      discardFramesFrom(this.link, lostAddress);
      this.transport.addressLost();
    }
    if (state === 'claimed') {
      this.held = address;
      this.transport.setAddress(address);
    } else if (state === 'cannot-claim') this.transport.failPending();
    const change: ClaimChange =
      lostAddress === undefined
        ? { state, address, cause }
        : { state, address, cause, lostAddress };
    for (const l of [...this.stateListeners]) l(change);
  }

  private onFrame(canFrame: CanFrame): void {
    const frame = toPgnFrame(canFrame);
    if (!frame) return;
    const mine = this.claimer.address;
    const forUs =
      frame.destination === GLOBAL_ADDRESS || (mine !== NULL_ADDRESS && frame.destination === mine);
    if (frame.pgn === PGN.ADDRESS_CLAIMED) this.onPeerClaim(frame);
    else if (frame.pgn === PGN.REQUEST && forUs) this.claimer.handle(frame);
    if (forUs && this.claimer.state === 'claimed') {
      if (!this.transport.handle(frame)) this.deliver({ ...frame, data: frame.data });
    } else if (frame.destination === GLOBAL_ADDRESS) {
      // Without an address we still reassemble broadcasts (BAM needs no address of ours), for
      // a Commanded Address: it is how a node that could not claim is given one (ISO 11783-5).
      this.transport.handle(frame);
    }
    this.reschedule();
  }

  /**
   * Feeds a claim to the claimer and ends our sessions with whoever it displaced: the address
   * now held by another NAME, or the old address of a NAME that moved (its sessions from there
   * are over, ISO 11783-5 §4.4).
   */
  private onPeerClaim(frame: PgnFrame): void {
    const table = this.claimer.table;
    const before = new Map(table);
    this.claimer.handle(frame);
    for (const [address, name] of before)
      if (table.get(address) !== name) this.transport.peerGone(address);
  }

  private deliver(message: IsobusMessage): void {
    const listening = this.claimer.state === 'claimed';
    if (message.pgn === PGN.COMMANDED_ADDRESS) this.claimer.handle({ ...message });
    if (!listening) return; // only a Commanded Address is taken without an address
    if (message.pgn === PGN.REQUEST && message.data.length >= 3) this.answer(message);
    for (const l of [...this.messageListeners]) l(message);
  }

  private answer(request: IsobusMessage): void {
    const pgn = decodeRequest(request.data);
    if (pgn === PGN.ADDRESS_CLAIMED) return;
    const responder = this.responders.get(pgn);
    const specific = request.destination !== GLOBAL_ADDRESS;
    const answer = responder ? responder(request) : specific ? 'nack' : undefined;
    if (answer === undefined || request.source > MAX_UNICAST_ADDRESS) return;
    if (answer instanceof Uint8Array) {
      void this.send(pgn, answer, {
        destination: specific ? request.source : GLOBAL_ADDRESS,
      }).catch(() => undefined);
      return;
    }
    const control =
      answer === 'nack'
        ? ACK_CONTROL.NACK
        : answer === 'access-denied'
          ? ACK_CONTROL.ACCESS_DENIED
          : ACK_CONTROL.CANNOT_RESPOND;
    // J1939-21 §5.4.4: the acknowledgement goes to the global address naming the requester.
    void this.send(
      PGN.ACKNOWLEDGEMENT,
      encodeAcknowledgement({ control, groupFunction: 0xff, address: request.source, pgn }),
      {
        destination: GLOBAL_ADDRESS,
      },
    ).catch(() => undefined);
  }

  private sendFrame(frame: PgnFrame): void {
    if (this.link.state !== 'open') return;
    this.link.send(toCanFrame(frame));
  }

  private reschedule(): void {
    if (!this.running) return;
    const a = this.claimer.nextDeadlineMs();
    const b = this.transport.nextDeadlineMs();
    const due = Math.min(a ?? Infinity, b ?? Infinity);
    if (due === this.timerDueMs) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerDueMs = due;
    if (due === Infinity) return;
    this.cancelTimer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => {
      this.cancelTimer = undefined;
      this.timerDueMs = Infinity;
      const now = this.clock.now();
      this.claimer.tick(now);
      this.transport.tick(now);
      this.reschedule();
    });
  }
}
