import type { Clock, Random } from '../time/index.js';
import { GLOBAL_ADDRESS, MAX_UNICAST_ADDRESS, NULL_ADDRESS, type PgnFrame } from './identifier.js';
import { compareNames, isSelfConfigurable, nameFromBytes, nameToBytes } from './iso-name.js';
import { PGN } from './pgn-registry.js';
import { decodeRequest, encodeRequest } from './request-ack.js';

/** ISO 11783-5 §4.4.2: wait 250 ms after a claim before using the address. */
export const ADDRESS_CLAIM_WAIT_MS = 250;
/** J1939-81 §4.4.4.3: pseudo-random delay of 0–153 ms (0.6 ms × 0..255) before a cannot-claim. */
export const RANDOM_DELAY_STEP_MS = 0.6;
/** ISO 11783-5 §4.2: self-configurable addresses are taken from 128–247. */
export const SELF_CONFIG_FIRST = 128;
export const SELF_CONFIG_LAST = 247;
const PRIORITY_CLAIM = 6; // ISO 11783-5 §4.4.3: Address Claimed is sent at priority 6

export type ClaimState = 'idle' | 'requesting' | 'claiming' | 'claimed' | 'cannot-claim';
/** What moved the claim: our own start, a higher-priority NAME's claim, or Commanded Address. */
export type ClaimCause = 'start' | 'contested' | 'commanded';

export interface AddressClaimConfig {
  readonly name: bigint;
  readonly preferredAddress: number;
  readonly send: (frame: PgnFrame) => void;
  readonly clock: Clock;
  readonly random: Random;
  readonly onChange?: (state: ClaimState, address: number, cause: ClaimCause) => void;
}

/**
 * The address claim procedure of ISO 11783-5 §4.4 for one internal control function: learn
 * the network with a Request for Address Claimed, claim the preferred address (or, when a
 * higher-priority NAME holds it and we are self-configurable, a free one from 128–247), defend
 * it by NAME, move or give up (cannot-claim) when we lose, answer requests, and obey Commanded
 * Address. No timers of its own: the owner calls tick() at nextDeadlineMs().
 */
export class AddressClaimer {
  private stateValue: ClaimState = 'idle';
  private addressValue = NULL_ADDRESS;
  private deadlineMs: number | undefined;
  private deferredCannotClaim = false;
  private cause: ClaimCause = 'start';
  /** Address → NAME of every other control function that has claimed (the network table). */
  readonly table = new Map<number, bigint>();

  constructor(private readonly config: AddressClaimConfig) {
    const p = config.preferredAddress;
    if (!Number.isInteger(p) || p < 0 || p > MAX_UNICAST_ADDRESS)
      throw new RangeError(`preferred address ${p} not in 0–253`);
  }

  get state(): ClaimState {
    return this.stateValue;
  }

  /** The claimed (or being claimed) address; NULL_ADDRESS (254) when there is none. */
  get address(): number {
    return this.addressValue;
  }

  start(): void {
    this.cause = 'start';
    this.table.clear();
    this.sendFrame(PGN.REQUEST, NULL_ADDRESS, encodeRequest(PGN.ADDRESS_CLAIMED));
    this.setState('requesting', NULL_ADDRESS);
    this.deadlineMs = this.config.clock.now() + ADDRESS_CLAIM_WAIT_MS + this.randomDelayMs();
  }

  nextDeadlineMs(): number | undefined {
    return this.deadlineMs;
  }

  tick(nowMs: number): void {
    if (this.deadlineMs === undefined || nowMs < this.deadlineMs) return;
    this.deadlineMs = undefined;
    if (this.deferredCannotClaim) {
      this.deferredCannotClaim = false;
      this.sendCannotClaim();
      return;
    }
    if (this.stateValue === 'requesting') this.claimBest(this.config.preferredAddress);
    else if (this.stateValue === 'claiming') this.setState('claimed', this.addressValue);
  }

  /** Feeds Address Claimed, Request and (reassembled) Commanded Address messages. */
  handle(frame: PgnFrame): void {
    if (frame.pgn === PGN.ADDRESS_CLAIMED && frame.data.length >= 8)
      this.onClaim(frame.source, nameFromBytes(frame.data));
    else if (
      frame.pgn === PGN.REQUEST &&
      frame.data.length >= 3 &&
      decodeRequest(frame.data) === PGN.ADDRESS_CLAIMED
    )
      this.onRequest(frame.destination);
    else if (frame.pgn === PGN.COMMANDED_ADDRESS && frame.data.length >= 9)
      this.onCommanded(nameFromBytes(frame.data), frame.data[8] ?? NULL_ADDRESS);
  }

