/**
 * Authenticated release (docs/safety.md, "Release"). Anyone may stop a machine, but only the
 * station may release one: a release carries a counter that only grows and an HMAC-SHA256 (RFC
 * 2104) under the fleet key, truncated to 128 bits (NIST SP 800-107 §5.3.3), over the tractor it
 * is meant for, the stop it ends and the counter. A tractor refuses a release whose MAC does not
 * verify (forged, altered, meant for another tractor or another stop) and one whose counter it
 * accepted before or that is too old (replayed).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RELEASE_MAC_BYTES, stopRefOf, type ReleaseAuth } from '../link/index.js';
import type { FleetKey } from './fleet-key.js';

/** Domain separation: this MAC can never be mistaken for another message's. */
const RELEASE_CONTEXT = 'headland/release/v1';

export function releaseMac(
  key: FleetKey,
  tractorId: string,
  stopId: string,
  counter: number,
): Uint8Array {
  const fixed = Buffer.alloc(12);
  fixed.writeUInt32BE(stopRefOf(stopId), 0);
  fixed.writeBigUInt64BE(BigInt(counter), 4);
  const mac = createHmac('sha256', key.bytes)
    .update(RELEASE_CONTEXT)
    .update(Buffer.from([0]))
    .update(tractorId, 'utf8')
    .update(Buffer.from([0]))
    .update(fixed)
    .digest();
  return new Uint8Array(mac.subarray(0, RELEASE_MAC_BYTES));
}

/** The station's side: signs releases with a counter that never repeats. */
export class ReleaseSigner {
  private last = 0;

  /**
   * `counterFloor` is the wall clock in ms: counters start above any the station used before a
   * restart without having to store them (a wall clock set backwards makes tractors refuse as
   * "replayed", which the station shows).
   */
  constructor(
    private readonly key: FleetKey,
    private readonly counterFloor: () => number,
  ) {}

  sign(tractorId: string, stopId: string): ReleaseAuth {
    const counter = Math.max(this.last + 1, Math.floor(this.counterFloor()));
    this.last = counter;
    return { counter, mac: releaseMac(this.key, tractorId, stopId, counter) };
  }
}

export type ReleaseVerdict = { ok: true } | { ok: false; reason: 'bad-mac' | 'replayed' };

/**
 * How far below the highest accepted counter a release may still be accepted (counters follow
 * the station's clock in ms). Releases to one tractor can arrive out of order — each is a
 * multi-frame transfer, and one delayed by a lost frame can be overtaken by a later one — so a
 * release is refused as replayed only if its counter was accepted before or is older than this.
 */
export const RELEASE_REORDER_WINDOW = 10_000;

/** A tractor's side: verifies releases meant for it and remembers the counters it accepted. */
export class ReleaseVerifier {
  private highest = -1;
  /** Accepted counters within the window below `highest`. */
  private readonly recent = new Set<number>();

  constructor(
    private readonly key: FleetKey,
    private readonly tractorId: string,
  ) {}

  verify(stopId: string, auth: ReleaseAuth): ReleaseVerdict {
    if (
      !Number.isSafeInteger(auth.counter) ||
      auth.counter < 0 ||
      auth.mac.length !== RELEASE_MAC_BYTES
    )
      return { ok: false, reason: 'bad-mac' };
    const expected = releaseMac(this.key, this.tractorId, stopId, auth.counter);
    if (!timingSafeEqual(expected, auth.mac)) return { ok: false, reason: 'bad-mac' };
    const tooOld = auth.counter <= this.highest - RELEASE_REORDER_WINDOW;
    if (tooOld || this.recent.has(auth.counter)) return { ok: false, reason: 'replayed' };
    this.accept(auth.counter);
    return { ok: true };
  }

  private accept(counter: number): void {
    this.recent.add(counter);
    if (counter <= this.highest) return;
    this.highest = counter;
    for (const c of this.recent) if (c <= counter - RELEASE_REORDER_WINDOW) this.recent.delete(c);
  }
}