  /** The address currently held by `name`, if it has claimed one. */
  addressOf(name: bigint): number | undefined {
    for (const [address, n] of this.table) if (n === name) return address;
    return undefined;
  }

  private onClaim(source: number, name: bigint): void {
    if (name === this.config.name) return; // our own claim echoed by a gateway, or a duplicate NAME
    for (const [address, n] of this.table) if (n === name) this.table.delete(address);
    if (source === NULL_ADDRESS) return; // someone's cannot-claim
    this.table.set(source, name);
    const contested =
      (this.stateValue === 'claiming' || this.stateValue === 'claimed') &&
      source === this.addressValue;
    if (!contested) return;
    if (compareNames(this.config.name, name) < 0) {
      this.sendClaim(this.addressValue); // we win: defend (ISO 11783-5 §4.4.4.3)
      return;
    }
    this.cause = 'contested';
    this.claimBest(this.addressValue); // we lose: move or give up
  }

  private onRequest(destination: number): void {
    if (destination !== GLOBAL_ADDRESS && destination !== this.addressValue) return;
    if (this.stateValue === 'claiming' || this.stateValue === 'claimed')
      this.sendClaim(this.addressValue);
    else if (this.stateValue === 'cannot-claim') this.scheduleCannotClaim();
  }

  /**
   * Commanded Address (ISO 11783-5 §4.4, PGN 65240: NAME + new address, sent by TP): a
   * self-configurable control function claims the commanded address — through the ordinary
   * claim, so a higher-priority holder still wins it — whether it holds an address now or could
   * not claim one. A control function with a fixed address (self-configurable bit 0) keeps it.
   */
  private onCommanded(name: bigint, address: number): void {
    if (name !== this.config.name || address > MAX_UNICAST_ADDRESS) return;
    if (!isSelfConfigurable(this.config.name) || this.stateValue === 'idle') return;
    this.cause = 'commanded';
    this.table.delete(address);
    this.startClaim(address);
  }

  /** Claims `wanted` if we would win it, else the first free self-configurable address. */
  private claimBest(wanted: number): void {
    const holder = this.table.get(wanted);
    if (holder === undefined || compareNames(this.config.name, holder) < 0)
      return this.startClaim(wanted);
    if (isSelfConfigurable(this.config.name)) {
      for (let a = SELF_CONFIG_FIRST; a <= SELF_CONFIG_LAST; a++) {
        if (!this.table.has(a)) return this.startClaim(a);
      }
    }
    this.setState('cannot-claim', NULL_ADDRESS);
    this.scheduleCannotClaim();
  }

  private startClaim(address: number): void {
    this.deferredCannotClaim = false;
    this.setState('claiming', address);
    this.sendClaim(address);
    this.deadlineMs = this.config.clock.now() + ADDRESS_CLAIM_WAIT_MS;
  }

  private scheduleCannotClaim(): void {
    this.deferredCannotClaim = true;
    this.deadlineMs = this.config.clock.now() + this.randomDelayMs();
  }

  private sendClaim(address: number): void {
    this.sendFrame(PGN.ADDRESS_CLAIMED, address, nameToBytes(this.config.name));
  }

  private sendCannotClaim(): void {
    this.sendFrame(PGN.ADDRESS_CLAIMED, NULL_ADDRESS, nameToBytes(this.config.name));
  }

  private sendFrame(pgn: number, source: number, data: Uint8Array): void {
    this.config.send({ priority: PRIORITY_CLAIM, pgn, source, destination: GLOBAL_ADDRESS, data });
  }

  private randomDelayMs(): number {
    return Math.floor(this.config.random.next() * 256) * RANDOM_DELAY_STEP_MS;
  }

  private setState(state: ClaimState, address: number): void {
    const changed = state !== this.stateValue || address !== this.addressValue;
    this.stateValue = state;
    this.addressValue = address;
    if (changed) this.config.onChange?.(state, address, this.cause);
  }
}
